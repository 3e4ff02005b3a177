package io.fedprune.core.strategy;

/**
 * How the server drives a strategy. {@link Rounds}: each round a selector picks participants,
 * the round closes when all have answered (or dropped out) or at the deadline, then
 * {@link Strategy#onRoundEnd}. {@link Continuous}: every client is kept busy; each arrival goes to
 * {@link Strategy#onUpdate} at once and the client is given new work. Either may also ask for a
 * clock tick every {@link #tickMicros()} (time-triggered aggregation). {@link Tiered}: tiers of
 * clients joining at ticks, each round bounded by its tier's deadline.
 */
public sealed interface Pacing {

    /** Clock time between {@link Strategy#onTick} calls; 0 for none. */
    long tickMicros();

    /**
     * @param selector       who takes part in each round
     * @param deadlineMicros a round closes this long after it starts even if some clients have
     *                       not answered (0 = wait for all; a client that stops counts as answered)
     */
    record Rounds(ClientSelector selector, long deadlineMicros, long tickMicros) implements Pacing {
        public Rounds {
            if (selector == null) {
                throw new IllegalArgumentException("a round-based strategy needs a client selector");
            }
            checkMicros("round deadline", deadlineMicros);
            checkMicros("tick interval", tickMicros);
        }
    }

    /** Every registered client always has work; {@code tickMicros} &gt; 0 adds time triggers. */
    record Continuous(long tickMicros) implements Pacing {
        public Continuous {
            checkMicros("tick interval", tickMicros);
        }
    }

    /**
     * Time-triggered tiers (TT-Fed, ALGORITHMS.md §2): the clock ticks every {@code tickMicros}
     * (ΔT); at tick k the strategy aggregates the tiers whose deadline it is
     * ({@link Strategy#onTick}) and names who starts a local round now
     * ({@link TieredStrategy#startingAt}); a client's answer counts only if it arrives before its
     * tier's deadline tick. The strategy must implement {@link TieredStrategy}.
     */
    record Tiered(long tickMicros) implements Pacing {
        public Tiered {
            if (tickMicros <= 0) {
                throw new IllegalArgumentException("a tiered strategy needs a tick interval > 0 us, got " + tickMicros);
            }
            checkMicros("tick interval", tickMicros);
        }
    }

    static Pacing rounds(ClientSelector selector, long deadlineMicros) {
        return new Rounds(selector, deadlineMicros, 0);
    }

    static Pacing continuous() {
        return new Continuous(0);
    }

    static Pacing ticking(long tickMicros) {
        if (tickMicros <= 0) {
            throw new IllegalArgumentException("a tick interval must be > 0 us, got " + tickMicros);
        }
        return new Continuous(tickMicros);
    }

    /** Upper bound on any delay, about 31.7 years of clock time: longer ones are configuration errors. */
    long MAX_MICROS = 1_000_000_000_000_000L;

    private static void checkMicros(String what, long micros) {
        if (micros < 0 || micros > MAX_MICROS) {
            throw new IllegalArgumentException(what + " must be in [0, " + MAX_MICROS + "] us, got " + micros);
        }
    }
}
