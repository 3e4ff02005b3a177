package io.fedprune.actors.aggregator;

/**
 * How the aggregator drives training.
 *
 * @param mode          SYNC: rounds over a sampled fraction of clients with a deadline;
 *                      ASYNC: every client always busy, the strategy sees each update as it lands
 * @param fraction      SYNC: share of registered clients sampled per round, in (0, 1]
 * @param deadlineMicros SYNC: a round closes this long after it starts even if clients are
 *                      missing (0 = wait for all)
 * @param maxRounds     stop starting rounds / dispatching after this many versions (0 = no cap)
 * @param seed          seeds client sampling
 */
public record AggregatorSettings(Mode mode, double fraction, long deadlineMicros, long maxRounds, long seed) {

    public enum Mode { SYNC, ASYNC }

    public AggregatorSettings {
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("client fraction must be in (0, 1], got " + fraction);
        }
        if (deadlineMicros < 0) {
            throw new IllegalArgumentException("round deadline must be >= 0, got " + deadlineMicros);
        }
        if (maxRounds < 0) {
            throw new IllegalArgumentException("max rounds must be >= 0, got " + maxRounds);
        }
    }
}
