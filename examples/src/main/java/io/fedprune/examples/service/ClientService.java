package io.fedprune.examples.service;

import io.fedprune.actors.embed.ClientData;
import io.fedprune.actors.embed.FederatedClient;
import io.fedprune.serialization.FedpruneConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A client service on the public embedding API only: a cluster node that trains on its own data
 * folder ({@code --data DIR}, an MNIST-style training split), finds the aggregator through the
 * cluster and exits once the aggregator it joined is gone.
 *
 * <pre>
 * java -cp ... io.fedprune.examples.service.ClientService --id 0 --data /tmp/clients/client-0 \
 *     --seed-node 127.0.0.1:25520 --config examples/src/main/resources/presets/embedded-fedavg.conf
 * </pre>
 */
public final class ClientService {
    private ClientService() {
    }

    public static void main(String[] args) throws Exception {
        ServiceArgs a = ServiceArgs.parse(args, Set.of("id", "data", "host", "port", "seed-node", "config",
                "timeout-s"));
        int id = a.integer("id", -1);
        ClientData data = ClientData.idxFolder(Path.of(a.required("data")));
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "fedprune", FedpruneConfig.cluster(
                a.get("host", "127.0.0.1"), a.integer("port", 0), List.of(a.required("seed-node")), List.of("client")));
        try (FederatedClient client = FederatedClient.builder(id, data).config(a.config()).build()) {
            client.spawn(system);
            System.out.printf("client %d: %d samples, looking for the aggregator%n", id, data.size());
            client.aggregatorGone().toCompletableFuture().get(a.integer("timeout-s", 3600), TimeUnit.SECONDS);
            System.out.printf("client %d: the aggregator is gone, stopping%n", id);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
