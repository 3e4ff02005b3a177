package io.fedprune.core.server;

/**
 * Running counts of what the server did with client work, published with every model.
 *
 * @param participants   updates aggregated into the version just published
 * @param accepted       updates given to the strategy so far
 * @param rejected       updates refused (undecodable, wrong shape, non-finite, unsolicited, lying)
 * @param stale          synchronous-round updates that arrived after their round closed
 * @param stragglers     clients a round deadline gave up on
 * @param failed         local rounds that clients reported failed
 * @param dropped        clients that stopped (actor stopped, node down) while holding work
 * @param meanStaleness  mean versions between an accepted update's base and the global model
 */
public record ServerStats(int participants, long accepted, long rejected, long stale, long stragglers, long failed,
                          long dropped, double meanStaleness) {
}
