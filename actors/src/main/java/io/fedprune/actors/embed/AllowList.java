package io.fedprune.actors.embed;

import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Which clients an aggregator's {@link Enrollment} desk lets in: client ids, each optionally bound
 * to the host its actor must live on. The host is the address the client's node advertises:
 * over plain TCP anyone can claim any, and over mutual TLS (the {@code tls-tcp} profile) only a
 * node holding a certificate of the cluster's CA can connect at all, but that certificate is not
 * matched against the address it claims (docs/SECURITY.md). So the list keeps misconfigured and
 * foreign clients out; against a dishonest holder of a valid certificate it is one layer among
 * update screening and robust aggregation. A client refused is told so and logged; it never
 * reaches the aggregator.
 */
public final class AllowList {
    /** Any host. */
    private static final String ANY = "*";

    private final Map<Integer, String> hostById;
    private final boolean open;

    private AllowList(Map<Integer, String> hostById, boolean open) {
        this.hostById = hostById;
        this.open = open;
    }

    /** Everyone (the default). */
    public static AllowList everyone() {
        return new AllowList(Map.of(), true);
    }

    /** Only these ids, from any host. */
    public static AllowList ids(int... ids) {
        Map<Integer, String> m = new TreeMap<>();
        for (int id : ids) {
            m.put(id, ANY);
        }
        return new AllowList(m, false);
    }

    /**
     * Also client {@code id} from {@code host} only (as in its actor's address, e.g. {@code 10.0.0.7};
     * {@code *} for any host).
     */
    public AllowList with(int id, String host) {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("a host is required for client " + id + " (or * for any)");
        }
        Map<Integer, String> m = new TreeMap<>(hostById);
        m.put(id, host.trim());
        return new AllowList(m, false);
    }

    /**
     * Why client {@code id} at {@code host} (empty for a local actor) is refused, or empty if it may join.
     */
    public Optional<String> refusal(int id, String host) {
        if (open) {
            return Optional.empty();
        }
        String allowed = hostById.get(id);
        if (allowed == null) {
            return Optional.of("client id " + id + " is not on the allow-list");
        }
        if (!allowed.equals(ANY) && !allowed.equals(host)) {
            return Optional.of("client id " + id + " may join only from " + allowed + ", not from "
                    + (host.isEmpty() ? "this node" : host));
        }
        return Optional.empty();
    }
}
