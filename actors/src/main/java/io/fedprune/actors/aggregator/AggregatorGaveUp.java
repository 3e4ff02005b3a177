package io.fedprune.actors.aggregator;

/**
 * The aggregator cannot make progress and has stopped giving out work: no client is left, or
 * rounds / updates keep producing nothing usable. A listener should end the run with {@code reason}.
 *
 * @param version the last published version
 */
public record AggregatorGaveUp(long version, String reason) implements AggregatorEvent {
}
