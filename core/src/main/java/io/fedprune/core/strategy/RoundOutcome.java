package io.fedprune.core.strategy;

/**
 * How a synchronous round ended. Every selected client is in exactly one of the four counts.
 *
 * @param answered   updates that arrived in time (accepted or rejected by validation)
 * @param failed     clients that reported a failed local round
 * @param dropped    clients that stopped (actor stopped, node down) while the round was open
 * @param stragglers clients the deadline gave up on
 */
public record RoundOutcome(long round, int selected, int answered, int failed, int dropped, int stragglers) {

    public RoundOutcome {
        if (answered + failed + dropped + stragglers != selected) {
            throw new IllegalArgumentException("round " + round + ": " + answered + " answered + " + failed
                    + " failed + " + dropped + " dropped + " + stragglers + " stragglers != " + selected + " selected");
        }
    }
}
