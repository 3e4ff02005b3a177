package io.fedprune.serialization;

import java.util.List;

/**
 * Where fedprune spawns the actors that exchange models, in one place: the CLI's experiment
 * driver, node launchers and embedders use these names, and the cluster profile routes exactly
 * these paths through Artery's large-message lane ({@link #largeMessageDestinations()}; the
 * ordinary lane drops anything above 256 KiB).
 */
public final class ActorPaths {
    /** The top-level actor of a run (the experiment driver, or a node's root): {@code /user/fedprune}. */
    public static final String ROOT = "fedprune";
    /** The aggregator, a child of the root or top-level when embedded. */
    public static final String AGGREGATOR = "aggregator";
    private static final String CLIENT_PREFIX = "client-";

    private ActorPaths() {
    }

    /** The name of client {@code id}'s actor. */
    public static String client(int id) {
        return CLIENT_PREFIX + id;
    }

    /**
     * Model-carrying destinations: the aggregator and clients under the root or at the top level,
     * and their children (the aggregator's response adapter, round children).
     */
    public static List<String> largeMessageDestinations() {
        return List.of(
                "/user/" + ROOT + "/" + AGGREGATOR,
                "/user/" + ROOT + "/" + AGGREGATOR + "/**",
                "/user/" + ROOT + "/" + CLIENT_PREFIX + "*",
                "/user/" + ROOT + "/" + CLIENT_PREFIX + "*/**",
                "/user/" + AGGREGATOR,
                "/user/" + AGGREGATOR + "/**",
                "/user/" + CLIENT_PREFIX + "*",
                "/user/" + CLIENT_PREFIX + "*/**",
                // embedded services spawn straight into their actor system (ActorSystem.systemActorOf)
                "/system/" + AGGREGATOR,
                "/system/" + AGGREGATOR + "/**",
                "/system/" + CLIENT_PREFIX + "*",
                "/system/" + CLIENT_PREFIX + "*/**");
    }
}
