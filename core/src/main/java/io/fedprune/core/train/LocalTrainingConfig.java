package io.fedprune.core.train;

/**
 * How much a client trains per local round.
 *
 * @param epochs    passes over the client's shard
 * @param maxSteps  cap on mini-batch steps per round, 0 for none
 * @param batchSize mini-batch size
 */
public record LocalTrainingConfig(int epochs, int maxSteps, int batchSize) {
    public LocalTrainingConfig {
        if (epochs < 1) {
            throw new IllegalArgumentException("local epochs must be >= 1, got " + epochs);
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("max steps must be >= 0 (0 = no cap), got " + maxSteps);
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
    }
}
