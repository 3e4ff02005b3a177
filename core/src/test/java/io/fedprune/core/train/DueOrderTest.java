package io.fedprune.core.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** Earliest-due first, a bounded number of results ahead, and never a job that cannot start. */
class DueOrderTest {

    static final class Fake extends DueOrder.Entry {
        boolean abandoned;

        Fake(long key, boolean held) {
            super(key, held);
        }

        Fake(long key, String owner, long task) {
            super(key, owner, task, true);
        }

        @Override
        void run(LocalTrainer trainer) {
        }

        @Override
        void abandon() {
            abandoned = true;
        }
    }

    @Test
    void startsEarliestDueFirstAndKeepsAtMostTheBoundAhead() throws Exception {
        DueOrder order = new DueOrder(3);
        List<Fake> jobs = new ArrayList<>();
        for (long key : new long[] {50, 10, 40, 20, 30}) {
            Fake f = new Fake(key, true);
            jobs.add(f);
            order.add(f);
        }
        // three may run / wait ahead: 10, 20, 30
        for (long expected : new long[] {10, 20, 30}) {
            DueOrder.Entry e = order.take();
            assertEquals(expected, e.key);
            order.finished(e);
        }
        assertEquals(3, order.heldResults());
        // an urgent job (an evaluation) jumps the queue and the bound
        Fake eval = new Fake(Long.MIN_VALUE, false);
        order.add(eval);
        assertSame(eval, order.take());
        order.finished(eval);
        // a job due before every held result may always start, whatever the bound
        Fake early = new Fake(5, true);
        order.add(early);
        assertSame(early, order.take());
        order.finished(early);
        assertEquals(4, order.heldResults());
        // releasing the earliest held results lets the queue move on, still in due order
        order.release(early);
        order.release(jobs.get(1)); // key 10
        assertEquals(40, order.take().key);
        order.close();
        assertNull(order.take());
        assertTrue(jobs.get(0).abandoned, "queued work is dropped on close");
    }

    @Test
    void aReleasedQueuedJobIsDroppedAndReleasingTwiceIsHarmless() throws Exception {
        DueOrder order = new DueOrder(1);
        Fake a = new Fake(1, true);
        Fake b = new Fake(2, true);
        order.add(a);
        order.add(b);
        order.release(b);
        assertTrue(b.abandoned);
        assertEquals(1, order.queued());
        DueOrder.Entry e = order.take();
        assertSame(a, e);
        order.release(a); // superseded while running: not held when it finishes
        order.finished(a);
        assertEquals(0, order.heldResults());
        order.release(a);
        order.release(b);
        assertEquals(0, order.heldResults());
    }

    /**
     * A clock-like consumer: results are used in due order, each use may schedule a new job due
     * later. With one worker and a tight bound the run must still finish (no deadlock) and never
     * hold more than the bound plus one (the earliest may always start).
     */
    @Test
    void aClockThatUsesResultsInDueOrderNeverStalls() throws Exception {
        SplittableRandom rng = new SplittableRandom(3);
        DueOrder order = new DueOrder(2);
        TreeSet<Long> pending = new TreeSet<>();
        java.util.Map<Long, Fake> byKey = new java.util.HashMap<>();
        long now = 0;
        for (int i = 0; i < 20; i++) {
            long key = 1 + rng.nextInt(1000) * 20L + i;
            Fake f = new Fake(key, true);
            byKey.put(key, f);
            pending.add(key);
            order.add(f);
        }
        int maxHeld = 0;
        for (int step = 0; step < 500; step++) {
            long next = pending.first();
            Fake wanted = byKey.get(next);
            // the worker trains until the wanted result is there
            while (wanted.state != DueOrder.State.HELD) {
                DueOrder.Entry e = order.take();
                order.finished(e);
                maxHeld = Math.max(maxHeld, order.heldResults());
            }
            pending.remove(next);
            order.release(wanted);
            now = next;
            long key = now + 1 + rng.nextInt(500) * 20L + step % 20;
            Fake f = new Fake(key, true);
            byKey.put(key, f);
            pending.add(key);
            order.add(f);
        }
        assertTrue(maxHeld <= 3, "held " + maxHeld);
    }

    /**
     * Thousands of rounds due at the same instant (identical devices): they are trained in the
     * clock's order (owner, then task) and only the bound ahead, not all at once.
     */
    @Test
    void equalDueTimesAreOrderedByOwnerAndStillBounded() throws Exception {
        DueOrder order = new DueOrder(4);
        List<Fake> jobs = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            Fake f = new Fake(500, "/user/fedprune/client-" + (999 - i), 1);
            jobs.add(f);
            order.add(f);
        }
        List<String> started = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            DueOrder.Entry e = order.take();
            started.add(e.owner);
            order.finished(e);
        }
        assertEquals(List.of("/user/fedprune/client-0", "/user/fedprune/client-1", "/user/fedprune/client-10",
                "/user/fedprune/client-100"), started, "the clock's order: by the owner's path");
        assertEquals(4, order.heldResults());
        // the bound is full and no queued job comes before the held ones: nothing more may start
        Thread taker = new Thread(() -> {
            try {
                order.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        taker.start();
        taker.join(200);
        assertTrue(taker.isAlive(), "a fifth job must wait for a release");
        order.release(jobs.get(999)); // client-0's result was used
        taker.join(5_000);
        assertTrue(!taker.isAlive(), "a release lets the next one start");
    }

    /** A result the caller waits for now starts at once, even behind a full bound and earlier keys. */
    @Test
    void anUrgentJobStartsWhateverTheBound() throws Exception {
        DueOrder order = new DueOrder(1);
        Fake ahead = new Fake(1, true);
        Fake late = new Fake(100, true);
        order.add(ahead);
        order.add(late);
        DueOrder.Entry e = order.take();
        assertSame(ahead, e);
        order.finished(e); // held; bound full, and "late" is not before it
        order.urgent(late);
        assertSame(late, order.take(), "urgent: starts although the bound is full");
    }

    /** Work nobody holds (evaluations) is never starved by a stream of urgent training. */
    @Test
    void evaluationsAreNotStarvedByUrgentTraining() throws Exception {
        DueOrder order = new DueOrder(4);
        Fake train = new Fake(10, true);
        order.add(train);
        order.urgent(train);
        Fake eval = new Fake(Long.MIN_VALUE, false);
        order.add(eval);
        assertSame(eval, order.take(), "an evaluation first, even after an urgent training job");
    }
}
