package io.fedprune.serialization;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Builds the Pekko configuration of a fedprune actor system from the profiles in this module.
 *
 * <p>Precedence, highest first: explicit arguments of these methods, JVM system properties
 * ({@code -Dpekko...}), the profile resource ({@code fedprune-local.conf} /
 * {@code fedprune-cluster.conf}), {@code application.conf}, {@code reference.conf}. The profiles
 * therefore contain no {@code include "application"}: they are layered over
 * {@link ConfigFactory#load()} here.
 *
 * <p>The serializer binding ({@link WireMessage} to {@link KryoSerializer}) is in
 * {@code reference.conf} and applies with every profile.
 */
public final class FedpruneConfig {

    /** Resource name of the single-JVM profile. */
    public static final String LOCAL_PROFILE = "fedprune-local.conf";
    /** Resource name of the cluster profile. */
    public static final String CLUSTER_PROFILE = "fedprune-cluster.conf";
    /** Resource name of the mutual-TLS profile, layered over the cluster profile by {@link #withTls}. */
    public static final String TLS_PROFILE = "fedprune-tls.conf";
    /** Files of a node's TLS folder, as {@code scripts/make-certs.sh} writes them. */
    public static final List<String> TLS_FILES = List.of("keystore.p12", "truststore.p12", "password");

    private FedpruneConfig() {
    }

    /** Single JVM, {@code pekko.actor.provider = local}. */
    public static Config local() {
        return profile(LOCAL_PROFILE, ConfigFactory.empty());
    }

    /**
     * {@link #local()} plus {@code pekko.actor.serialize-messages = on}: every message sent between
     * actors is serialized and deserialized, so local tests exercise the wire format (a message
     * with an unregistered class is dropped and logged, exactly as it would be on the network).
     * Creators ({@code Props}/{@code Behavior}) are not serialized ({@code serialize-creators = off}):
     * fedprune never deploys remotely. Used by every actor test in the project.
     *
     * <p>Local-only messages that intentionally hold non-serializable state must implement
     * {@code org.apache.pekko.actor.NoSerializationVerificationNeeded}.
     */
    public static Config testing() {
        return ConfigFactory.parseString(
                        "pekko.actor.serialize-messages = on\n"
                        + "pekko.actor.serialize-creators = off\n")
                .withFallback(local())
                .resolve();
    }

    /**
     * Cluster node configured from the environment: {@code FEDPRUNE_HOST}, {@code FEDPRUNE_PORT},
     * {@code FEDPRUNE_SEEDS} and {@code FEDPRUNE_ROLES} (comma-separated), see
     * {@code fedprune-cluster.conf}. JVM system properties such as
     * {@code -Dpekko.remote.artery.canonical.port} still win over the environment; seeds and roles
     * from the environment replace those of {@code application.conf} when set.
     */
    public static Config cluster() {
        Config merged = profile(CLUSTER_PROFILE, ConfigFactory.empty());
        List<String> seeds = splitList(merged.getString("fedprune.cluster.seeds"));
        List<String> roles = splitList(merged.getString("fedprune.cluster.roles"));
        Config node = cluster(
                merged.getString("pekko.remote.artery.canonical.hostname"),
                merged.getInt("pekko.remote.artery.canonical.port"),
                seeds.isEmpty() ? merged.getStringList("pekko.cluster.seed-nodes") : seeds,
                roles.isEmpty() ? merged.getStringList("pekko.cluster.roles") : roles);
        String tls = System.getenv("FEDPRUNE_TLS_DIR");
        return tls == null || tls.isBlank() ? node : withTls(node, Path.of(tls));
    }

    /**
     * {@code cluster} with mutual TLS between nodes (the {@value #TLS_PROFILE} profile: Artery's
     * {@code tls-tcp} transport, TLS 1.3, mutual authentication required) using the key and trust
     * stores in {@code dir}, a node's folder made by {@code scripts/make-certs.sh}
     * ({@link #TLS_FILES}; both stores open with the password in {@code dir/password}).
     *
     * @throws IllegalArgumentException naming the file if {@code dir} lacks one of them or the
     *         password file cannot be read
     */
    public static Config withTls(Config cluster, Path dir) {
        for (String file : TLS_FILES) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new IllegalArgumentException("TLS folder " + dir + " has no " + file
                        + "; expected a node's folder made by scripts/make-certs.sh (" + String.join(", ", TLS_FILES) + ")");
            }
        }
        String password;
        try {
            password = Files.readString(dir.resolve("password"), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + dir.resolve("password") + ": " + e.getMessage(), e);
        }
        if (password.isEmpty()) {
            throw new IllegalArgumentException(dir.resolve("password") + " is empty");
        }
        Config profile = ConfigFactory.parseResources(FedpruneConfig.class.getClassLoader(), TLS_PROFILE);
        if (profile.isEmpty()) {
            throw new IllegalStateException("Config profile " + TLS_PROFILE + " not found on the class path");
        }
        String engine = "pekko.remote.artery.ssl.config-ssl-engine.";
        Config stores = ConfigFactory.empty()
                .withValue(engine + "key-store", ConfigValueFactory.fromAnyRef(dir.resolve("keystore.p12").toAbsolutePath().toString()))
                .withValue(engine + "trust-store", ConfigValueFactory.fromAnyRef(dir.resolve("truststore.p12").toAbsolutePath().toString()))
                .withValue(engine + "key-store-password", ConfigValueFactory.fromAnyRef(password))
                .withValue(engine + "key-password", ConfigValueFactory.fromAnyRef(password))
                .withValue(engine + "trust-store-password", ConfigValueFactory.fromAnyRef(password));
        return stores.withFallback(profile).withFallback(cluster).resolve();
    }

    /**
     * Cluster node with explicit address, seeds and roles.
     *
     * @param host  canonical host name or IP other nodes use to reach this one
     * @param port  canonical port; 0 lets Artery choose a free port (tests)
     * @param seeds seed nodes, each {@code "host:port"} (expanded with
     *              {@code fedprune.cluster.system-name}) or a full {@code "pekko://name@host:port"};
     *              empty means the node is joined programmatically
     * @param roles cluster roles of this node, e.g. {@code "aggregator"}, {@code "client"}
     */
    public static Config cluster(String host, int port, List<String> seeds, List<String> roles) {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("port must be 0..65535, got " + port);
        }
        Config profile = profile(CLUSTER_PROFILE, ConfigFactory.empty());
        String systemName = profile.getString("fedprune.cluster.system-name");
        List<String> seedAddresses = new ArrayList<>();
        for (String seed : seeds) {
            seedAddresses.add(seedAddress(systemName, seed));
        }
        Config explicit = ConfigFactory.empty()
                .withValue("fedprune.cluster.hostname", ConfigValueFactory.fromAnyRef(host))
                .withValue("fedprune.cluster.port", ConfigValueFactory.fromAnyRef(port))
                .withValue("pekko.remote.artery.canonical.hostname", ConfigValueFactory.fromAnyRef(host))
                .withValue("pekko.remote.artery.canonical.port", ConfigValueFactory.fromAnyRef(port))
                .withValue("pekko.cluster.seed-nodes", ConfigValueFactory.fromIterable(seedAddresses))
                .withValue("pekko.cluster.roles", ConfigValueFactory.fromIterable(List.copyOf(roles)));
        return profile(CLUSTER_PROFILE, explicit);
    }

    /**
     * {@code overrides} over system properties over the profile over {@code ConfigFactory.load()}.
     * The cluster profile's large-message destinations are {@link ActorPaths}'s, so they cannot
     * drift from where actors are spawned.
     */
    private static Config profile(String resource, Config overrides) {
        Config profile = ConfigFactory.parseResources(FedpruneConfig.class.getClassLoader(), resource);
        if (profile.isEmpty()) {
            throw new IllegalStateException("Config profile " + resource + " not found on the class path");
        }
        if (resource.equals(CLUSTER_PROFILE)) {
            profile = profile.withValue("pekko.remote.artery.large-message-destinations",
                    ConfigValueFactory.fromIterable(ActorPaths.largeMessageDestinations()));
        }
        return overrides
                .withFallback(ConfigFactory.defaultOverrides())
                .withFallback(profile)
                .withFallback(ConfigFactory.load())
                .resolve();
    }

    static String seedAddress(String systemName, String seed) {
        String s = seed.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty seed node address");
        }
        return s.contains("://") ? s : "pekko://" + systemName + "@" + s;
    }

    static List<String> splitList(String commaSeparated) {
        return Arrays.stream(commaSeparated.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
