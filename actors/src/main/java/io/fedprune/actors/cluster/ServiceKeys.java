package io.fedprune.actors.cluster;

import io.fedprune.actors.aggregator.Aggregator;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/** Receptionist keys by which roles find each other in a cluster. */
public final class ServiceKeys {
    /** The aggregator registers under this key; clients on other nodes look it up. */
    public static final ServiceKey<Aggregator.Command> AGGREGATOR =
            ServiceKey.create(Aggregator.Command.class, "fedprune-aggregator");

    private ServiceKeys() {
    }
}
