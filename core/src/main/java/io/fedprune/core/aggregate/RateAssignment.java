package io.fedprune.core.aggregate;

import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.stream.IntStream;

/**
 * Which of HeteroFL's model-rate levels each client trains at. The levels are split into
 * contiguous groups by {@code shares} (group k gets round(share_k N) clients, capped by what is
 * left, and the last group the remainder — the rule {@code DeviceFleet} uses for
 * {@code devices.speed-classes}) over an ordering of the clients:
 * <ul>
 *   <li>{@link Mode#BY_SPEED}: fastest first, by each client's round time on the whole model as
 *       the server knows it (ties by id). Level 0, the widest, goes to the fastest share of clients,
 *       whatever the device model (speed classes, log-normal spreads);</li>
 *   <li>{@link Mode#FIXED}: by client id, HeteroFL's "fix" mode. With speed classes listed fastest
 *       first and the same shares, this is by speed too; with another order it is a control that
 *       ignores speed.</li>
 * </ul>
 */
public final class RateAssignment {

    public enum Mode {
        BY_SPEED, FIXED;

        /** {@code by-speed} or {@code fixed}. */
        public static Mode parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "by-speed" -> BY_SPEED;
                case "fixed" -> FIXED;
                default -> throw new IllegalArgumentException("expected by-speed or fixed, got '" + text + "'");
            };
        }
    }

    private RateAssignment() {
    }

    /**
     * The level of each client id.
     *
     * @param shares       share of the clients at each level (sums to 1)
     * @param roundSeconds per client, its round time on the whole model; needed by {@link Mode#BY_SPEED} only
     */
    public static int[] levels(Mode mode, double[] shares, int clients, double[] roundSeconds) {
        Integer[] order = IntStream.range(0, clients).boxed().toArray(Integer[]::new);
        if (mode == Mode.BY_SPEED) {
            if (roundSeconds == null) {
                throw new IllegalArgumentException("assignment by-speed needs the clients' speeds, which this run "
                        + "does not give the strategy; use assignment = fixed");
            }
            if (roundSeconds.length != clients) {
                throw new IllegalArgumentException("round times of " + roundSeconds.length + " clients, expected "
                        + clients);
            }
            Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> roundSeconds[i]).thenComparingInt(i -> i));
        }
        int[] sizes = groupSizes(shares, clients);
        int[] levelOf = new int[clients];
        int next = 0;
        for (int level = 0; level < sizes.length; level++) {
            for (int k = 0; k < sizes[level]; k++) {
                levelOf[order[next++]] = level;
            }
        }
        return levelOf;
    }

    /** How many of {@code clients} each share gets: round(share N), capped by what is left; the last takes the rest. */
    static int[] groupSizes(double[] shares, int clients) {
        int[] sizes = new int[shares.length];
        int next = 0;
        for (int k = 0; k < shares.length; k++) {
            int remaining = clients - next;
            sizes[k] = k == shares.length - 1 ? remaining : (int) Math.min(Math.round(shares[k] * clients), remaining);
            next += sizes[k];
        }
        return sizes;
    }
}
