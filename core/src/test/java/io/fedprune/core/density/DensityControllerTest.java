package io.fedprune.core.density;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class DensityControllerTest {

    @Test
    void prFlSpeedClassesGetTheirTimeRatiosAboveTheFloor() {
        DensityController c = new DensityController(5, 50, 0.1);
        double[] time = {2, 4, 8, 20, 40};
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < time.length; i++) {
                c.observe(i, time[i]);
            }
        }
        // 2/2, 2/4, 2/8, 2/20 = 0.1 (the floor exactly), 2/40 = 0.05 raised to the floor
        assertArrayEquals(new double[] {1.0, 0.5, 0.25, 0.1, 0.1}, c.densities());
        assertEquals(0.25, c.density(2));
        assertEquals(8.0, c.meanRoundTime(2));
        assertEquals(3, c.observations(2));
    }

    @Test
    void aClientNotObservedYetGetsItsFloorAndDoesNotCountAsFastest() {
        DensityController c = new DensityController(3, 4, 0.2);
        assertArrayEquals(new double[] {0.2, 0.2, 0.2}, c.densities());
        assertTrue(Double.isNaN(c.meanRoundTime(0)));
        c.observe(1, 10);
        c.observe(2, 40);
        assertArrayEquals(new double[] {0.2, 1.0, 0.25}, c.densities());
        assertEquals(0, c.observations(0));
    }

    @Test
    void theWindowKeepsTheLastIRoundTimes() {
        DensityController c = new DensityController(2, 2, 0.1);
        c.observe(0, 100);
        c.observe(0, 1);
        c.observe(0, 3); // 100 leaves the window
        assertEquals(2.0, c.meanRoundTime(0));
        assertEquals(2, c.observations(0));
        c.observe(1, 8);
        assertEquals(0.25, c.density(1));
    }

    @Test
    void raisingStartsFromTheCurrentDensityAndNeverLowersAFloor() {
        DensityController c = new DensityController(3, 1, 0.1);
        c.observe(0, 1);
        c.observe(1, 2);
        c.observe(2, 10);
        c.raiseFloors(new RestorationSchedule.Legacy(0.2));
        assertArrayEquals(new double[] {1.0, 0.7, 0.30000000000000004}, c.floors());
        c.observe(1, 1); // client 1 is now as fast as client 0, its floor stays
        c.raiseFloors(new RestorationSchedule.Ladder());
        assertArrayEquals(new double[] {1.0, 1.0, 0.5}, c.floors());
        assertFalse(c.allFull());
        c.raiseFloors(new RestorationSchedule.Fixed());
        assertArrayEquals(new double[] {1.0, 1.0, 0.6}, c.floors());
        c.raiseFloors(new RestorationSchedule.Legacy(1));
        assertTrue(c.allFull());
        assertArrayEquals(new double[] {1, 1, 1}, c.densities());
    }

    @Test
    void agreesWithAListReferenceOnRandomObservationsAndRaises() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int run = 0; run < 200; run++) {
            int clients = 1 + rng.nextInt(12);
            int window = 1 + rng.nextInt(8);
            double floor0 = rng.nextInt(4) == 0 ? 1.0 : 0.01 + 0.98 * rng.nextDouble();
            DensityController c = new DensityController(clients, window, floor0);
            List<List<Double>> seen = new ArrayList<>();
            double[] floors = new double[clients];
            Arrays.fill(floors, floor0);
            for (int i = 0; i < clients; i++) {
                seen.add(new ArrayList<>());
            }
            int silent = rng.nextInt(clients + 1); // clients >= silent are never observed
            for (int step = 0; step < 300; step++) {
                if (rng.nextInt(40) == 0) {
                    RestorationSchedule s = switch (rng.nextInt(3)) {
                        case 0 -> new RestorationSchedule.Legacy(0.05 + 0.3 * rng.nextDouble());
                        case 1 -> new RestorationSchedule.Fixed();
                        default -> new RestorationSchedule.Ladder();
                    };
                    double[] now = referenceDensities(seen, window, floors);
                    for (int i = 0; i < clients; i++) {
                        floors[i] = Math.max(floors[i], s.next(now[i]));
                    }
                    c.raiseFloors(s);
                } else if (silent > 0) {
                    int i = rng.nextInt(silent);
                    double t = rng.nextInt(3) == 0 ? 1 + rng.nextInt(4) : Math.exp(3 * rng.nextGaussian());
                    c.observe(i, t);
                    seen.get(i).add(t);
                }
                assertArrayEquals(referenceDensities(seen, window, floors), c.densities(), "run " + run);
                assertArrayEquals(floors, c.floors());
            }
            for (int i = 0; i < clients; i++) {
                assertEquals(referenceDensities(seen, window, floors)[i], c.density(i));
                double d = c.density(i);
                assertTrue(d > 0 && d <= 1, "density " + d);
            }
        }
    }

    /** The definition, spelled out on plain lists: window = the last I times, oldest first. */
    private static double[] referenceDensities(List<List<Double>> seen, int window, double[] floors) {
        double[] mean = new double[seen.size()];
        double fastest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < mean.length; i++) {
            List<Double> all = seen.get(i);
            List<Double> last = all.subList(Math.max(0, all.size() - window), all.size());
            double sum = 0;
            for (double t : last) {
                sum += t;
            }
            mean[i] = last.isEmpty() ? Double.NaN : sum / last.size();
            if (!last.isEmpty()) {
                fastest = Math.min(fastest, mean[i]);
            }
        }
        double[] out = new double[mean.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = Double.isNaN(mean[i]) ? floors[i] : Math.min(1.0, Math.max(fastest / mean[i], floors[i]));
        }
        return out;
    }

    @Test
    void invalidArgumentsAreRejectedWithTheirValue() {
        assertMessage(() -> new DensityController(0, 5, 0.1), "clients", "0");
        assertMessage(() -> new DensityController(2, 0, 0.1), "window", "0");
        assertMessage(() -> new DensityController(2, 5, 0), "minDensity", "0.0");
        assertMessage(() -> new DensityController(2, 5, 1.5), "minDensity", "1.5");
        assertMessage(() -> new DensityController(2, 5, Double.NaN), "minDensity", "NaN");
        DensityController c = new DensityController(2, 5, 0.1);
        assertMessage(() -> c.observe(2, 1), "client 2", "[0, 2)");
        assertMessage(() -> c.observe(-1, 1), "client -1");
        assertMessage(() -> c.observe(0, 0), "client 0", "0.0");
        assertMessage(() -> c.observe(0, Double.POSITIVE_INFINITY), "Infinity");
        assertMessage(() -> c.observe(0, Double.NaN), "NaN");
        assertMessage(() -> c.density(5), "client 5");
        assertEquals(0, c.observations(0), "a rejected time must leave no trace");
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
    }
}
