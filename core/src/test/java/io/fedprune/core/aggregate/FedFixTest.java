package io.fedprune.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class FedFixTest {

    /** x' = sum_i p_i w_i + (1 - sum_i p_i) x with p_i = n_i s_i / sum_j n_j. */
    static double[] reference(float[] x, List<ArrivedUpdate> window, StalenessFunction s) {
        double n = 0;
        for (ArrivedUpdate u : window) {
            n += u.samples();
        }
        double[] out = new double[x.length];
        double kept = 0;
        for (ArrivedUpdate u : window) {
            double p = u.samples() * s.weight(u.staleness()) / n;
            kept += p;
            for (int j = 0; j < x.length; j++) {
                out[j] += p * u.params()[j];
            }
        }
        for (int j = 0; j < x.length; j++) {
            out[j] += (1 - kept) * x[j];
        }
        return out;
    }

    @Test
    void aggregatesWhatArrivedAtEachTickAndNothingOtherwise() {
        SplittableRandom rng = new SplittableRandom(31);
        StalenessFunction s = StalenessFunction.hinge(1, 1);
        FedFix fix = new FedFix(new FedFix.Settings(5_000_000, s));
        assertEquals(new Pacing.Continuous(5_000_000), fix.pacing());
        int w = 12;
        float[] x = FedBuffTest.random(rng, w);
        long version = 0;
        for (int tick = 1; tick <= 40; tick++) {
            List<ArrivedUpdate> window = new ArrayList<>();
            int arrivals = tick % 5 == 0 ? 0 : rng.nextInt(6);
            for (int a = 0; a < arrivals; a++) {
                ModelState g = new ModelState(x, version);
                ArrivedUpdate u = Arrivals.of(a, FedBuffTest.random(rng, w), 1 + rng.nextInt(100),
                        rng.nextLong(0, version + 1), g);
                assertFalse(fix.onUpdate(u, g).publishes(), "FedFix never publishes on an arrival");
                window.add(u);
            }
            Decision d = fix.onTick(tick * 5_000_000L, new ModelState(x, version));
            if (window.isEmpty()) {
                assertFalse(d.publishes(), "an empty window publishes nothing");
                continue;
            }
            double[] expected = reference(x, window, s);
            for (int j = 0; j < w; j++) {
                assertEquals(expected[j], d.model()[j], 1e-5 * (1 + Math.abs(expected[j])));
            }
            assertEquals((double) window.size(), d.metrics().get(FedFix.WINDOW_UPDATES));
            assertEquals(0, fix.pending());
            x = d.model();
            version++;
        }
    }

    @Test
    void freshUpdatesGiveTheirFedAvg() {
        FedFix fix = new FedFix(new FedFix.Settings(1, StalenessFunction.polynomial(0.5)));
        ModelState g = new ModelState(new float[] {100}, 2);
        fix.onUpdate(Arrivals.of(0, new float[] {1}, 1, 2, g), g);
        fix.onUpdate(Arrivals.of(1, new float[] {5}, 3, 2, g), g);
        assertEquals(4.0f, fix.onTick(1, g).model()[0], 1e-6);
        assertTrue(!fix.onTick(2, g).publishes());
    }

    @Test
    void intervalMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new FedFix.Settings(0, StalenessFunction.constant()));
        assertThrows(IllegalArgumentException.class, () -> new FedFix.Settings(-5, StalenessFunction.constant()));
    }
}
