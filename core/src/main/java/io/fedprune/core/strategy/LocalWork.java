package io.fedprune.core.strategy;

/**
 * How much a client trains in one local round.
 *
 * @param epochs   passes over its shard (0 = bounded by {@code maxSteps} alone)
 * @param maxSteps cap on mini-batch steps (0 = none)
 */
public record LocalWork(int epochs, int maxSteps) {

    /** Guards against a local round that could never finish in any clock. */
    public static final int MAX_EPOCHS = 1_000_000;

    public LocalWork {
        if (epochs < 0 || epochs > MAX_EPOCHS) {
            throw new IllegalArgumentException("local epochs must be in [0, " + MAX_EPOCHS + "], got " + epochs);
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("max local steps must be >= 0, got " + maxSteps);
        }
        if (epochs == 0 && maxSteps == 0) {
            throw new IllegalArgumentException("local work needs epochs >= 1 or max steps >= 1");
        }
    }

    /** FedBuff's Q local steps, however many passes over the shard that takes. */
    public static LocalWork steps(int steps) {
        return new LocalWork(0, steps);
    }
}
