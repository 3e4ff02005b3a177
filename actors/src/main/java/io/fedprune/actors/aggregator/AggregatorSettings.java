package io.fedprune.actors.aggregator;

/**
 * How the aggregator drives training.
 *
 * @param mode          SYNC: rounds over a sampled fraction of clients with a deadline;
 *                      ASYNC: every client always busy, the strategy sees each update as it lands
 * @param fraction      SYNC: share of registered clients sampled per round, in (0, 1]
 * @param deadlineMicros SYNC: a round closes this long after it starts even if clients are
 *                      missing (0 = wait for all)
 * @param maxRounds     stop starting rounds / dispatching after this many versions (0 = no cap),
 *                      at most {@link #MAX_ROUNDS}
 * @param seed          seeds client sampling
 */
public record AggregatorSettings(Mode mode, double fraction, long deadlineMicros, long maxRounds, long seed) {

    public enum Mode { SYNC, ASYNC }

    /** A cap past any run that could finish; larger values are typos (1e20) that would never end. */
    public static final long MAX_ROUNDS = 1_000_000_000L;
    /** 10^9 seconds (~32 years): far past any useful round deadline. */
    public static final long MAX_DEADLINE_MICROS = 1_000_000_000L * 1_000_000L;

    public AggregatorSettings {
        if (mode == null) {
            throw new IllegalArgumentException("aggregator mode is required");
        }
        if (!(fraction > 0 && fraction <= 1)) {
            throw new IllegalArgumentException("client fraction must be in (0, 1], got " + fraction);
        }
        if (deadlineMicros < 0 || deadlineMicros > MAX_DEADLINE_MICROS) {
            throw new IllegalArgumentException("round deadline must be in [0, " + MAX_DEADLINE_MICROS
                    + "] microseconds, got " + deadlineMicros);
        }
        if (maxRounds < 0 || maxRounds > MAX_ROUNDS) {
            throw new IllegalArgumentException("max rounds must be in [0, " + MAX_ROUNDS + "], got " + maxRounds);
        }
    }
}
