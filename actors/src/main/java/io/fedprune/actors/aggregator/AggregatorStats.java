package io.fedprune.actors.aggregator;

/**
 * Running counts of what the aggregator did with arriving updates, published with every model.
 *
 * @param participants   updates aggregated into the version just published
 * @param accepted       updates aggregated so far
 * @param rejected       updates refused (undecodable, wrong shape, non-finite, unsolicited)
 * @param stale          synchronous-round updates that arrived after their round closed
 * @param stragglers     clients a round deadline gave up on
 * @param failed         clients that reported a failed local round
 * @param meanStaleness  mean versions between an accepted update's base and the global model
 */
public record AggregatorStats(int participants, long accepted, long rejected, long stale, long stragglers,
                              long failed, double meanStaleness) {
}
