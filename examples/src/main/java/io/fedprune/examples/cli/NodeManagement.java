package io.fedprune.examples.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.management.javadsl.PekkoManagement;

/**
 * Pekko Management on a cluster node ({@code fedprune node --management-port P}): an HTTP server
 * with {@code GET /alive} (liveness: the actor system runs), {@code GET /ready} (readiness: this
 * node is an Up or WeaklyUp cluster member, from pekko-management-cluster-http's membership
 * check) and {@code GET /cluster/members} (read-only), for a load balancer's or Kubernetes'
 * probes (deploy/k8s/). There is no authentication on these routes: they listen on the node's
 * {@code --host} (or {@code FEDPRUNE_BIND_HOST}, as the cluster port does), so use an address
 * only operators and the orchestrator reach.
 */
final class NodeManagement {
    private NodeManagement() {
    }

    /**
     * The management settings for {@code host:port} over {@code node}; port 0 is replaced by a
     * free one here (Pekko Management reports its configured port, so it must be the real one).
     */
    static Config config(Config node, String host, int port) {
        int p = port != 0 ? port : freePort(host);
        Config c = ConfigFactory.empty()
                .withValue("pekko.management.http.hostname", ConfigValueFactory.fromAnyRef(host))
                .withValue("pekko.management.http.port", ConfigValueFactory.fromAnyRef(p));
        String bind = System.getenv("FEDPRUNE_BIND_HOST");
        if (bind != null && !bind.isBlank()) {
            // as for the cluster port: listen there (a container's 0.0.0.0), advertise --host
            c = c.withValue("pekko.management.http.bind-hostname", ConfigValueFactory.fromAnyRef(bind));
        }
        return c.withFallback(node).resolve();
    }

    /** Starts the HTTP routes; returns their base URI (ending in "/"). */
    static URI start(ActorSystem<?> system) throws Exception {
        var uri = PekkoManagement.get(Adapter.toClassic(system)).start().toCompletableFuture().get(30, TimeUnit.SECONDS);
        String u = uri.toString();
        return URI.create(u.endsWith("/") ? u : u + "/");
    }

    private static int freePort(String host) {
        try (var socket = new java.net.ServerSocket()) {
            socket.bind(new InetSocketAddress(host, 0));
            return socket.getLocalPort();
        } catch (java.io.IOException e) {
            throw new UsageException("--management-port 0: cannot find a free port on " + host + ": " + e.getMessage());
        }
    }
}
