package io.fedprune.core.density;

import java.util.Arrays;

/**
 * PR-FL's density assignment, stage 1 (ALGORITHMS.md §6): each client's sub-model density from
 * its recent round times, so that slow clients get smaller models and all finish rounds in about
 * the time of the fastest one.
 *
 * <p>Per client a FIFO window of its last {@code window} observed round times, their mean
 * {@code t̄_i}, and a floor {@code ρ_min,i} (initially {@code ρ_min}); the density is
 * {@code ρ_i = max(min_j t̄_j / t̄_i, ρ_min,i)}, where the minimum runs over the clients observed
 * so far (i included, so the ratio is in (0, 1]). A client with no observation yet gets its initial
 * density if one was given (never below its floor), else its floor: nothing says it is slow, but
 * nothing says it is fast either. Floors only rise ({@link #raiseFloors}), which is how
 * recovery (stage 2, {@link Restoration}) restores models.
 *
 * <p>Deterministic (no randomness; each mean is summed in arrival order), mutable, not
 * thread-safe.
 */
public final class DensityController {
    /** PR-FL's initial floor for CIFAR-10 ({@code -md 0.1}). */
    public static final double DEFAULT_MIN_DENSITY = 0.1;

    private final int window;
    private final double[][] times; // ring buffer per client, allocated at its first observation
    private final int[] count;
    private final int[] next;
    private final double[] floors;
    private final double[] initial; // density before a client's first observation (at least its floor)

    /**
     * @param clients    number of clients, ids 0..clients-1
     * @param window     I, how many recent round times are averaged (PR-FL: the adjust interval, 50)
     * @param minDensity the initial floor ρ_min of every client, in (0, 1]
     */
    public DensityController(int clients, int window, double minDensity) {
        this(clients, window, minDensity, null);
    }

    /**
     * As above, with each client's density before its first round time is known (PR-FL's
     * experiments start the speed classes at 1.0, 0.6, 0.3 and 0.1); never below the floor.
     *
     * @param initial by client id, each in (0, 1]; null: the floor
     */
    public DensityController(int clients, int window, double minDensity, double[] initial) {
        if (clients < 1) {
            throw new IllegalArgumentException("clients must be >= 1, got " + clients);
        }
        if (window < 1) {
            throw new IllegalArgumentException("window must be >= 1 round time, got " + window);
        }
        checkDensity("minDensity", minDensity);
        this.window = window;
        this.times = new double[clients][];
        this.count = new int[clients];
        this.next = new int[clients];
        this.floors = new double[clients];
        Arrays.fill(floors, minDensity);
        this.initial = new double[clients];
        if (initial != null) {
            if (initial.length != clients) {
                throw new IllegalArgumentException(initial.length + " initial densities for " + clients + " clients");
            }
            for (int i = 0; i < clients; i++) {
                checkDensity("initial density of client " + i, initial[i]);
                this.initial[i] = initial[i];
            }
        }
    }

    public int clients() {
        return floors.length;
    }

    public int window() {
        return window;
    }

    /**
     * Records one round time of {@code client} (download, training and upload of one round, in any
     * unit as long as it is the same for every client); the oldest is dropped once the window is full.
     *
     * @throws IllegalArgumentException if the time is not finite and > 0
     */
    public void observe(int client, double roundTime) {
        checkClient(client);
        if (!(roundTime > 0 && roundTime < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException("round time of client " + client + " must be finite and > 0, got "
                    + roundTime);
        }
        if (times[client] == null) {
            times[client] = new double[window];
        }
        times[client][next[client]] = roundTime;
        next[client] = (next[client] + 1) % window;
        count[client] = Math.min(count[client] + 1, window);
    }

    /** How many round times of {@code client} are in its window (0 to {@link #window()}). */
    public int observations(int client) {
        checkClient(client);
        return count[client];
    }

    /** t̄_i, the mean of the client's window, or NaN when it has no observation yet. */
    public double meanRoundTime(int client) {
        checkClient(client);
        int c = count[client];
        if (c == 0) {
            return Double.NaN;
        }
        // oldest first, so the sum does not depend on where the ring buffer happens to start
        int start = c < window ? 0 : next[client];
        double sum = 0;
        for (int k = 0; k < c; k++) {
            sum += times[client][(start + k) % window];
        }
        return sum / c;
    }

    /**
     * ρ_i = max(min_j t̄_j / t̄_i, ρ_min,i), in (0, 1]; before any observation of i, its initial
     * density or its floor, whichever is larger.
     */
    public double density(int client) {
        checkClient(client);
        return density(client, meanRoundTime(client), fastestMean());
    }

    /** Every client's density, indexed by client id. */
    public double[] densities() {
        double fastest = fastestMean();
        double[] out = new double[floors.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = density(i, meanRoundTime(i), fastest);
        }
        return out;
    }

    private double density(int client, double mean, double fastest) {
        double ratio = Double.isNaN(mean) ? initial[client] : fastest / mean;
        return Math.min(1.0, Math.max(ratio, floors[client]));
    }

    /** min_j t̄_j over the observed clients (+infinity when there is none). */
    private double fastestMean() {
        double fastest = Double.POSITIVE_INFINITY;
        for (int i = 0; i < floors.length; i++) {
            double m = meanRoundTime(i);
            if (m < fastest) { // false for NaN: unobserved clients do not count
                fastest = m;
            }
        }
        return fastest;
    }

    /** ρ_min,i. */
    public double floor(int client) {
        checkClient(client);
        return floors[client];
    }

    /** Every client's floor, indexed by client id. */
    public double[] floors() {
        return floors.clone();
    }

    /** True once every floor is 1: every client is sent the full model, whatever its speed. */
    public boolean allFull() {
        for (double f : floors) {
            if (f < 1.0) {
                return false;
            }
        }
        return true;
    }

    /**
     * Recovery: {@code ρ_min,i ← max(ρ_min,i, schedule.next(ρ_i))} for every client, with ρ_i the
     * client's current density (ALGORITHMS.md §6: ρ_min,i ← min(ρ_i + Δρ, 1)). Raising from ρ_i
     * rather than from the old floor means every client's model grows, including the fast ones
     * whose density was above their floor. (The released PR-FL code raises one floor shared by all
     * clients from its own value instead.)
     */
    public void raiseFloors(RestorationSchedule schedule) {
        double[] current = densities();
        for (int i = 0; i < floors.length; i++) {
            double raised = schedule.next(current[i]);
            checkDensity(schedule + " next(" + current[i] + ")", raised);
            floors[i] = Math.max(floors[i], raised);
        }
    }

    private void checkClient(int client) {
        if (client < 0 || client >= floors.length) {
            throw new IllegalArgumentException("client " + client + " out of range [0, " + floors.length + ")");
        }
    }

    static void checkDensity(String what, double d) {
        if (!(d > 0 && d <= 1.0)) {
            throw new IllegalArgumentException(what + " must be a density in (0, 1], got " + d);
        }
    }
}
