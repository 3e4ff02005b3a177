package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.client.ClientSetup;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
import io.fedprune.actors.distributor.Distributor;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.ResidualSplit;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.Shard;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.train.TrainerPool;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Real clients on the virtual clock fetch their sub-model's residual increments from a real
 * distributor, every message through the Kryo serializer: they download only those bytes, train
 * on the sub-model, and an unusable fetch fails the round instead of stalling it.
 */
class ResidualClientProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));
    static final ModelSpec SPEC = new ModelSpec(ModelArchitecture.MLP, 1, 4, 4, 4);
    static final Dataset DATA = SyntheticDataset.gaussianClusters(100, 4, 1, 4, 4, 0.1, 7, 1);
    static final TrainerPool POOL = new TrainerPool(SPEC, OptimizerSpec.sgd(0.1), 1, 1);

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
        POOL.close();
    }

    /** A virtual clock, a recorder of client answers with their clock time, and the clients' setup. */
    static final class Rig {
        final AtomicLong now = new AtomicLong();
        final TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        final ActorRef<VirtualClock.Command> clockRef = testKit.spawn(VirtualClock.create(now, quiet.getRef(),
                Duration.ZERO));
        final VirtualClockService clocks = new VirtualClockService(clockRef, now);
        final TestProbe<ComputeScaleProtocolTest.Arrival> arrivals = testKit.createTestProbe();
        final ActorRef<Client.Response> replies = testKit.spawn(ComputeScaleProtocolTest.recorder(clocks, now,
                arrivals.getRef()));
        final WireCodec codec = new DenseFloat32Codec(POOL.layout().totalLength(), POOL.layout().fingerprint());
        final ClientSetup setup = new ClientSetup(DATA, POOL, codec, new LocalTrainingConfig(1, 0, 25), clocks);
    }

    @Test
    void clientsRebuildTheirSubModelFromIncrementsAndAnUnusableFetchFailsTheRound() {
        Rig rig = new Rig();
        VirtualClockService clocks = rig.clocks;
        ActorRef<VirtualClock.Command> clockRef = rig.clockRef;
        TestProbe<ComputeScaleProtocolTest.Arrival> arrivals = rig.arrivals;
        ActorRef<Client.Response> replies = rig.replies;
        int n = POOL.layout().totalLength();
        WireCodec codec = rig.codec;
        float[] global = POOL.initialParameters();
        // two nested levels: the first quarter of the entries, then the first half
        List<Mask> masks = List.of(Mask.fromIndices(n, IntStream.range(0, n / 4).toArray()),
                Mask.fromIndices(n, IntStream.range(0, n / 2).toArray()));
        ResidualSplit split = ResidualSplit.of(POOL.layout(), 3, global, masks);
        ClientSetup setup = rig.setup;
        DeviceProfile device = new DeviceProfile(0, 1e9, 1e6, 1e7, 5e7);
        Shard shard = new Shard(0, IntStream.range(0, 100).toArray());
        byte[] mask = masks.get(1).toBytes();
        testKit.spawn(Behaviors.<Void>setup(ctx -> {
            Clock c = clocks.forActor(ctx);
            ActorRef<Distributor.Command> distributor = ctx.spawn(Distributor.create(clocks, 4), "distributor");
            c.send(distributor, new Distributor.Offer(split), 0);
            // 0: level 1 from scratch; 1: a split nobody offered; 2: told it holds increments it does not
            long[] splits = {split.id(), split.id() + 1, split.id()};
            int[] from = {0, 0, 1};
            for (int i = 0; i < 3; i++) {
                ActorRef<Client.Command> client = ctx.spawn(Client.create(i, shard, device, i, setup), "client-" + i);
                Client.TrainRequest r = new Client.TrainRequest(3, 0, new byte[0], mask, "", 0, 0, 1.0, replies);
                c.send(client, new Client.TrainFromIncrements(r, splits[i], from[i], 1, distributor), 0);
            }
            clockRef.tell(new VirtualClock.Resume());
            return Behaviors.empty();
        }));
        Map<Integer, ComputeScaleProtocolTest.Arrival> byClient = new HashMap<>();
        for (int i = 0; i < 3; i++) {
            ComputeScaleProtocolTest.Arrival a = arrivals.receiveMessage(Duration.ofSeconds(30));
            byClient.put(a.response().clientId(), a);
        }
        ComputeScaleProtocolTest.Arrival ok = byClient.get(0);
        Client.Trained t = assertInstanceOf(Client.Trained.class, ok.response());
        float[] trained = codec.decode(t.update());
        for (int j = n / 2; j < n; j++) {
            assertEquals(0f, trained[j], "entry " + j + " is outside the sub-model: it stays 0");
        }
        assertEquals(device.downloadMicros(split.bytes(1) + mask.length) + device.computeMicros(100)
                + device.uploadMicros(t.update().length), ok.atMicros(), "it downloads exactly its increments and mask");
        Client.Failed unknown = assertInstanceOf(Client.Failed.class, byClient.get(1).response());
        assertTrue(unknown.reason().contains("no longer served"), unknown.reason());
        Client.Failed notHeld = assertInstanceOf(Client.Failed.class, byClient.get(2).response());
        assertTrue(notHeld.reason().contains("of a split it does not hold"), notHeld.reason());
        rig.quiet.receiveMessage(Duration.ofSeconds(10)); // nothing left waiting: the clock goes quiet
        testKit.stop(clockRef);
    }

    @Test
    void aFetchFromADistributorThatStoppedFailsTheRoundInsteadOfWaitingForever() {
        Rig rig = new Rig();
        VirtualClockService clocks = rig.clocks;
        ActorRef<VirtualClock.Command> clockRef = rig.clockRef;
        TestProbe<ComputeScaleProtocolTest.Arrival> arrivals = rig.arrivals;
        ActorRef<Client.Response> replies = rig.replies;
        int n = POOL.layout().totalLength();
        WireCodec codec = rig.codec;
        ClientSetup setup = rig.setup;
        ActorRef<Distributor.Command> gone = testKit.spawn(Distributor.create(clocks, 4));
        testKit.stop(gone);
        byte[] mask = Mask.fromIndices(n, IntStream.range(0, n / 2).toArray()).toBytes();
        testKit.spawn(Behaviors.setup(ctx -> {
            Clock c = clocks.forActor(ctx);
            ActorRef<Client.Command> client = ctx.spawn(Client.create(0, new Shard(0, IntStream.range(0, 100).toArray()),
                    new DeviceProfile(0, 1e9, 1e6, 1e7, 5e7), 0, setup), "client");
            Client.TrainRequest r = new Client.TrainRequest(1, 0, new byte[0], mask, "", 0, 0, 1.0, replies);
            c.send(client, new Client.TrainFromIncrements(r, 42, 0, 1, gone), 0);
            clockRef.tell(new VirtualClock.Resume());
            return Behaviors.empty();
        }));
        Client.Failed f = assertInstanceOf(Client.Failed.class, arrivals.receiveMessage(Duration.ofSeconds(30))
                .response());
        assertTrue(f.reason().contains("distributor of its residual increments stopped"), f.reason());
        testKit.stop(clockRef);
    }
}
