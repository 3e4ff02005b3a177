package io.fedprune.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.prune.WidthSlice;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.RoundOutcome;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class HeteroFlTest {
    /** 16 inputs, 200 hidden units, 4 classes: 4204 parameters. */
    static final ModelSpec SPEC = new ModelSpec(ModelArchitecture.MLP, 1, 4, 4, 4);
    static final int N = 16 * 200 + 200 + 200 * 4 + 4;

    static HeteroFl.Settings fixed(List<Double> rates) {
        return new HeteroFl.Settings(1.0, 0, rates, List.of(), RateAssignment.Mode.FIXED);
    }

    static ArrivedUpdate arrival(int clientId, float[] params, long samples, Dispatch dispatch) {
        return new ArrivedUpdate(clientId, params, samples, 0, 0, null, dispatch, 0.1, 0, 0);
    }

    static float[] gaussian(SplittableRandom rng, int n) {
        float[] p = new float[n];
        for (int i = 0; i < n; i++) {
            p[i] = (float) rng.nextGaussian();
        }
        return p;
    }

    /** HeteroFL's aggregation entry by entry: the plain mean over the clients whose slice holds it, else the old value. */
    static float[] reference(float[] previous, List<float[]> params, List<Mask> coverage) {
        float[] out = previous.clone();
        for (int j = 0; j < previous.length; j++) {
            double sum = 0;
            int count = 0;
            for (int i = 0; i < params.size(); i++) {
                if (coverage.get(i).get(j)) {
                    sum += params.get(i)[j];
                    count++;
                }
            }
            if (count > 0) {
                out[j] = (float) (sum / count);
            }
        }
        return out;
    }

    @Test
    void eachEntryIsTheCountBasedMeanOfTheClientsCoveringItAndUncoveredEntriesKeepTheirValue() {
        List<Double> rates = List.of(0.5, 0.25, 0.125); // no full-width level: part of the model is never covered
        Mask[] slices = new Mask[rates.size()];
        for (int k = 0; k < slices.length; k++) {
            slices[k] = WidthSlice.of(SPEC, rates.get(k)).coverage();
        }
        int[] levelOf = {0, 0, 1, 1, 2, 2};
        HeteroFl strategy = new HeteroFl(fixed(rates), SPEC, levelOf);
        SplittableRandom rng = new SplittableRandom(42);
        for (int trial = 0; trial < 5; trial++) {
            float[] previous = gaussian(rng, N);
            ModelState global = new ModelState(previous, trial);
            List<float[]> params = new ArrayList<>();
            List<Mask> coverage = new ArrayList<>();
            double rateSum = 0;
            for (int id = 0; id < levelOf.length; id++) {
                if (trial > 0 && rng.nextInt(3) == 0) {
                    continue; // this client did not answer in time
                }
                Dispatch d = strategy.configure(id, global);
                assertEquals(slices[levelOf[id]], d.mask());
                float[] p = gaussian(rng, N);
                d.mask().applyTo(p); // what the server hands the strategy: zero outside the sub-model
                params.add(p);
                coverage.add(slices[levelOf[id]]);
                rateSum += rates.get(levelOf[id]);
                // wildly different sample counts: HeteroFL does not weight by them
                strategy.onUpdate(arrival(id, p, 1 + rng.nextInt(10_000), d), global);
            }
            Decision decision = strategy.onRoundEnd(new RoundOutcome(trial + 1, 6, params.size(), 0, 0,
                    6 - params.size()), global);
            if (params.isEmpty()) {
                assertFalse(decision.publishes());
                continue;
            }
            float[] expected = reference(previous, params, coverage);
            assertArrayEquals(expected, decision.model(), 1e-6f, "trial " + trial);
            int uncovered = 0;
            for (int j = 0; j < N; j++) {
                if (!slices[0].get(j)) {
                    uncovered++;
                    assertEquals(Float.floatToRawIntBits(previous[j]), Float.floatToRawIntBits(decision.model()[j]),
                            "entry " + j + " nobody covered keeps its value exactly");
                }
            }
            assertTrue(uncovered > N / 3, "the test must have entries nobody covered: " + uncovered);
            assertEquals(rateSum / params.size(), decision.metrics().get(HeteroFl.MEAN_RATE), 1e-12);
            Mask union = coverage.stream().reduce(Mask::or).orElseThrow();
            assertEquals((double) union.cardinality() / N, decision.metrics().get(HeteroFl.COVERAGE), 1e-12);
            assertEquals(0, strategy.pending(), "the round's updates are dropped after aggregation");
        }
    }

    @Test
    void aWideAndANarrowClientAverageWhereBothTrainAndNotBySamples() {
        HeteroFl strategy = new HeteroFl(fixed(List.of(1.0, 0.5)), SPEC, new int[] {0, 1});
        ModelState global = new ModelState(new float[N], 0);
        Dispatch wide = strategy.configure(0, global);
        Dispatch narrow = strategy.configure(1, global);
        assertSame(Dispatch.global(), wide, "rate 1 is the plain global model");
        float[] ones = new float[N];
        Arrays.fill(ones, 1f);
        float[] threes = new float[N];
        Arrays.fill(threes, 3f);
        narrow.mask().applyTo(threes);
        strategy.onUpdate(arrival(0, ones, 1, wide), global);
        strategy.onUpdate(arrival(1, threes, 1000, narrow), global);
        Decision d = strategy.onRoundEnd(new RoundOutcome(1, 2, 2, 0, 0, 0), global);
        for (int j = 0; j < N; j++) {
            assertEquals(narrow.mask().get(j) ? 2f : 1f, d.model()[j], "entry " + j);
        }
        assertEquals(0.75, d.metrics().get(HeteroFl.MEAN_RATE));
        assertEquals(1.0, d.metrics().get(HeteroFl.COVERAGE));
    }

    @Test
    void narrowerRatesGetNestedMasksAndLessCompute() {
        HeteroFl.Settings s = HeteroFl.Settings.defaults();
        HeteroFl strategy = new HeteroFl(fixed(s.rates()), SPEC, new int[] {0, 1, 2, 3, 4});
        ModelState global = new ModelState(new float[N], 0);
        Dispatch full = strategy.configure(0, global);
        assertNull(full.mask());
        assertEquals(1.0, full.computeScale());
        Dispatch wider = full;
        for (int id = 1; id < 5; id++) {
            Dispatch d = strategy.configure(id, global);
            WidthSlice slice = WidthSlice.of(SPEC, s.rates().get(id));
            assertEquals(slice.coverage(), d.mask());
            assertEquals(slice.flopsFraction(), d.computeScale());
            assertTrue(d.computeScale() < wider.computeScale(), "rate " + s.rates().get(id));
            assertTrue(wider.mask() == null || d.mask().isSubsetOf(wider.mask()), "a narrower slice lies inside a wider");
            assertEquals(s.rates().get(id), strategy.rateOf(id));
            wider = d;
        }
        assertEquals(strategy.configure(4, global), strategy.configure(99, global),
                "a client beyond the assignment takes the last rate");
    }

    @Test
    void badSettingsAreRefusedWithTheirReason() {
        assertEquals("rates: must be strictly decreasing (widest first), got [0.5, 1.0]", assertThrows(
                IllegalArgumentException.class, () -> fixed(List.of(0.5, 1.0))).getMessage());
        assertEquals("rates: each model rate must be in (0, 1], got 1.5", assertThrows(IllegalArgumentException.class,
                () -> fixed(List.of(1.5))).getMessage());
        assertEquals("rates: at least one model rate is needed", assertThrows(IllegalArgumentException.class,
                () -> fixed(List.of())).getMessage());
        assertEquals("shares: one share per rate (2), got 3; [] for equal shares", assertThrows(
                IllegalArgumentException.class, () -> new HeteroFl.Settings(1, 0, List.of(1.0, 0.5),
                        List.of(0.2, 0.3, 0.5), RateAssignment.Mode.FIXED)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new HeteroFl.Settings(1, 0, List.of(1.0, 0.5),
                List.of(0.2, 0.3), RateAssignment.Mode.FIXED)).getMessage().startsWith("shares: must sum to 1"));
        assertThrows(IllegalArgumentException.class, () -> new HeteroFl.Settings(0, 0, List.of(1.0), List.of(),
                RateAssignment.Mode.FIXED));
        assertThrows(IllegalArgumentException.class, () -> new HeteroFl(fixed(List.of(1.0)), SPEC.withWidthRate(0.5),
                new int[] {0}));
        assertEquals(List.of(0.5, 0.5), fixed(List.of(1.0, 0.5)).shares(), "[] means equal shares");
    }

    @Test
    void aRoundWithoutUpdatesKeepsTheModel() {
        HeteroFl strategy = new HeteroFl(fixed(List.of(1.0, 0.5)), SPEC, new int[] {0, 1});
        assertFalse(strategy.onRoundEnd(new RoundOutcome(1, 2, 0, 1, 1, 0), new ModelState(new float[N], 0))
                .publishes());
    }
}
