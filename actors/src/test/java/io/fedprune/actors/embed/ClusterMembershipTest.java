package io.fedprune.actors.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.monitor.RunEvent;
import io.fedprune.actors.monitor.RunMonitor;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Down;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.Test;

/**
 * Membership drills on a real cluster over loopback (one JVM, separate actor systems with the
 * cluster profile and its Split Brain Resolver): an aggregator node and client nodes found through
 * the Receptionist. A client node that crashes (its system stops without leaving) is downed by the
 * resolver and its client counts as dropped; one that is downed by an operator, likewise; one that
 * leaves gracefully, likewise. A node started again for the same client id rejoins and gets work
 * again; the aggregator node stays up throughout and keeps publishing versions.
 */
class ClusterMembershipTest {
    private static final Duration WAIT = Duration.ofSeconds(150);

    private static Config node(String role, boolean crashes) {
        // a crash: the system stops without leaving the cluster, as a killed process would
        String extra = "pekko.cluster.split-brain-resolver.stable-after = 3s\n"
                + (crashes ? "pekko.coordinated-shutdown.run-by-actor-system-terminate = off\n"
                + "pekko.cluster.run-coordinated-shutdown-when-down = off\n" : "");
        return ConfigFactory.parseString(extra).withFallback(FedpruneConfig.cluster("127.0.0.1", 0, List.of(), List.of(role)));
    }

    private static Config fedavg() {
        return ConfigFactory.parseString("fedprune { algorithm = fedavg, stop.max-rounds = 100000, train.max-steps = 2, "
                + "train.batch-size = 20, train.lr = 0.1 }").withFallback(ConfigFactory.load());
    }

    @Test
    void clientNodesThatCrashAreDownedOrLeaveAreDroppedAndARestartedNodeRejoins() throws Exception {
        Dataset all = SyntheticDataset.gaussianClusters(300, 10, 1, 28, 28, 0.3, 5);
        List<ClientData> parts = ClientData.partition(all, "iid", 3, 1);
        List<RunEvent> events = new CopyOnWriteArrayList<>();
        ActorTestKit agg = ActorTestKit.create("fedprune", node("aggregator", false));
        Address seed = Cluster.get(agg.system()).selfMember().address();
        Cluster.get(agg.system()).manager().tell(Join.create(seed));
        RunMonitor.get(agg.system()).attach(events::add);
        Config config = fedavg();
        try (FederatedAggregator aggregator = FederatedAggregator.builder(1, 28, 28, 10).config(config).minClients(3)
                .build()) {
            aggregator.spawn(agg.system());
            ActorTestKit[] nodes = new ActorTestKit[3];
            FederatedClient[] clients = new FederatedClient[3];
            for (int id = 0; id < 3; id++) {
                nodes[id] = clientNode(seed, id == 0);
                clients[id] = FederatedClient.builder(id, parts.get(id)).config(config).build();
                clients[id].spawn(nodes[id].system());
            }
            for (int id = 0; id < 3; id++) {
                awaitEvent(agg, events, 0, answeredBy(id), "client " + id + " answers");
            }

            // crash: client 0's node stops without leaving; the resolver downs it
            nodes[0].system().terminate();
            awaitEvent(agg, events, 0, droppedClient(0), "the crashed node's client is dropped");
            // an operator downs client 1's node
            Cluster.get(agg.system()).manager().tell(new Down(address(nodes[1])));
            awaitEvent(agg, events, 0, droppedClient(1), "the downed node's client is dropped");
            // client 0 comes back on a new node (a restarted process)
            int mark = events.size();
            ActorTestKit again = clientNode(seed, false);
            try (FederatedClient back = FederatedClient.builder(0, parts.get(0)).config(config).build()) {
                back.spawn(again.system());
                awaitEvent(agg, events, mark, answeredBy(0), "the rejoined client 0 takes part again");
                // client 2 leaves gracefully
                Cluster.get(nodes[2].system()).manager().tell(new Leave(address(nodes[2])));
                awaitEvent(agg, events, 0, droppedClient(2), "the leaving node's client is dropped");
                assertEquals(MemberStatus.up(), Cluster.get(agg.system()).selfMember().status(), "the aggregator node stays Up");
                awaitEvent(agg, events, events.size(), answeredBy(0), "the run goes on with the rejoined client alone");
            } finally {
                again.shutdownTestKit();
            }
            for (int id = 1; id < 3; id++) {
                clients[id].close();
                nodes[id].shutdownTestKit();
            }
            clients[0].close();
        } finally {
            agg.shutdownTestKit();
        }
    }

    private static ActorTestKit clientNode(Address seed, boolean crashes) {
        ActorTestKit kit = ActorTestKit.create("fedprune", node("client", crashes));
        Cluster.get(kit.system()).manager().tell(Join.create(seed));
        return kit;
    }

    private static Address address(ActorTestKit kit) {
        return Cluster.get(kit.system()).selfMember().address();
    }

    private static Predicate<RunEvent> answeredBy(int id) {
        return e -> e instanceof RunEvent.Answered a && a.clientId() == id && a.trained();
    }

    private static Predicate<RunEvent> droppedClient(int id) {
        return e -> e instanceof RunEvent.Dropped d && d.clientId() == id;
    }

    /** Waits (at most {@link #WAIT}) for an event matching {@code what} at index {@code from} or later. */
    private static void awaitEvent(ActorTestKit kit, List<RunEvent> events, int from, Predicate<RunEvent> what,
                                   String message) {
        kit.createTestProbe().awaitAssert(WAIT, Duration.ofMillis(100), () -> {
            assertTrue(events.subList(from, events.size()).stream().anyMatch(what), message);
            return null;
        });
    }
}
