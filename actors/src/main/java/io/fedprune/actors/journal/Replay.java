package io.fedprune.actors.journal;

import io.fedprune.actors.client.TrainingMemo;
import io.fedprune.core.server.ServerInput;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * A journaled run's server inputs on their way to the journal, and the run it resumes. A resumed
 * run in virtual time runs again from its start, the same seeded simulation: the server's inputs
 * then come in the very order the killed run journaled them. While the recovered prefix lasts,
 * each input is checked against the journal (any difference is a run that is not deterministic,
 * or whose configuration changed: it stops, never mixes two runs) and not written again; past
 * the prefix, inputs are appended. Clients take the journaled updates in place of training
 * ({@link TrainingMemo}), so journaled work is never retrained.
 *
 * <p>Called on the server's work thread (one piece of work at a time) and, for the memo, on
 * clients' threads: synchronized.
 */
public final class Replay implements Consumer<ServerInput>, TrainingMemo {

    /** The run made an input other than the journaled one at the same position. */
    public static final class DivergedException extends IllegalStateException {
        DivergedException(String message) {
            super(message);
        }
    }

    private final List<ServerInput> recovered;
    private final Map<Integer, ArrayDeque<ServerInput.Update>> updates = new HashMap<>();
    private final Queue<ServerInput> queue;
    private final AtomicBoolean woken;
    private final Runnable wake;
    private int next;
    private long appended;
    private long recalled;
    private String divergence;
    private final long createdNanos = System.nanoTime();
    private long caughtUpNanos = -1;

    /**
     * @param recovered what the journal held at start (the run's prefix), in order
     * @param queue     the journal's queue ({@link RunJournal})
     * @param woken     whether a wake-up is on its way to the journal
     * @param wake      sends the journal {@link RunJournal#wake()}
     */
    public Replay(List<ServerInput> recovered, Queue<ServerInput> queue, AtomicBoolean woken, Runnable wake) {
        this.recovered = new ArrayList<>(recovered);
        this.queue = queue;
        this.woken = woken;
        this.wake = wake;
        for (ServerInput i : recovered) {
            if (i instanceof ServerInput.Update u) {
                updates.computeIfAbsent(u.clientId(), c -> new ArrayDeque<>()).add(u);
            }
        }
    }

    @Override
    public synchronized void accept(ServerInput input) {
        if (next < recovered.size()) {
            ServerInput expected = recovered.get(next);
            if (!expected.sameAs(input)) {
                divergence = ("the resumed run departs from its journal at input " + (next + 1) + " of "
                        + recovered.size() + ": the journal has " + expected + ", the run made " + input
                        + " (a changed configuration or code, or a run that is not deterministic)");
                throw new DivergedException(divergence);
            }
            recovered.set(next++, null); // done with: its bytes need not stay
            if (next == recovered.size()) {
                caughtUpNanos = System.nanoTime() - createdNanos;
            }
            return;
        }
        queue.add(input);
        appended++;
        if (!woken.getAndSet(true)) {
            wake.run();
        }
    }

    /**
     * The journaled result of client {@code clientId}'s next update, if it answers {@code version}
     * of {@code round}. A client's updates reach the server in the order it made them, so each
     * client's journaled updates form a queue; work that was superseded before it finished never
     * reached the journal, and simply finds no match (it trains, as it did before).
     */
    @Override
    public synchronized ServerInput.Update recall(int clientId, long version, long round) {
        ArrayDeque<ServerInput.Update> mine = updates.get(clientId);
        if (mine == null || mine.isEmpty()) {
            return null;
        }
        ServerInput.Update head = mine.peek();
        if (head.baseVersion() != version || head.round() != round) {
            return null;
        }
        recalled++;
        return mine.poll();
    }

    /** Why the resumed run stopped following its journal, or null if it never departed from it. */
    public synchronized String divergence() {
        return divergence;
    }

    /**
     * Wall seconds from the start of the resumed run until it had made every journaled input again
     * (what recovery cost), or NaN if the journal was empty or never caught up with.
     */
    public synchronized double caughtUpSeconds() {
        return caughtUpNanos < 0 ? Double.NaN : caughtUpNanos / 1e9;
    }

    /** Inputs of the recovered prefix not yet made again by the resumed run. */
    public synchronized int pending() {
        return recovered.size() - next;
    }

    /** The recovered prefix's length. */
    public int recoveredSize() {
        return recovered.size();
    }

    /** Inputs appended past the prefix. */
    public synchronized long appended() {
        return appended;
    }

    /** Updates clients took from the journal instead of training. */
    public synchronized long recalled() {
        return recalled;
    }
}
