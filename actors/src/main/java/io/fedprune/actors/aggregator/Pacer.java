package io.fedprune.actors.aggregator;

import io.fedprune.actors.client.Client;
import io.fedprune.core.server.Publication;

/**
 * The "when" of one kind of {@link io.fedprune.core.strategy.Pacing}, inside the aggregator: how
 * work is given out and what the arrival of an answer, a round's end or a tick leads to. Called
 * on the aggregator's thread, one message at a time; model work goes through the aggregator's
 * serial work queue.
 */
interface Pacer {

    /** The run starts: give out the first work. */
    void start();

    /** A client registered after the start. */
    void onRegistered(int clientId);

    void onResponse(Client.Response response);

    /** A round child reported (round pacing only). */
    default void onRoundClosed(Aggregator.RoundClosed closed) {
        throw new IllegalStateException("no rounds in this pacing");
    }

    /** A version was published. */
    default void onPublished(Publication publication) {
    }

    /** A client stopped. */
    default void onClientStopped(int clientId) {
    }
}
