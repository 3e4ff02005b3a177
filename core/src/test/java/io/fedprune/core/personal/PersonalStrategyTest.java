package io.fedprune.core.personal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.LocalAltRound;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.StrategyContext;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The personal strategy as plain Java: allocation per round, dispatches, masked averaging, metrics. */
class PersonalStrategyTest {
    // a "model" of 3 layers: hidden weights (2000), hidden bias (20), output weights + bias (210)
    static final ParameterLayout LAYOUT = new ParameterLayout(List.of(
            new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, 2000, new long[] {100, 20}),
            new ParameterSegment("0_b", 0, SegmentKind.BIAS, 2000, 20, new long[] {1, 20}),
            new ParameterSegment("1_W", 1, SegmentKind.OUTPUT, 2020, 200, new long[] {20, 10}),
            new ParameterSegment("1_b", 1, SegmentKind.BIAS, 2220, 10, new long[] {1, 10})));
    static final int N = LAYOUT.totalLength();
    static final int CLIENTS = 6;

    static PersonalSettings settings(double maxRatio, double threshold, boolean rayleigh) {
        return new PersonalSettings(List.of(-1), 4, 2, 2, 0.4, maxRatio, threshold, 2e5, 0.2, -174, 50, 500,
                rayleigh, true, 0);
    }

    static Personal strategy(PersonalSettings s) {
        // device n computes a step in (1 + n/5) ms: unequal devices
        StrategyContext.ComputeTimes times = (id, steps) -> steps * 1e-3 * (1 + id / 5.0);
        return new Personal(s, new StrategyContext(LAYOUT, 9, CLIENTS, null, null, null, null, null, times));
    }

    static ModelState model(float v) {
        float[] p = new float[N];
        java.util.Arrays.fill(p, v);
        return new ModelState(p, 0);
    }

    @Test
    void everyDeviceGetsTheGlobalPartAndALocalAltRoundThatMakesTheThreshold() {
        PersonalSettings s = settings(0.7, 0.05, true);
        Personal p = strategy(s);
        double used = 0;
        for (int c = 0; c < CLIENTS; c++) {
            Dispatch d = p.configure(c, model(1));
            assertEquals(2020, d.mask().cardinality(), "the output layer is not sent");
            assertFalse(d.mask().get(2020));
            LocalAltRound r = d.localAlt();
            assertTrue(r.pruneRatio() >= 0 && r.pruneRatio() <= 0.7, "rho " + r.pruneRatio());
            assertEquals(s.computeScale(r.pruneRatio()), d.computeScale(), 1e-15);
            assertEquals(8, d.work().maxSteps());
            // what the clock will make of it: compute at the scale plus the upload at the granted rate
            double compute = 8 * 1e-3 * (1 + c / 5.0) * d.computeScale();
            double bits = 32 * (2020 - r.pruneRatio() * 2020) + 8 * io.fedprune.core.compress.SparseFloat32Codec
                    .bitmapSize(2020, 0);
            assertTrue(compute + bits / r.uplinkBps() <= 0.05 * (1 + 1e-9), "device " + c + " latency "
                    + (compute + bits / r.uplinkBps()));
            used += bits / r.uplinkBps();
        }
        assertTrue(used > 0);
    }

    @Test
    void theAllocationIsSolvedAgainEveryRoundOverFreshFading() {
        Personal p = strategy(settings(0.7, 0.05, true));
        double[] first = new double[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            first[c] = p.configure(c, model(1)).localAlt().uplinkBps();
        }
        assertEquals(first[2], p.configure(2, model(1)).localAlt().uplinkBps(), "one plan per round");
        p.onRoundEnd(new RoundOutcome(1, CLIENTS, 0, 0, 0, CLIENTS), model(1));
        double[] second = new double[CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            second[c] = p.configure(c, model(1)).localAlt().uplinkBps();
        }
        assertNotEquals(first[0], second[0]);
        Personal still = strategy(settings(0.7, 0.05, false));
        double before = still.configure(0, model(1)).localAlt().uplinkBps();
        still.onRoundEnd(new RoundOutcome(1, CLIENTS, 0, 0, 0, CLIENTS), model(1));
        assertEquals(before, still.configure(0, model(1)).localAlt().uplinkBps(), "no fading: the same channels");
    }

    @Test
    void aThresholdOutOfReachIsRelaxedAndReportedNotSilentlyMissed() {
        Personal p = strategy(settings(0.7, 0.001, true)); // below the fastest device's compute
        for (int c = 0; c < CLIENTS; c++) {
            p.configure(c, model(1));
        }
        p.onUpdate(update(0, new float[N], 10, 0.5, 0.75), model(1));
        Decision d = p.onRoundEnd(new RoundOutcome(1, CLIENTS, 1, 0, 0, CLIENTS - 1), model(1));
        assertEquals(CLIENTS, d.metrics().get("late_devices"));
        assertTrue(d.metrics().get("threshold_s") > 0.001);
        assertTrue(d.metrics().get("planned_latency_s") <= d.metrics().get("threshold_s") * (1 + 1e-9));
    }

    @Test
    void keptEntriesAreAveragedBySamplesAndThePersonalSegmentIsNotAggregated() {
        Personal p = strategy(settings(0.7, 0, true));
        for (int c = 0; c < CLIENTS; c++) {
            p.configure(c, model(1));
        }
        float[] a = new float[N];
        float[] b = new float[N];
        for (int j = 0; j < 2020; j++) {
            a[j] = j % 2 == 0 ? 2f : 0f; // a pruned the odd entries
            b[j] = j < 1000 ? 5f : 0f;   // b pruned the second half
        }
        a[2100] = 99f; // a personal entry the server must ignore (the server masks it anyway)
        p.onUpdate(update(0, a, 10, 0.5, 0.8), model(1));
        p.onUpdate(update(1, b, 30, 0.5, 0.6), model(1));
        Decision d = p.onRoundEnd(new RoundOutcome(1, 2, 2, 0, 0, 0), model(1));
        float[] next = d.model();
        assertEquals((10 * 2 + 30 * 5) / 40f, next[0], 1e-6f, "both kept entry 0");
        assertEquals(5f, next[1], 1e-6f, "only b kept entry 1");
        assertEquals(2f, next[1000], 1e-6f, "only a kept entry 1000");
        assertEquals(1f, next[1001], 0f, "nobody kept entry 1001: its value stays");
        for (int j = 2020; j < N; j++) {
            assertEquals(1f, next[j], 0f, "the personal segment stays as it was");
        }
        assertEquals(0.7, d.metrics().get("device_acc_mean"), 1e-12);
        assertEquals(0.1, d.metrics().get("device_acc_std"), 1e-12);
        assertEquals(0.6, d.metrics().get("device_acc_min"));
        assertEquals(0.8, d.metrics().get("device_acc_max"));
    }

    @Test
    void withoutPruningAZeroIsAKeptValue() {
        Personal p = strategy(settings(0, 0, false));
        for (int c = 0; c < CLIENTS; c++) {
            assertEquals(0, p.configure(c, model(1)).localAlt().pruneRatio());
        }
        float[] a = new float[N];
        java.util.Arrays.fill(a, 0, 2020, 4f);
        float[] b = new float[N]; // all zero, unpruned: it pulls the average down
        p.onUpdate(update(0, a, 10, 0, Double.NaN), model(1));
        p.onUpdate(update(1, b, 10, 0, Double.NaN), model(1));
        Decision d = p.onRoundEnd(new RoundOutcome(1, 2, 2, 0, 0, 0), model(1));
        assertEquals(2f, d.model()[5], 0f);
        assertEquals(0.0, d.metrics().get("devices_measured"));
        assertFalse(d.metrics().containsKey("device_acc_mean"));
    }

    @Test
    void settingsRefuseInconsistentCombinations() {
        assertThrows(IllegalArgumentException.class, () -> new PersonalSettings(List.of(), 3, 2, 2, 0.4, 0, 0, 1e6,
                0.2, -174, 50, 500, true, true, 0), "tau-v without a personal part");
        assertThrows(IllegalArgumentException.class, () -> new PersonalSettings(List.of(-1), 3, 2, 0, 0.4, 0.5, 0,
                1e6, 0.2, -174, 50, 500, true, true, 0), "pruning without steps after it");
        assertThrows(IllegalArgumentException.class, () -> new PersonalSettings(List.of(-1), 3, 0, 0, 0.4, 0, 0,
                1e6, 0.2, -174, 50, 500, true, true, 0), "no global steps");
        assertThrows(IllegalArgumentException.class, () -> new PersonalSettings(List.of(-1), 3, 2, 2, 0.4, 1.0, 0,
                1e6, 0.2, -174, 50, 500, true, true, 0), "rho_max = 1");
        assertThrows(IllegalArgumentException.class, () -> new PersonalSettings(List.of(-1), 3, 2, 2, 0.4, 0.5, 0,
                1e6, 0.2, -174, 500, 50, true, true, 0), "min distance above max");
        assertThrows(IllegalArgumentException.class, () -> strategy(new PersonalSettings(List.of(5), 3, 2, 2, 0.4,
                0.5, 0, 1e6, 0.2, -174, 50, 500, true, true, 0)), "layer 5 of 2");
    }

    static ArrivedUpdate update(int client, float[] params, long samples, double ratio, double accuracy) {
        Dispatch d = new Dispatch(PersonalParts.of(LAYOUT, List.of(-1)).global(), null, null, 1.0, null,
                new LocalAltRound(4, 2, 2, ratio, 1e6));
        return new ArrivedUpdate(client, params, samples, 0, 0, null, d, 0.1, 0, 1000, accuracy);
    }
}
