package io.fedprune.actors.aggregator;

import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.core.server.Assignment;
import io.fedprune.core.server.FederatedServer;
import io.fedprune.core.server.IncomingUpdate;
import io.fedprune.core.server.Outcome;
import io.fedprune.core.server.Publication;
import java.util.SortedMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.slf4j.Logger;

/**
 * What a {@link Pacer} may use of its aggregator. The {@link FederatedServer} may only be touched
 * inside work given to {@link #work()}; everything else only on the aggregator's thread.
 */
interface AggregatorContext {

    ActorContext<Aggregator.Command> actor();

    FederatedServer server();

    SerialWork<Aggregator.Command> work();

    Clock clock();

    ClockService clocks();

    AggregatorSettings settings();

    /** Registered clients by id. */
    SortedMap<Integer, ActorRef<Client.Command>> clients();

    /** Sends the assignment's request to its client (if it is still registered). */
    void send(Assignment assignment);

    /** Tells the listener of a new version (and the pacer, via {@link Pacer#onPublished}). */
    void publish(Publication publication);

    /** Stops giving out work and tells the listener why. */
    void giveUp(String reason);

    /** Neither stopped nor given up. */
    boolean canGiveWork();

    /** The last published version (on the aggregator's thread). */
    long lastVersion();

    default boolean capReached(long version) {
        return settings().maxVersions() > 0 && version >= settings().maxVersions();
    }

    default Logger log() {
        return actor().getLog();
    }

    default void logRejection(Outcome o) {
        if (o.rejected()) {
            log().warn(o.rejection());
        }
    }

    static IncomingUpdate incoming(Client.Trained t) {
        return new IncomingUpdate(t.clientId(), t.baseVersion(), t.round(), t.update(), t.samples(), t.trainLoss());
    }
}
