package io.fedprune.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.ModelState;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

public class FedBuffTest {

    /**
     * Obviously correct FedBuff with server momentum: after every K updates,
     * g = (1/K) sum_i s(tau_i) (start_i - trained_i), m = beta m + g, x = x - lr m.
     */
    static final class Reference {
        final FedBuff.Settings s;
        final List<double[]> pending = new ArrayList<>();
        double[] m;

        Reference(FedBuff.Settings s) {
            this.s = s;
        }

        double[] step(double[] x, ArrivedUpdate u) {
            double w = s.staleness().weight(u.staleness());
            double[] d = new double[x.length];
            for (int j = 0; j < d.length; j++) {
                d[j] = w * ((double) u.base()[j] - u.params()[j]);
            }
            pending.add(d);
            if (pending.size() < s.bufferSize()) {
                return null;
            }
            if (m == null) {
                m = new double[x.length];
            }
            double[] out = new double[x.length];
            for (int j = 0; j < x.length; j++) {
                double g = 0;
                for (double[] p : pending) {
                    g += p[j];
                }
                g /= pending.size();
                m[j] = s.serverMomentum() * m[j] + g;
                out[j] = x[j] - s.serverLr() * m[j];
            }
            pending.clear();
            return out;
        }
    }

    @Test
    void matchesTheReferenceOnRandomStreamsAndPublishesEveryKUpdates() {
        SplittableRandom rng = new SplittableRandom(77);
        for (int trial = 0; trial < 60; trial++) {
            int k = 1 + rng.nextInt(6);
            FedBuff.Settings settings = new FedBuff.Settings(k, 0.1 + rng.nextDouble() * 2,
                    trial % 2 == 0 ? 0 : rng.nextDouble() * 0.9, StalenessFunction.polynomial(0.5));
            FedBuff buff = new FedBuff(settings);
            Reference ref = new Reference(settings);
            int w = 1 + rng.nextInt(40);
            float[] x = new float[w];
            double[] refX = new double[w];
            long version = 0;
            int published = 0;
            int updates = 3 * k + rng.nextInt(k + 1);
            for (int n = 0; n < updates; n++) {
                float[] start = random(rng, w);
                float[] trained = random(rng, w);
                long base = rng.nextLong(0, version + 1);
                ModelState global = new ModelState(x, version);
                ArrivedUpdate u = Arrivals.of(n, trained, 1 + rng.nextInt(50), base, global, start);
                Decision d = buff.onUpdate(u, global);
                double[] expected = ref.step(refX, u);
                assertEquals(expected != null, d.publishes(), "publishes exactly when K updates are buffered");
                if (d.publishes()) {
                    published++;
                    for (int j = 0; j < w; j++) {
                        assertEquals(expected[j], d.model()[j], 1e-5 * (1 + Math.abs(expected[j])), "entry " + j);
                        refX[j] = d.model()[j];
                    }
                    x = d.model();
                    version++;
                    assertTrue(d.metrics().containsKey(FedBuff.BUFFER_STALENESS));
                }
            }
            assertEquals(updates / k, published, "one server step per K updates");
            assertEquals(updates % k, buff.buffered());
        }
    }

    @Test
    void stalenessScalesTheChangeAndFreshUpdatesAverage() {
        FedBuff buff = new FedBuff(new FedBuff.Settings(2, 1.0, 0, StalenessFunction.polynomial(0.5)));
        ModelState global = new ModelState(new float[] {10}, 3);
        // fresh: change 10 - 4 = 6; staleness 3: change (10 - 2) / sqrt(4) = 4; mean 5
        assertFalse(buff.onUpdate(Arrivals.of(0, new float[] {4}, 5, 3, global, new float[] {10}), global).publishes());
        Decision d = buff.onUpdate(Arrivals.of(1, new float[] {2}, 5, 0, global, new float[] {10}), global);
        assertEquals(5.0f, d.model()[0], 1e-6);
        assertEquals(1.5, d.metrics().get(FedBuff.BUFFER_STALENESS), 1e-12);
        assertTrue(buff.needsBaseModels());
    }

    @Test
    void settingsAreValidated() {
        StalenessFunction s = StalenessFunction.constant();
        assertThrows(IllegalArgumentException.class, () -> new FedBuff.Settings(0, 1, 0, s));
        assertThrows(IllegalArgumentException.class, () -> new FedBuff.Settings(1, 0, 0, s));
        assertThrows(IllegalArgumentException.class, () -> new FedBuff.Settings(1, Double.NaN, 0, s));
        assertThrows(IllegalArgumentException.class, () -> new FedBuff.Settings(1, 1, 1, s));
        assertThrows(IllegalArgumentException.class, () -> new FedBuff.Settings(1, 1, -0.1, s));
    }

    public static float[] random(SplittableRandom rng, int w) {
        float[] p = new float[w];
        for (int j = 0; j < w; j++) {
            p[j] = (float) rng.nextGaussian();
        }
        return p;
    }
}
