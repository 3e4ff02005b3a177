package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.client.ClientNetwork;
import io.fedprune.actors.client.ClientSetup;
import io.fedprune.actors.client.DeviceTests;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
import io.fedprune.core.compress.SparseFloat32Codec;
import io.fedprune.core.compress.UplinkEncoder;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.Shard;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.personal.LocalAlt;
import io.fedprune.core.personal.PersonalParts;
import io.fedprune.core.strategy.LocalAltRound;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.train.LocalTrainer;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.train.TrainerPool;
import io.fedprune.serialization.FedpruneConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A client running LocalAlt rounds keeps its personal part across rounds and never puts it in a
 * message: every message to and from it, serialized by the Kryo serializer as it would cross
 * nodes, is searched for the personal part's values (any two consecutive non-zero ones, in either
 * byte order), which the test knows exactly by replaying the client's rounds on its own trainer.
 */
class PersonalPartProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));
    static final ModelSpec SPEC = new ModelSpec(ModelArchitecture.MLP, 1, 4, 4, 4);
    static final Dataset DATA = SyntheticDataset.gaussianClusters(120, 4, 1, 4, 4, 0.1, 7, 1);
    static final Dataset TEST = SyntheticDataset.gaussianClusters(60, 4, 1, 4, 4, 0.1, 7, 2);
    static final TrainerPool POOL = new TrainerPool(SPEC, OptimizerSpec.sgd(0.1), 1, 1);
    static final LocalTrainer REPLICA = new LocalTrainer(SPEC, OptimizerSpec.sgd(0.1), 99);
    static final long CLIENT_SEED = 17;
    static final int BATCH = 10;

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
        POOL.close();
        REPLICA.close();
    }

    record Arrival(Client.Response response) implements NoSerializationVerificationNeeded {
    }

    static Behavior<Client.Response> recorder(VirtualClockService clocks, ActorRef<Arrival> probe) {
        return Behaviors.setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            return Behaviors.receiveMessage(r -> {
                probe.tell(new Arrival(r));
                clock.handled();
                return Behaviors.same();
            });
        });
    }

    @Test
    void thePersonalPartStaysOnTheDeviceAcrossRoundsAndInNoMessage() {
        int n = POOL.layout().totalLength();
        PersonalParts parts = PersonalParts.of(POOL.layout(), List.of(-1));
        WireCodec sparse = new SparseFloat32Codec(n, POOL.layout().fingerprint());
        int[] shard = IntStream.range(0, 60).toArray();
        int[] testSplit = IntStream.range(0, 30).toArray();
        AtomicLong now = new AtomicLong();
        TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clockRef = testKit.spawn(VirtualClock.create(now, quiet.getRef(), Duration.ZERO));
        VirtualClockService clocks = new VirtualClockService(clockRef, now);
        TestProbe<Arrival> arrivals = testKit.createTestProbe();
        ActorRef<Client.Response> replies = testKit.spawn(recorder(clocks, arrivals.getRef()));
        ClientSetup setup = new ClientSetup(DATA, POOL, sparse, id -> UplinkEncoder.modelOnly(sparse),
                new LocalTrainingConfig(1, 0, BATCH), clocks, -1, ClientNetwork.NONE,
                new DeviceTests(TEST, List.of(testSplit), 15));
        DeviceProfile device = new DeviceProfile(0, 1e9, 1e6, 1e7, 5e7);
        ActorRef<Client.Command> client = testKit.spawn(Client.create(0, new Shard(0, shard), device, CLIENT_SEED,
                setup));

        LocalAltRound round = new LocalAltRound(4, 3, 3, 0.5, 2e6);
        float[] personal0 = parts.personalOf(POOL.initialParameters());
        List<byte[]> wire = new ArrayList<>();
        List<float[]> personals = new ArrayList<>(List.of(personal0));
        float[] global = POOL.initialParameters();
        for (int r = 0; r < 2; r++) {
            float[] sent = global.clone();
            parts.global().applyTo(sent); // what the server's dispatch carries: the global part only
            byte[] model = sparse.encode(sent);
            Client.TrainLocalAlt request = new Client.TrainLocalAlt(new Client.TrainRequest(r, r + 1, model,
                    parts.global().toBytes(), "", 0, round.totalSteps(), 0.7, replies), round);
            wire.add(serialize(request));
            send(clocks, clockRef, client, request);
            Client.Trained t = assertInstanceOf(Client.Trained.class,
                    arrivals.receiveMessage(Duration.ofSeconds(60)).response());
            wire.add(serialize(t));
            // the client's round, replayed: its seed is the client's seed and task (r + 1)
            float[] mine = personals.get(personals.size() - 1);
            float[] received = sparse.decode(model);
            LocalAlt.Result expected = LocalAlt.run(REPLICA, new LocalAlt.Input(received, mine, parts, DATA, shard,
                    BATCH, CLIENT_SEED * 1_000_003L + r + 1, round, TEST.subset(testSplit, "t"), 15));
            assertEquals(expected.deviceAccuracy(), t.deviceAccuracy(),
                    "round " + r + " scored the received model with the personal part the device kept");
            float[] upload = sparse.decode(t.update());
            for (int i : parts.personalIndices()) {
                assertEquals(0f, upload[i], "personal entry " + i + " in the upload");
            }
            assertEquals(expected.upload().length, upload.length);
            for (int i = 0; i < n; i++) {
                assertEquals(expected.upload()[i], upload[i], "round " + r + " entry " + i);
            }
            personals.add(expected.personal());
            global = upload; // the next round starts from this device's global part (a one-device "average")
        }
        assertFalse(java.util.Arrays.equals(personal0, personals.get(1)), "the personal part trained");
        assertFalse(java.util.Arrays.equals(personals.get(1), personals.get(2)), "and went on training");
        int windows = 0;
        for (float[] p : personals) {
            for (int k = 0; k + 1 < p.length; k++) {
                if (p[k] == 0f || p[k + 1] == 0f) {
                    continue;
                }
                windows++;
                for (ByteOrder order : List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN)) {
                    byte[] needle = ByteBuffer.allocate(8).order(order).putFloat(p[k]).putFloat(p[k + 1]).array();
                    for (byte[] message : wire) {
                        assertFalse(contains(message, needle), "personal values " + k + ".." + (k + 1) + " on the wire");
                    }
                }
            }
        }
        assertTrue(windows > 20, "enough of the personal part searched: " + windows);
        // the search does find values that are sent: two consecutive kept global entries of an upload
        float[] lastUpload = global;
        int k = parts.globalIndices()[0];
        while (lastUpload[k] == 0f || lastUpload[k + 1] == 0f) {
            k++;
        }
        byte[] sentValues = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(lastUpload[k])
                .putFloat(lastUpload[k + 1]).array();
        assertTrue(contains(wire.get(wire.size() - 1), sentValues), "the search sees what is sent");
        quiet.receiveMessage(Duration.ofSeconds(10));
        testKit.stop(clockRef);
    }

    @Test
    void aLocalAltRequestWithoutAGlobalPartIsRefusedNotACrash() {
        int n = POOL.layout().totalLength();
        WireCodec sparse = new SparseFloat32Codec(n, POOL.layout().fingerprint());
        AtomicLong now = new AtomicLong();
        TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clockRef = testKit.spawn(VirtualClock.create(now, quiet.getRef(), Duration.ZERO));
        VirtualClockService clocks = new VirtualClockService(clockRef, now);
        TestProbe<Arrival> arrivals = testKit.createTestProbe();
        ActorRef<Client.Response> replies = testKit.spawn(recorder(clocks, arrivals.getRef()));
        ClientSetup setup = new ClientSetup(DATA, POOL, sparse, id -> UplinkEncoder.modelOnly(sparse),
                new LocalTrainingConfig(1, 0, BATCH), clocks, -1, ClientNetwork.NONE);
        ActorRef<Client.Command> client = testKit.spawn(Client.create(1, new Shard(1, IntStream.range(0, 60).toArray()),
                new DeviceProfile(1, 1e9, 1e6, 1e7, 5e7), 3, setup));
        byte[] model = sparse.encode(POOL.initialParameters());
        byte[] empty = io.fedprune.core.prune.Mask.none(n).toBytes();
        send(clocks, clockRef, client, new Client.TrainLocalAlt(new Client.TrainRequest(0, 1, model, empty, "", 0, 3,
                1.0, replies), new LocalAltRound(1, 1, 1, 0, 1e6)));
        Client.Failed f = assertInstanceOf(Client.Failed.class, arrivals.receiveMessage(Duration.ofSeconds(30)).response());
        assertTrue(f.reason().startsWith("bad request: a LocalAlt round needs a global part"), f.reason());
        // and the client still works
        PersonalParts parts = PersonalParts.of(POOL.layout(), List.of(-1));
        send(clocks, clockRef, client, new Client.TrainLocalAlt(new Client.TrainRequest(1, 2, model,
                parts.global().toBytes(), "", 0, 3, 1.0, replies), new LocalAltRound(1, 1, 1, 0, 1e6)));
        assertInstanceOf(Client.Trained.class, arrivals.receiveMessage(Duration.ofSeconds(30)).response());
        testKit.stop(clockRef);
    }

    private static void send(VirtualClockService clocks, ActorRef<VirtualClock.Command> clockRef,
                             ActorRef<Client.Command> client, Client.Command message) {
        testKit.spawn(Behaviors.<Void>setup(ctx -> {
            clocks.forActor(ctx).send(client, message, 0);
            clockRef.tell(new VirtualClock.Resume());
            return Behaviors.empty();
        }));
    }

    private static byte[] serialize(Object message) {
        Serialization s = SerializationExtension.get(Adapter.toClassic(testKit.system()));
        return s.serialize(message).get();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
