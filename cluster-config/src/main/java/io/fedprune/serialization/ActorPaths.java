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

    /** The name of an embedded role's model-carrying actor under its top-level host (see {@link #largeMessageDestinations()}). */
    public static final String EMBEDDED = "client";

    /**
     * Model-carrying destinations: the aggregator and clients under the root or at the top level,
     * and their children (the aggregator's response adapter, round children); for embedded
     * services (spawned as system actors), {@code /system/aggregator} and its children, and client
     * {@code i} at {@code /system/client-i/client} with its children.
     *
     * <p>Artery's matcher (Pekko 1.7's {@code WildcardIndex}) keeps one pattern per wildcard prefix
     * under a parent (a second {@code client-*...} pattern replaces the first) and takes
     * {@code **} only after literal or {@code *} elements: hence one {@code client-*} pattern per
     * parent, and {@code *} where a client's children are meant. {@code ActorPathsTest} checks the
     * real paths against Pekko's matcher.
     */
    public static List<String> largeMessageDestinations() {
        return List.of(
                "/user/" + ROOT + "/" + AGGREGATOR,
                "/user/" + ROOT + "/" + AGGREGATOR + "/**",
                "/user/" + ROOT + "/" + CLIENT_PREFIX + "*",
                "/user/" + ROOT + "/*/**",
                "/user/" + AGGREGATOR,
                "/user/" + AGGREGATOR + "/**",
                "/user/" + CLIENT_PREFIX + "*",
                "/system/" + AGGREGATOR,
                "/system/" + AGGREGATOR + "/**",
                "/system/" + CLIENT_PREFIX + "*/" + EMBEDDED,
                "/system/*/" + EMBEDDED + "/**");
    }
}
