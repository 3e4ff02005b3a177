package io.fedprune.core.prfl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.aggregate.Arrivals;
import io.fedprune.core.aggregate.ClientBuffer;
import io.fedprune.core.aggregate.FedBuffTest;
import io.fedprune.core.aggregate.MaskFedAvgTest;
import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** PR-FL's buffered aggregation alone (pruning = false, recovery = none): the buffer and MaskFedAvg. */
class PrflBufferTest {

    static ParameterLayout layout(int size) {
        return new ParameterLayout(List.of(new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, size,
                new long[] {1, size})));
    }

    static PrflSettings bufferOnly(StalenessFunction staleness, double globalLr, int every, long intervalMicros) {
        return new PrflSettings(new PrflSettings.Aggregation(staleness, globalLr, every, intervalMicros, true, 0.6,
                true, false), new PrflSettings.Density(false, 0.1, 1_000_000, List.of(), false),
                PrflSettings.Recovery.none());
    }

    static Prfl prfl(PrflSettings s, int size) {
        return new Prfl(s, layout(size), 100, null);
    }


    /** The latest update per client (by base version), aggregated with the slow MaskFedAvg reference. */
    static final class Reference {
        final TreeMap<Integer, ArrivedUpdate> latest = new TreeMap<>();

        void offer(ArrivedUpdate u) {
            ArrivedUpdate held = latest.get(u.clientId());
            if (held == null || u.baseVersion() > held.baseVersion()) {
                latest.put(u.clientId(), u);
            }
        }

        double[] aggregate(ModelState global, PrflSettings.Aggregation s) {
            List<float[]> params = new ArrayList<>();
            List<Mask> masks = new ArrayList<>();
            double[] w = new double[latest.size()];
            double sum = 0;
            int i = 0;
            for (ArrivedUpdate u : latest.values()) {
                w[i] = s.staleness().weight(global.version() - u.baseVersion());
                sum += w[i++];
                params.add(u.params());
                masks.add(u.dispatch().mask());
            }
            i = 0;
            for (ArrivedUpdate u : latest.values()) {
                w[i] = w[i] / sum * u.samples();
                i++;
            }
            return MaskFedAvgTest.reference(global.params(), params, masks, w, s.globalLr());
        }

        double meanStaleness(long version) {
            return latest.values().stream().mapToLong(u -> version - u.baseVersion()).average().orElse(0);
        }
    }

    /** A sub-model as a client would return it: trained values inside its mask, 0 outside. */
    static float[] trained(SplittableRandom rng, Mask mask) {
        float[] p = FedBuffTest.random(rng, mask.size());
        mask.applyTo(p);
        return p;
    }

    @Test
    void eachArrivalPublishesMaskFedAvgOverTheWholeBuffer() {
        SplittableRandom rng = new SplittableRandom(5);
        for (int trial = 0; trial < 20; trial++) {
            int size = 1 + rng.nextInt(200);
            int clients = 1 + rng.nextInt(10);
            PrflSettings settings = bufferOnly(trial % 2 == 0
                    ? StalenessFunction.polynomial(0.6) : StalenessFunction.hinge(0.5, 2),
                    trial % 3 == 0 ? 0.3 + 0.7 * rng.nextDouble() : 1.0, 1, 0);
            Prfl prfl = prfl(settings, size);
            assertEquals(Pacing.continuous(), prfl.pacing());
            Reference ref = new Reference();
            long[] base = new long[clients];
            float[] x = FedBuffTest.random(rng, size);
            long version = 0;
            for (int k = 0; k < 60; k++) {
                int c = rng.nextInt(clients);
                ModelState global = new ModelState(x, version);
                base[c] = rng.nextLong(base[c], version + 1); // a client's runs start from ever newer versions
                Mask mask = rng.nextInt(4) == 0 ? null : MaskFedAvgTest.randomMask(rng, size, -1);
                if (mask != null && mask.cardinality() == 0) {
                    mask = null;
                }
                ArrivedUpdate u = Arrivals.masked(c, mask == null ? FedBuffTest.random(rng, size) : trained(rng, mask),
                        1 + rng.nextInt(500), base[c], global, mask);
                ArrivedUpdate held = ref.latest.get(c);
                boolean duplicate = held != null && held.baseVersion() == u.baseVersion();
                ref.offer(u);
                Decision d = prfl.onUpdate(u, global);
                assertEquals(base[c], ((ClientBuffer) prfl.buffer()).slot(c).baseVersion());
                // only a second run from the same version (a duplicate) adds nothing and publishes nothing
                assertEquals(!duplicate, d.publishes());
                if (duplicate) {
                    continue;
                }
                double[] expected = ref.aggregate(global, settings.aggregation());
                for (int j = 0; j < size; j++) {
                    assertEquals(expected[j], d.model()[j], 1e-6 * (1 + Math.abs(expected[j])), "entry " + j);
                }
                assertEquals((double) ref.latest.size(), d.metrics().get(Prfl.BUFFER_CLIENTS));
                assertEquals(ref.meanStaleness(version), d.metrics().get(Prfl.MEAN_BUFFER_STALENESS), 1e-12);
                x = d.model();
                version++;
            }
        }
    }

    @Test
    void aggregatesEveryKStoredUpdatesAndIgnoredOnesDoNotCount() {
        Prfl prfl = prfl(bufferOnly(StalenessFunction.constant(), 1, 3, 0), 1);
        ModelState g0 = new ModelState(new float[] {0}, 0);
        assertFalse(prfl.onUpdate(Arrivals.of(1, new float[] {3}, 1, 0, g0), g0).publishes());
        assertFalse(prfl.onUpdate(Arrivals.of(1, new float[] {5}, 1, 0, g0), g0).publishes(), "a duplicate");
        assertFalse(prfl.onUpdate(Arrivals.of(2, new float[] {6}, 2, 0, g0), g0).publishes());
        Decision third = prfl.onUpdate(Arrivals.of(3, new float[] {9}, 3, 0, g0), g0);
        // (1 * 3 + 2 * 6 + 3 * 9) / 6; the duplicate's 5 is not in it
        assertEquals(7.0f, third.model()[0], 1e-6);
        assertEquals(1, prfl.buffer().summary(0).duplicates());
        ModelState g1 = new ModelState(third.model(), 1);
        assertFalse(prfl.onUpdate(Arrivals.of(1, new float[] {1}, 1, 1, g1), g1).publishes());
        assertFalse(prfl.onUpdate(Arrivals.of(2, new float[] {1}, 2, 1, g1), g1).publishes());
        Decision sixth = prfl.onUpdate(Arrivals.of(1, new float[] {7}, 1, 1, g1), g1); // a duplicate again
        assertFalse(sixth.publishes(), "two stored since the last aggregation, not three");
        assertEquals(2, prfl.buffer().summary(1).duplicates());
    }

    @Test
    void timeTriggeredAggregatesOnTicksWhenSomethingNewWasStored() {
        Prfl prfl = prfl(bufferOnly(StalenessFunction.polynomial(0.6), 1, 1, 2_000_000), 2);
        assertEquals(new Pacing.Continuous(2_000_000), prfl.pacing());
        ModelState g0 = new ModelState(new float[] {1, 1}, 0);
        assertFalse(prfl.onTick(2_000_000, g0).publishes(), "an empty buffer publishes nothing");
        Mask first = Mask.fromIndices(2, new int[] {0});
        assertFalse(prfl.onUpdate(Arrivals.masked(4, new float[] {3, 0}, 10, 0, g0, first), g0).publishes());
        assertFalse(prfl.onUpdate(Arrivals.masked(8, new float[] {5, 5}, 10, 0, g0, null), g0).publishes());
        Decision tick = prfl.onTick(4_000_000, g0);
        assertEquals(4.0f, tick.model()[0], 1e-6);
        assertEquals(5.0f, tick.model()[1], 1e-6);
        assertEquals(2.0, tick.metrics().get(Prfl.BUFFER_CLIENTS));
        assertEquals(0.0, tick.metrics().get(Prfl.MEAN_BUFFER_STALENESS));
        ModelState g1 = new ModelState(tick.model(), 1);
        assertFalse(prfl.onTick(6_000_000, g1).publishes(), "nothing new since the last aggregation");
        // client 4 again, fresh: s = 1 against client 8's s(1) = 2^-0.6
        assertFalse(prfl.onUpdate(Arrivals.masked(4, new float[] {1, 0}, 10, 1, g1, first), g1).publishes());
        Decision next = prfl.onTick(8_000_000, g1);
        double s8 = Math.pow(2, -0.6);
        assertEquals((1 + s8 * 5) / (1 + s8), next.model()[0], 1e-6);
        assertEquals(5.0f, next.model()[1], 1e-6);
        assertEquals(0.5, next.metrics().get(Prfl.MEAN_BUFFER_STALENESS));
    }

    @Test
    void withoutPruningEveryClientGetsTheWholeModel() {
        Prfl prfl = prfl(bufferOnly(StalenessFunction.polynomial(0.6), 1, 1, 0), 4);
        assertEquals(Dispatch.global(), prfl.configure(3, new ModelState(new float[4], 0)));
        assertEquals(List.of(Prfl.BUFFER_CLIENTS, Prfl.MEAN_BUFFER_STALENESS, Prfl.MEAN_DENSITY, Prfl.MIN_DENSITY,
                Prfl.VALIDATION_ACCURACY, Prfl.RAISES), prfl.metricNames());
        assertEquals("prfl", prfl.name());
        assertFalse(prfl.needsBaseModels(), "no importance to accumulate");
    }

    @Test
    void settingsAreValidated() {
        StalenessFunction s = StalenessFunction.polynomial(0.6);
        assertThrows(IllegalArgumentException.class, () -> bufferOnly(s, 0, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> bufferOnly(s, 1.1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> bufferOnly(s, Double.NaN, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> bufferOnly(s, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> bufferOnly(s, 1, 1, -1));
        assertEquals("PR-FL aggregates either every aggregate-every updates or every interval-s seconds, not both: "
                + "got aggregate-every = 4 and interval-s = 2.5", assertThrows(IllegalArgumentException.class,
                        () -> bufferOnly(s, 1, 4, 2_500_000)).getMessage());
        assertEquals("recovery restores pruned sub-models: with pruning = false set recovery = none",
                assertThrows(IllegalArgumentException.class, () -> new PrflSettings(PrflSettings.Aggregation.defaults(),
                        new PrflSettings.Density(false, 0.1, 50, List.of(), false),
                        PrflSettings.Recovery.defaults())).getMessage());
        assertEquals(List.of(1.0, 1.0, 0.6, 0.1, 0.1, 0.1), PrflSettings.Density.parseInitial("1.0*2, 0.6, 0.1*3"));
        assertEquals(List.of(), PrflSettings.Density.parseInitial(" "));
        assertThrows(IllegalArgumentException.class, () -> PrflSettings.Density.parseInitial("1.0*0"));
        assertThrows(IllegalArgumentException.class, () -> PrflSettings.Density.parseInitial("big"));
        assertThrows(IllegalArgumentException.class, () -> new PrflSettings.Density(true, 0.1, 50, List.of(1.5), false));
    }
}
