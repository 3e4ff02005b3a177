package io.fedprune.core.prfl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.core.density.RestorationSchedule;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.Validation;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** PR-FL's density control, nested masks, recovery and ablations, as the strategy drives them. */
class PrflTest {
    static final int WEIGHTS = 100;
    static final int BIASES = 10;
    static final ParameterLayout LAYOUT = new ParameterLayout(List.of(
            new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, WEIGHTS, new long[] {10, 10}),
            new ParameterSegment("0_b", 0, SegmentKind.BIAS, WEIGHTS, BIASES, new long[] {1, 10})));

    /** Validation answering from a script (then repeating its last answer), counting its calls. */
    static final class Scripted implements Validation {
        final Deque<Double> answers = new ArrayDeque<>();
        double last;
        int calls;

        Scripted(double... values) {
            for (double v : values) {
                answers.add(v);
            }
        }

        @Override
        public double accuracy(float[] params) {
            calls++;
            if (!answers.isEmpty()) {
                last = answers.poll();
            }
            return last;
        }

        @Override
        public int samples() {
            return 100;
        }
    }

    static PrflSettings settings(int interval, List<Double> initial, RestorationSchedule recovery, int patience) {
        return new PrflSettings(PrflSettings.Aggregation.defaults(),
                new PrflSettings.Density(true, 0.1, interval, initial, false),
                recovery == null ? PrflSettings.Recovery.none() : new PrflSettings.Recovery(recovery, patience, 2));
    }

    /** The update client {@code c} sends after training what it was dispatched: start + delta on its mask. */
    static ArrivedUpdate trainedBy(Prfl prfl, int c, ModelState global, float[] delta, long sentAt, long at) {
        Dispatch d = prfl.configure(c, global);
        float[] start = global.params().clone();
        if (d.mask() != null) {
            d.mask().applyTo(start);
        }
        float[] trained = start.clone();
        for (int i = 0; i < trained.length; i++) {
            trained[i] += delta[i];
        }
        if (d.mask() != null) {
            d.mask().applyTo(trained);
        }
        return new ArrivedUpdate(c, trained, 10, global.version(), 0, start, d, 0.1, sentAt, at);
    }

    static float[] ramp() {
        float[] w = new float[WEIGHTS + BIASES];
        for (int i = 0; i < w.length; i++) {
            w[i] = 1 + i; // magnitudes rank the entries until uploads inform the importance
        }
        return w;
    }

    @Test
    void initialDensitiesGiveNestedMasksThatKeepBiases() {
        Prfl prfl = new Prfl(settings(50, List.of(1.0, 0.6, 0.3, 0.1), null, 1), LAYOUT, 4, null);
        ModelState g = new ModelState(ramp(), 0);
        assertEquals(Dispatch.global(), prfl.configure(0, g), "density 1 is the whole model");
        Mask m1 = prfl.configure(1, g).mask();
        Mask m2 = prfl.configure(2, g).mask();
        Mask m3 = prfl.configure(3, g).mask();
        assertEquals(60 + BIASES, m1.cardinality());
        assertEquals(30 + BIASES, m2.cardinality());
        assertEquals(10 + BIASES, m3.cardinality());
        assertTrue(m2.isSubsetOf(m1) && m3.isSubsetOf(m2), "a lower density's mask is a subset of a higher one's");
        for (int b = WEIGHTS; b < WEIGHTS + BIASES; b++) {
            assertTrue(m3.get(b), "biases are never pruned");
        }
        for (int i = WEIGHTS - 10; i < WEIGHTS; i++) {
            assertTrue(m3.get(i), "before any upload the largest magnitudes are kept");
        }
        assertTrue(prfl.needsBaseModels());
    }

    @Test
    void computeTimeStaysDenseUnlessSparseComputeIsOn() {
        List<Double> initial = List.of(1.0, 0.3);
        ModelState g = new ModelState(ramp(), 0);
        Prfl dense = new Prfl(settings(50, initial, null, 1), LAYOUT, 2, null);
        assertEquals(1.0, dense.configure(1, g).computeScale());
        Prfl sparse = new Prfl(new PrflSettings(PrflSettings.Aggregation.defaults(),
                new PrflSettings.Density(true, 0.1, 50, initial, true), PrflSettings.Recovery.none()), LAYOUT, 2, null);
        Dispatch d = sparse.configure(1, g);
        assertEquals(d.mask().density(), d.computeScale(), 1e-12, "a 30 % sub-model computes in its share of the time");
        assertEquals(1.0, sparse.configure(0, g).computeScale(), "the whole model: dense time");
    }

    @Test
    void densitiesFollowRoundTimesAndMasksFollowAccumulatedImportance() {
        // I = 2: a re-split every second aggregation
        Prfl prfl = new Prfl(settings(2, List.of(), null, 1), LAYOUT, 2, null);
        ModelState g = new ModelState(ramp(), 0);
        float[] delta = new float[WEIGHTS + BIASES];
        for (int i = 0; i < 20; i++) {
            delta[i] = 5; // client 0 moves the 20 smallest weights a lot: they become the most important
        }
        Decision d1 = prfl.onUpdate(trainedBy(prfl, 0, g, delta, 0, 1_000_000), g); // 1 s round
        ModelState g1 = new ModelState(d1.model(), 1);
        float[] small = new float[delta.length];
        java.util.Arrays.fill(small, 0.1f); // client 1 informs every entry, a little
        Decision d2 = prfl.onUpdate(trainedBy(prfl, 1, g1, small, 0, 4_000_000), g1); // 4 s
        assertEquals(0.25, prfl.subModels().densities().density(1), 1e-12, "t_fast / t_slow");
        assertEquals(1.0, prfl.subModels().densities().density(0), 1e-12);
        ModelState g2 = new ModelState(d2.model(), 2);
        assertNull(prfl.configure(0, g2).mask());
        Mask slow = prfl.configure(1, g2).mask();
        assertEquals(25 + BIASES, slow.cardinality());
        for (int i = 0; i < 20; i++) {
            assertTrue(slow.get(i), "entry " + i + " was changed most by the uploads: kept");
        }
        assertEquals((1.0 + slow.density()) / 2, d2.metrics().get(Prfl.MEAN_DENSITY), 1e-12);
        assertEquals(slow.density(), d2.metrics().get(Prfl.MIN_DENSITY), 1e-12);
        assertTrue(Double.isNaN(d1.metrics().get(Prfl.VALIDATION_ACCURACY)), "no validation data, no score");
    }

    @Test
    void recoveryRaisesFloorsAfterPatienceRestoresTheBestModelAndFinallyEndsTraining() {
        // validation every aggregation (I = 1), patience 2; the best is the first model (0.8)
        Scripted validation = new Scripted(0.8, 0.5, 0.5);
        Prfl prfl = new Prfl(settings(1, List.of(0.1, 0.1), RestorationSchedule.parse("legacy(0.5)"), 2), LAYOUT, 2,
                validation);
        ModelState g = new ModelState(ramp(), 0);
        SplittableRandom rng = new SplittableRandom(3);
        float[] best = null;
        int client = 0;
        Decision d = null;
        for (int k = 0; k < 40; k++) {
            float[] delta = new float[WEIGHTS + BIASES];
            for (int i = 0; i < delta.length; i++) {
                delta[i] = (float) rng.nextGaussian();
            }
            // client 0's rounds take 1 s, client 1's 10 s: stage 1 gives client 1 its floor
            long sentAt = k * 10_000_000L;
            d = prfl.onUpdate(trainedBy(prfl, client, g, delta, sentAt, sentAt + (client == 0 ? 1 : 10) * 1_000_000L),
                    g);
            client = 1 - client;
            assertTrue(d.publishes());
            if (k == 0) {
                best = d.model().clone();
                assertEquals(0.8, d.metrics().get(Prfl.VALIDATION_ACCURACY));
            }
            if (k == 2) {
                // two validations without a new best: floors rise 0.1 -> 0.6 and the best model comes back
                assertEquals(1.0, d.metrics().get(Prfl.RAISES));
                assertArrayEquals(best, d.model(), "the best model so far is restored");
                assertEquals(0.6, prfl.subModels().densities().floor(1), 1e-12);
                assertEquals(1.0, prfl.subModels().densities().floor(0), 1e-12, "the fast client rose to 1");
                assertEquals(0.6, prfl.subModels().densities().density(1), 1e-12);
            }
            if (d.last()) {
                break;
            }
            g = new ModelState(d.model(), g.version() + 1);
        }
        assertNotNull(d);
        assertTrue(d.last(), "all floors reached 1 and the trigger fired again (patience 2 x 2): training ends");
        assertArrayEquals(best, d.model(), "the last version is the best model");
        assertEquals(2.0, d.metrics().get(Prfl.RAISES), "0.1 -> 0.6 -> 1.0");
        assertTrue(prfl.subModels().densities().allFull());
        assertTrue(validation.calls >= 2 + 2 + 4, "patience, patience, then the enlarged last-stage patience");
    }

    @Test
    void timeTriggeredRestorationRaisesAtFractionsOfTheBudgetAndEndsAtIt() {
        // time(100): ladder rungs at 20, 40, 60, 80 s; 100 s ends training with the best model
        Scripted validation = new Scripted(0.9, 0.1);
        Prfl prfl = new Prfl(settings(1, List.of(0.05, 0.05), RestorationSchedule.parse("time(100)"), 1), LAYOUT, 2,
                validation);
        ModelState g = new ModelState(ramp(), 0);
        float[] best = null;
        Decision d = null;
        double previousFloor = 0;
        for (int second = 5; second <= 120; second += 5) {
            int client = (second / 5) % 2;
            // client 0 fast (1 s rounds), client 1 slow (10 s): client 1 stays at its floor
            long at = second * 1_000_000L;
            d = prfl.onUpdate(trainedBy(prfl, client, g, new float[WEIGHTS + BIASES], at - (client == 0 ? 1 : 10)
                    * 1_000_000L, at), g);
            if (best == null) {
                best = d.model().clone();
            }
            double floor = prfl.subModels().densities().floor(1);
            assertTrue(floor >= previousFloor, "floors only rise");
            if (second == 20) {
                // client 1's density was max(1 s / 10 s, 0.05) = 0.1: the next rung above it
                assertEquals(0.2, floor, 1e-12, "the first rise at 0.2 T");
            }
            previousFloor = floor;
            if (d.last()) {
                assertEquals(100, second, "the budget's end ends training");
                break;
            }
            g = new ModelState(d.model(), g.version() + 1);
        }
        assertTrue(d.last());
        assertArrayEquals(best, d.model(), "the best validated model is the last version");
    }

    @Test
    void recoveryNeedsValidationData() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Prfl(settings(5, List.of(),
                RestorationSchedule.parse("ladder"), 3), LAYOUT, 2, null));
        assertEquals("recovery = ladder needs validation data: set fedprune.data.validation-samples > 0 (or "
                + "recovery = none)", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Prfl(settings(5, List.of(1.0), null, 1), LAYOUT, 2, null),
                "one initial density for two clients");
    }

    @Test
    void noBufferMixesEachUpdateAloneOnItsKeptEntries() {
        PrflSettings s = new PrflSettings(new PrflSettings.Aggregation(StalenessFunction.constant(), 1, 1, 0, false,
                0.5, true, false), new PrflSettings.Density(true, 0.1, 1000, List.of(0.1, 1.0), false),
                PrflSettings.Recovery.none());
        Prfl prfl = new Prfl(s, LAYOUT, 2, null);
        ModelState g = new ModelState(ramp(), 0);
        float[] delta = new float[WEIGHTS + BIASES];
        java.util.Arrays.fill(delta, 2);
        ArrivedUpdate u = trainedBy(prfl, 0, g, delta, 0, 1);
        Mask kept = u.dispatch().mask();
        Decision d = prfl.onUpdate(u, g);
        for (int i = 0; i < delta.length; i++) {
            float expected = kept.get(i) ? g.params()[i] + 1 : g.params()[i]; // half of the change, alpha 0.5 x s 1
            assertEquals(expected, d.model()[i], 1e-5, "entry " + i);
        }
        assertNull(prfl.buffer(), "no cache");
    }

    @Test
    void plainFedAvgAblationAveragesPrunedEntriesAsZeros() {
        PrflSettings s = new PrflSettings(new PrflSettings.Aggregation(StalenessFunction.constant(), 1, 2, 0, true,
                0.6, false, false), new PrflSettings.Density(true, 0.1, 1000, List.of(0.1, 1.0), false),
                PrflSettings.Recovery.none());
        Prfl prfl = new Prfl(s, LAYOUT, 2, null);
        ModelState g = new ModelState(ramp(), 0);
        ArrivedUpdate small = trainedBy(prfl, 0, g, new float[WEIGHTS + BIASES], 0, 1);
        assertFalse(prfl.onUpdate(small, g).publishes());
        Decision d = prfl.onUpdate(trainedBy(prfl, 1, g, new float[WEIGHTS + BIASES], 0, 1), g);
        Mask kept = small.dispatch().mask();
        for (int i = 0; i < WEIGHTS + BIASES; i++) {
            // equal weights: the whole model's value, averaged with 0 where the small model pruned it
            float expected = kept.get(i) ? g.params()[i] : g.params()[i] / 2;
            assertEquals(expected, d.model()[i], 1e-5, "entry " + i);
        }
    }

    @Test
    void synchronousPrflAggregatesOncePerRound() {
        PrflSettings s = new PrflSettings(new PrflSettings.Aggregation(StalenessFunction.polynomial(0.6), 1, 1, 0, true,
                0.6, true, true), new PrflSettings.Density(true, 0.1, 1000, List.of(), false),
                PrflSettings.Recovery.none());
        Prfl prfl = new Prfl(s, LAYOUT, 2, null);
        assertTrue(prfl.pacing() instanceof Pacing.Rounds);
        ModelState g = new ModelState(ramp(), 0);
        float[] delta = new float[WEIGHTS + BIASES];
        java.util.Arrays.fill(delta, 1);
        assertFalse(prfl.onUpdate(trainedBy(prfl, 0, g, delta, 0, 1), g).publishes());
        assertFalse(prfl.onUpdate(trainedBy(prfl, 1, g, delta, 0, 1), g).publishes());
        Decision d = prfl.onRoundEnd(new RoundOutcome(1, 2, 2, 0, 0, 0), g);
        assertEquals(g.params()[0] + 1, d.model()[0], 1e-6);
        assertFalse(prfl.onRoundEnd(new RoundOutcome(2, 2, 0, 0, 2, 0), new ModelState(d.model(), 1)).publishes(),
                "nothing new stored: no aggregation");
    }
}
