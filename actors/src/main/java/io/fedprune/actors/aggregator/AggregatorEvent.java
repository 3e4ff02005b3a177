package io.fedprune.actors.aggregator;

import io.fedprune.serialization.WireMessage;

/** What an aggregator tells its listener (the experiment driver, or a service embedding it). */
public sealed interface AggregatorEvent extends WireMessage permits ModelPublished, AggregatorGaveUp {
}
