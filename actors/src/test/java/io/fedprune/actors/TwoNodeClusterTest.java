package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.aggregator.AggregatorEvent;
import io.fedprune.actors.aggregator.AggregatorSettings;
import io.fedprune.actors.aggregator.ModelPublished;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.client.ClientSetup;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.actors.cluster.ServiceKeys;
import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.server.FederatedServer;
import io.fedprune.core.server.SampleBound;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.IidPartitioner;
import io.fedprune.core.data.Shard;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.train.TrainerPool;
import io.fedprune.serialization.ActorPaths;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two ActorSystems in one JVM form a cluster over loopback; the aggregator runs on one node and
 * the clients on the other, so every model (a 159k-parameter MLP, 636 KB encoded, above
 * Artery's default 256 KiB frame) crosses the network as Kryo bytes in both directions.
 */
class TwoNodeClusterTest {
    static ActorTestKit server;
    static ActorTestKit devices;
    static TrainerPool pool;

    @BeforeAll
    static void formCluster() {
        server = ActorTestKit.create("fedprune", FedpruneConfig.cluster("127.0.0.1", 0, List.of(), List.of("aggregator")));
        devices = ActorTestKit.create("fedprune", FedpruneConfig.cluster("127.0.0.1", 0, List.of(), List.of("client")));
        Cluster a = Cluster.get(server.system());
        a.manager().tell(Join.create(a.selfMember().address()));
        Cluster.get(devices.system()).manager().tell(Join.create(a.selfMember().address()));
        awaitUp(server.system(), 2);
        awaitUp(devices.system(), 2);
    }

    static void awaitUp(ActorSystem<?> system, int members) {
        TestProbe<Object> probe = TestProbe.create(system);
        probe.awaitAssert(Duration.ofSeconds(20), Duration.ofMillis(100), () -> {
            long up = 0;
            for (org.apache.pekko.cluster.Member m : Cluster.get(system).state().getMembers()) {
                if (m.status() == MemberStatus.up()) {
                    up++;
                }
            }
            assertEquals(members, up);
            return null;
        });
    }

    @AfterAll
    static void cleanup() {
        devices.shutdownTestKit();
        server.shutdownTestKit();
        if (pool != null) {
            pool.close();
        }
    }

    @Test
    void fedAvgRunsWithAggregatorAndClientsOnDifferentNodes() {
        Dataset data = SyntheticDataset.gaussianClusters(400, 10, 1, 28, 28, 0.3, 5);
        ModelSpec spec = new ModelSpec(ModelArchitecture.MLP, 1, 28, 28, 10);
        pool = new TrainerPool(spec, OptimizerSpec.sgd(0.1), 3, 1);
        WireCodec codec = new DenseFloat32Codec(pool.layout().totalLength(), pool.layout().fingerprint());
        float[] initial = pool.initialParameters();
        assertTrue(codec.encode(initial).length > 256 * 1024, "the model must exceed Artery's default frame size");

        // server node: the aggregator, discoverable through the Receptionist
        // spawned where the CLI's driver spawns it (/user/fedprune/aggregator): the cluster profile's
        // large-message lane must cover that path and the aggregator's response adapter below it
        TestProbe<AggregatorEvent> published = server.createTestProbe();
        FederatedServer model = new FederatedServer(new FedAvg(), initial, new FederatedServer.Codecs(codec,
                chain -> codec, codec, UplinkPayload.MODEL), SampleBound.atMost(10_000), 1, false);
        server.spawn(Behaviors.<Void>setup(ctx -> {
            ActorRef<Aggregator.Command> aggregator = ctx.spawn(Aggregator.create(model, new AggregatorSettings(3),
                    published.getRef(), new RealTimeClockService(0)), ActorPaths.AGGREGATOR);
            ctx.getSystem().receptionist().tell(Receptionist.register(ServiceKeys.AGGREGATOR, aggregator));
            return Behaviors.empty();
        }), ActorPaths.ROOT);

        // device node: two clients that find the aggregator and register with it
        TestProbe<Receptionist.Listing> listing = devices.createTestProbe();
        ActorRef<Aggregator.Command> remote = listing.awaitAssert(Duration.ofSeconds(20), Duration.ofMillis(200), () -> {
            devices.system().receptionist().tell(Receptionist.find(ServiceKeys.AGGREGATOR, listing.getRef()));
            var found = listing.receiveMessage().getServiceInstances(ServiceKeys.AGGREGATOR);
            assertFalse(found.isEmpty());
            return found.iterator().next();
        });
        assertFalse(remote.path().address().equals(devices.system().address()), "the aggregator must be remote");
        assertEquals("/user/" + ActorPaths.ROOT + "/" + ActorPaths.AGGREGATOR, remote.path().toStringWithoutAddress());
        List<Shard> shards = new IidPartitioner().partition(data.labels(), 10, 2, 9);
        ClientSetup setup = new ClientSetup(data, pool, codec, new LocalTrainingConfig(1, 0, 20),
                new RealTimeClockService(0));
        DeviceProfile device = new DeviceProfile(0, 1e9, 1e6, 1e7, 5e7);
        devices.spawn(Behaviors.<Void>setup(ctx -> {
            for (int i = 0; i < 2; i++) {
                ActorRef<Client.Command> c = ctx.spawn(Client.create(i, shards.get(i), device, i, setup),
                        ActorPaths.client(i));
                remote.tell(new Aggregator.RegisterClient(i, c));
            }
            remote.tell(new Aggregator.Start()); // from the same sender: after both registrations
            return Behaviors.empty();
        }), ActorPaths.ROOT);

        byte[] v0 = ((ModelPublished) published.receiveMessage(Duration.ofSeconds(30))).model();
        ModelPublished last = null;
        for (int v = 1; v <= 3; v++) {
            last = (ModelPublished) published.receiveMessage(Duration.ofSeconds(60));
            assertEquals(v, last.version());
            assertEquals(2, last.stats().participants(), "both remote clients' updates must arrive");
        }
        assertEquals(0, last.stats().rejected());
        assertEquals(3L * 2 * v0.length, last.bytesDown());
        assertEquals(3L * 2 * v0.length, last.bytesUp());
        assertFalse(Arrays.equals(v0, last.model()), "training on the remote node must change the model");
    }
}
