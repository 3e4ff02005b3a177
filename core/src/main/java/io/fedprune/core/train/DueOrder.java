package io.fedprune.core.train;

import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.TreeSet;

/**
 * The trainer pool's work queue: jobs start in the order their results are due (earliest first),
 * and only a bounded number of finished results may wait for their due time. So memory grows with
 * the number of workers and this bound, not with the number of busy clients, while workers still
 * train ahead of the clock in parallel.
 *
 * <p>Deadlock-free by construction: a job ordered before every result still held may always
 * start, and a clock that delivers events in the same order (due time, then the owner's name,
 * then its own sequence — the virtual clock's (time, sender, sequence) for a client's round)
 * releases the earliest held result first. Jobs that nobody waits for ({@code held = false}:
 * evaluations, direct calls) jump the queue and are not counted.
 */
final class DueOrder {

    /** A queued or running piece of work. */
    abstract static class Entry {
        final long key;
        final String owner;
        final long ownerSequence;
        final boolean held;
        long sequence;
        // QUEUED -> RUNNING -> HELD -> DONE, or cancelled on the way
        State state = State.QUEUED;
        volatile boolean cancelled;
        // the caller waits for this result now: it starts as soon as a worker is free
        boolean urgent;

        /** @param owner, ownerSequence break ties of equal due times as the clock does (its sender, then sequence) */
        Entry(long key, String owner, long ownerSequence, boolean held) {
            this.key = key;
            this.owner = owner;
            this.ownerSequence = ownerSequence;
            this.held = held;
            this.urgent = !held; // someone waits for it now (an evaluation): never behind training ahead
        }

        Entry(long key, boolean held) {
            this(key, "", 0, held);
        }

        /** Runs on a worker thread with that worker's trainer. */
        abstract void run(LocalTrainer trainer);

        /** Completes the entry's future without running it. */
        abstract void abandon();
    }

    enum State { QUEUED, RUNNING, HELD, DONE }

    private static final Comparator<Entry> ORDER = Comparator.<Entry, Boolean>comparing(e -> !e.urgent)
            .thenComparingLong(e -> e.key)
            .thenComparing(e -> e.owner).thenComparingLong(e -> e.ownerSequence).thenComparingLong(e -> e.sequence);

    private final PriorityQueue<Entry> queue = new PriorityQueue<>(ORDER);
    // finished results not yet released, in due order
    private final TreeSet<Entry> heldEntries = new TreeSet<>(ORDER);
    private final int maxAhead;
    private long sequence;
    private int running;
    private int held;
    private boolean closed;

    /** @param maxAhead running plus finished-but-unreleased held jobs beyond which only the earliest may start */
    DueOrder(int maxAhead) {
        if (maxAhead < 1) {
            throw new IllegalArgumentException("maxAhead must be >= 1, got " + maxAhead);
        }
        this.maxAhead = maxAhead;
    }

    synchronized void add(Entry e) {
        if (closed) {
            e.abandon();
            return;
        }
        e.sequence = sequence++;
        queue.add(e);
        notifyAll();
    }

    /** Jobs a worker is running now. */
    synchronized int running() {
        return running;
    }

    /** Blocks until a job may start; null once closed. */
    synchronized Entry take() throws InterruptedException {
        while (true) {
            if (closed) {
                return null;
            }
            Entry head = queue.peek();
            if (head != null && startable(head)) {
                queue.poll();
                head.state = State.RUNNING;
                running++;
                return head;
            }
            wait();
        }
    }

    private boolean startable(Entry head) {
        if (!head.held || head.urgent || running + held < maxAhead) {
            return true;
        }
        return heldEntries.isEmpty() || ORDER.compare(head, heldEntries.first()) < 0;
    }

    /** The worker finished {@code e}: a held job's result now waits for its release. */
    synchronized void finished(Entry e) {
        running--;
        if (e.held && !e.cancelled) {
            e.state = State.HELD;
            held++;
            heldEntries.add(e);
        } else {
            e.state = State.DONE;
        }
        notifyAll();
    }

    /** The result of {@code e} is no longer held (used, or not wanted); a queued job is dropped. */
    synchronized void release(Entry e) {
        switch (e.state) {
            case QUEUED -> {
                e.cancelled = true;
                e.state = State.DONE;
                queue.remove(e);
                e.abandon();
            }
            case RUNNING -> e.cancelled = true; // not counted once it finishes
            case HELD -> {
                e.state = State.DONE;
                held--;
                heldEntries.remove(e);
            }
            case DONE -> {
                // released already
            }
        }
        notifyAll();
    }

    /**
     * The caller is waiting for {@code e}'s result now: it goes to the front and starts whatever
     * the bound, so a clock whose order the due keys only approximate can never stall on it.
     */
    synchronized void urgent(Entry e) {
        if (e.state == State.QUEUED && !e.urgent) {
            queue.remove(e);
            e.urgent = true;
            queue.add(e);
            notifyAll();
        }
    }

    /** Drops queued work; workers see null from {@link #take()}. */
    synchronized void close() {
        closed = true;
        for (Entry e : queue) {
            e.state = State.DONE;
            e.abandon();
        }
        queue.clear();
        notifyAll();
    }

    /** Finished held results not yet released (tests, diagnostics). */
    synchronized int heldResults() {
        return held;
    }

    synchronized int queued() {
        return queue.size();
    }
}
