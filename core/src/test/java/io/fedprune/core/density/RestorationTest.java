package io.fedprune.core.density;

import static io.fedprune.core.density.DensityControllerTest.assertMessage;
import static io.fedprune.core.density.Restoration.Action.CONTINUE;
import static io.fedprune.core.density.Restoration.Action.FINISHED;
import static io.fedprune.core.density.Restoration.Action.RAISED;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RestorationTest {

    /** Three clients with round times 1, 2 and 10: densities 1, 0.5 and 0.1 (the floor). */
    private static DensityController threeClients() {
        DensityController c = new DensityController(3, 1, 0.1);
        c.observe(0, 1);
        c.observe(1, 2);
        c.observe(2, 10);
        return c;
    }

    /** Feeds {@code acc}, model names "m0", "m1", ... by evaluation; returns the steps. */
    private static Restoration.Step<String>[] feed(Restoration<String> r, int first, double... acc) {
        @SuppressWarnings("unchecked")
        Restoration.Step<String>[] out = new Restoration.Step[acc.length];
        for (int i = 0; i < acc.length; i++) {
            out[i] = r.onEvaluation(acc[i], "m" + (first + i));
        }
        return out;
    }

    @Test
    void legacyRaisesAfterExactlyPatienceNonImprovingEvaluationsAndRestoresTheBest() {
        DensityController c = threeClients();
        Restoration<String> r = new Restoration<>(RestorationSchedule.parse("legacy(0.2)"), c, 2);
        var s = feed(r, 0, 0.50, 0.40, 0.45);
        assertEquals(CONTINUE, s[0].action());
        assertNull(s[0].restore());
        assertEquals(CONTINUE, s[1].action());
        assertEquals(new Restoration.Step<>(RAISED, "m0"), s[2]);
        assertArrayEquals(new double[] {1.0, 0.7, 0.30000000000000004}, c.floors());
        assertEquals(Optional.of("m0"), r.bestModel());
        assertEquals(0.5, r.bestAccuracy());

        // the best is kept across the raise: 0.5 must be beaten
        s = feed(r, 3, 0.5, 0.6, 0.6, 0.59);
        assertEquals(CONTINUE, s[0].action());
        assertEquals(CONTINUE, s[1].action());
        assertEquals(CONTINUE, s[2].action());
        assertEquals(new Restoration.Step<>(RAISED, "m4"), s[3]);
        assertArrayEquals(new double[] {1.0, 0.9, 0.5}, c.floors(), 1e-12);
        assertFalse(r.lastStage());
        assertEquals(2, r.patience());

        s = feed(r, 7, 0.1, 0.1); // -> 1, 1, 0.7 (client 1: 0.9 + 0.2 capped at 1)
        assertEquals(RAISED, s[1].action());
        s = feed(r, 9, 0.1, 0.1); // -> 1, 1, 0.9
        assertEquals(RAISED, s[1].action());
        assertFalse(r.lastStage());
        s = feed(r, 11, 0.1, 0.1); // -> all 1: the last stage, patience x5
        assertEquals(new Restoration.Step<>(RAISED, "m4"), s[1]);
        assertTrue(r.lastStage());
        assertEquals(5, r.raises());
        assertEquals(10, r.patience());

        s = feed(r, 13, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1);
        for (var step : s) {
            assertEquals(CONTINUE, step.action());
        }
        assertEquals(new Restoration.Step<>(FINISHED, "m4"), r.onEvaluation(0.1, "m22"));
        assertTrue(r.finished());
        assertEquals(5, r.raises());
        assertThrows(IllegalStateException.class, () -> r.onEvaluation(0.9, "m23"));
    }

    @Test
    void aNewBestInTheLastStageIsWhatTheRunEndsWith() {
        DensityController c = new DensityController(2, 3, 0.5);
        Restoration<Integer> r = new Restoration<>(new RestorationSchedule.Ladder(), c, 1, 3);
        assertEquals(CONTINUE, r.onEvaluation(0.3, 0).action());
        assertEquals(new Restoration.Step<>(RAISED, 0), r.onEvaluation(0.3, 1)); // 0.5 -> 1.0 for both
        assertTrue(r.lastStage());
        assertEquals(3, r.patience());
        assertEquals(CONTINUE, r.onEvaluation(0.2, 2).action());
        assertEquals(CONTINUE, r.onEvaluation(0.31, 3).action());
        assertEquals(CONTINUE, r.onEvaluation(0.31, 4).action());
        assertEquals(CONTINUE, r.onEvaluation(0.0, 5).action());
        assertEquals(new Restoration.Step<>(FINISHED, 3), r.onEvaluation(0.31, 6));
    }

    @Test
    void startingAtFullDensityIsTheLastStageFromTheFirstEvaluation() {
        DensityController c = new DensityController(4, 5, 1.0);
        Restoration<String> r = new Restoration<>(new RestorationSchedule.Fixed(), c, 2, 5);
        assertTrue(r.lastStage());
        var s = feed(r, 0, 0.9, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8, 0.8);
        for (var step : s) {
            assertEquals(CONTINUE, step.action());
        }
        assertEquals(new Restoration.Step<>(FINISHED, "m0"), r.onEvaluation(0.8, "m10"));
        assertEquals(0, r.raises());
    }

    @Test
    void onRandomSeriesStepsComeExactlyWhenTheTriggerFiresAndTheRunEnds() {
        SplittableRandom rng = new SplittableRandom(41);
        String[] specs = {"legacy", "legacy(0.05)", "fixed", "ladder"};
        for (int run = 0; run < 300; run++) {
            int clients = 1 + rng.nextInt(6);
            DensityController c = new DensityController(clients, 3, 0.05 + 0.5 * rng.nextDouble());
            for (int i = 0; i < clients; i++) {
                c.observe(i, 1 + rng.nextInt(20));
            }
            int patience = 1 + rng.nextInt(4);
            int factor = 1 + rng.nextInt(5);
            Restoration<Integer> r = new Restoration<>(RestorationSchedule.parse(specs[rng.nextInt(specs.length)]), c,
                    patience, factor);
            EarlyStopping shadow = new EarlyStopping(patience); // the trigger alone, with the patience switched by hand
            double best = Double.NEGATIVE_INFINITY;
            int bestAt = -1;
            for (int e = 0; !r.finished(); e++) {
                assertTrue(e < 10_000, "recovery never finished");
                double acc = rng.nextInt(4) == 0 ? rng.nextDouble() : 0.5 * rng.nextDouble();
                boolean wasLast = c.allFull();
                shadow.setPatience(wasLast ? patience * factor : patience);
                boolean fired = shadow.observe(acc) == EarlyStopping.Signal.FIRED;
                double[] floorsBefore = c.floors();
                if (acc > best) {
                    best = acc;
                    bestAt = e;
                }
                Restoration.Step<Integer> step = r.onEvaluation(acc, e);
                if (!fired) {
                    assertEquals(new Restoration.Step<>(CONTINUE, null), step);
                    assertArrayEquals(floorsBefore, c.floors());
                } else if (wasLast) {
                    assertEquals(new Restoration.Step<>(FINISHED, bestAt), step);
                } else {
                    assertEquals(new Restoration.Step<>(RAISED, bestAt), step);
                    double[] after = c.floors();
                    for (int i = 0; i < clients; i++) {
                        assertTrue(after[i] > floorsBefore[i] || floorsBefore[i] == 1.0, "floors rise");
                    }
                }
                assertEquals(Optional.of(bestAt), r.bestModel());
            }
            assertTrue(c.allFull());
        }
    }

    @Test
    void timeScheduleRaisesAtEachFifthOfTheBudgetAndNeverOnAccuracy() {
        DensityController c = threeClients();
        Restoration<String> r = new Restoration<>(RestorationSchedule.parse("time(1000)"), c, 1);
        var s = feed(r, 0, 0.5, 0.4, 0.3, 0.2, 0.1);
        for (var step : s) {
            assertEquals(CONTINUE, step.action(), "early stopping does not trigger time(T)");
        }
        assertEquals(Optional.of("m0"), r.bestModel());
        assertArrayEquals(new double[] {0.1, 0.1, 0.1}, c.floors());

        assertEquals(new Restoration.Step<>(CONTINUE, null), r.onClock(199.9));
        assertEquals(new Restoration.Step<>(RAISED, null), r.onClock(200));
        assertArrayEquals(new double[] {1.0, 1.0, 0.2}, c.floors()); // ladder from 1, 0.5, 0.1
        assertEquals(new Restoration.Step<>(CONTINUE, null), r.onClock(399));
        assertEquals(new Restoration.Step<>(RAISED, null), r.onClock(650)); // 0.4T and 0.6T at once
        assertEquals(3, r.raises());
        assertArrayEquals(new double[] {1.0, 1.0, 1.0}, c.floors());
        assertEquals(new Restoration.Step<>(RAISED, null), r.onClock(800));
        assertFalse(r.finished());
        assertEquals(new Restoration.Step<>(FINISHED, null), r.onClock(1e9));
        assertTrue(r.finished());
        assertEquals(5, r.raises());
        assertThrows(IllegalStateException.class, () -> r.onClock(2e9));
    }

    @Test
    void misuseIsRejected() {
        Restoration<String> early = new Restoration<>(new RestorationSchedule.Ladder(), threeClients(), 3);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> early.onClock(5));
        assertTrue(e.getMessage().contains("ladder"), e.getMessage());
        assertMessage(() -> early.onEvaluation(Double.NaN, "m"), "NaN");
        assertThrows(NullPointerException.class, () -> early.onEvaluation(0.5, null));
        assertTrue(early.bestModel().isEmpty());
        assertTrue(Double.isNaN(early.bestAccuracy()));
        assertMessage(() -> new Restoration<>(new RestorationSchedule.Fixed(), threeClients(), 0), "patience", "0");
        assertMessage(() -> new Restoration<>(new RestorationSchedule.Fixed(), threeClients(), 2, 0), "factor", "0");
        assertMessage(() -> new Restoration<>(new RestorationSchedule.Fixed(), threeClients(), 1 << 30, 4),
                "overflows");
        Restoration<String> time = new Restoration<>(new RestorationSchedule.TimeBased(10), threeClients(), 3);
        assertMessage(() -> time.onClock(Double.NaN), "NaN");
    }
}
