package io.fedprune.examples.service;

import io.fedprune.actors.embed.FederatedAggregator;
import io.fedprune.actors.embed.VersionReport;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.FashionMnist;
import io.fedprune.serialization.FedpruneConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * An aggregator service on the public embedding API only: a cluster node (the seed) that runs the
 * configured strategy, waits for {@code --clients} clients to join, scores every version on the
 * test split of {@code --test DIR} and exits when the configured round cap is reached.
 *
 * <pre>
 * java -cp ... io.fedprune.examples.service.AggregatorService --port 25520 --clients 3 \
 *     --config examples/src/main/resources/presets/embedded-fedavg.conf --test /usr/share/datasets/fashion-mnist
 * </pre>
 */
public final class AggregatorService {
    private AggregatorService() {
    }

    public static void main(String[] args) throws Exception {
        ServiceArgs.exitWith("aggregator", () -> run(args));
    }

    private static int run(String[] args) throws Exception {
        ServiceArgs a = ServiceArgs.parse(args, Set.of("host", "port", "clients", "config", "test", "timeout-s"));
        String host = a.get("host", "127.0.0.1");
        int port = a.integer("port", 25520);
        Dataset test = FashionMnist.test(Path.of(a.required("test")));
        // the seed node of its own cluster: clients name it as theirs
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "fedprune",
                FedpruneConfig.cluster(host, port, List.of(host + ":" + port), List.of("aggregator")));
        int exit = 0;
        try (FederatedAggregator aggregator = FederatedAggregator.builder(test.channels(), test.height(), test.width(),
                        test.numClasses()).config(a.config()).evaluateOn(test).minClients(a.integer("clients", 1))
                .onVersion(v -> System.out.println(v.describe())).build()) {
            aggregator.spawn(system);
            System.out.printf("aggregator at %s:%d waiting for %d client(s)%n", host, port, a.integer("clients", 1));
            VersionReport last = aggregator.finished().toCompletableFuture()
                    .get(a.integer("timeout-s", 3600), TimeUnit.SECONDS);
            System.out.printf("finished: version %d, test accuracy %.4f, up %.1f MB, down %.1f MB, %.1f s%n",
                    last.version(), last.accuracy(), last.bytesUp() / 1e6, last.bytesDown() / 1e6, last.wallSeconds());
        } catch (java.util.concurrent.ExecutionException e) {
            System.err.println("aggregator: " + e.getCause().getMessage());
            exit = 3;
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        return exit;
    }
}
