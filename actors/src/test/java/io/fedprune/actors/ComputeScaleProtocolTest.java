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
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.Shard;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.train.TrainerPool;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A request's compute scale (a width-scaled sub-model's FLOPs fraction) scales the client's compute
 * time in the virtual clock, and a scale outside (0, 1] is refused like any other bad request.
 * Real clients on a real trainer pool, every message through the Kryo serializer.
 */
class ComputeScaleProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));
    static final ModelSpec SPEC = new ModelSpec(ModelArchitecture.MLP, 1, 4, 4, 4);
    static final Dataset DATA = SyntheticDataset.gaussianClusters(100, 4, 1, 4, 4, 0.1, 7, 1);
    static final TrainerPool POOL = new TrainerPool(SPEC, OptimizerSpec.sgd(0.1), 1, 1);

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
        POOL.close();
    }

    /** A client's answer and the clock time it arrived at (a test-local message, not for the wire). */
    record Arrival(Client.Response response, long atMicros) implements NoSerializationVerificationNeeded {
    }

    static Behavior<Client.Response> recorder(VirtualClockService clocks, AtomicLong now, ActorRef<Arrival> probe) {
        return Behaviors.setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            return Behaviors.receiveMessage(r -> {
                probe.tell(new Arrival(r, now.get()));
                clock.handled();
                return Behaviors.same();
            });
        });
    }

    @Test
    void computeTimeIsTheDevicesTimesTheScaleAndABadScaleIsRefused() {
        double[] scales = {1.0, 0.5, 0.0, 1.5, Double.NaN};
        AtomicLong now = new AtomicLong();
        TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clockRef = testKit.spawn(VirtualClock.create(now, quiet.getRef(), Duration.ZERO));
        VirtualClockService clocks = new VirtualClockService(clockRef, now);
        TestProbe<Arrival> arrivals = testKit.createTestProbe();
        ActorRef<Client.Response> replies = testKit.spawn(recorder(clocks, now, arrivals.getRef()));
        WireCodec codec = new DenseFloat32Codec(POOL.layout().totalLength(), POOL.layout().fingerprint());
        byte[] model = codec.encode(POOL.initialParameters());
        ClientSetup setup = new ClientSetup(DATA, POOL, codec, new LocalTrainingConfig(1, 0, 25), clocks);
        // 1 GHz, 1e6 cycles per sample: 100 samples take 0.1 s of compute
        DeviceProfile device = new DeviceProfile(0, 1e9, 1e6, 1e7, 5e7);
        Shard shard = new Shard(0, IntStream.range(0, 100).toArray());
        testKit.spawn(Behaviors.<Void>setup(ctx -> {
            Clock c = clocks.forActor(ctx);
            for (int i = 0; i < scales.length; i++) {
                ActorRef<Client.Command> client = ctx.spawn(Client.create(i, shard, device, i, setup), "client-" + i);
                c.send(client, new Client.TrainRequest(0, 0, model, new byte[0], "", 0, 0, scales[i], replies), 0);
            }
            clockRef.tell(new VirtualClock.Resume());
            return Behaviors.empty();
        }));
        Map<Integer, Arrival> byClient = new HashMap<>();
        for (int i = 0; i < scales.length; i++) {
            Arrival a = arrivals.receiveMessage(Duration.ofSeconds(30));
            byClient.put(a.response().clientId(), a);
        }
        long denseCompute = device.computeMicros(100);
        assertEquals(100_000, denseCompute);
        for (int i = 0; i < 2; i++) {
            Arrival a = byClient.get(i);
            Client.Trained t = assertInstanceOf(Client.Trained.class, a.response(), "scale " + scales[i]);
            long compute = i == 0 ? 100_000 : 50_000;
            assertEquals(device.downloadMicros(model.length) + compute + device.uploadMicros(t.update().length),
                    a.atMicros(), "client with compute scale " + scales[i]);
        }
        assertEquals(50_000, byClient.get(0).atMicros() - byClient.get(1).atMicros(), "half the compute, same transfers");
        for (int i = 2; i < scales.length; i++) {
            Client.Failed f = assertInstanceOf(Client.Failed.class, byClient.get(i).response(), "scale " + scales[i]);
            assertTrue(f.reason().contains("compute scale must be in (0, 1]"), f.reason());
            assertEquals(0, byClient.get(i).atMicros(), "refused at once");
        }
        quiet.receiveMessage(Duration.ofSeconds(10));
        testKit.stop(clockRef);
    }
}
