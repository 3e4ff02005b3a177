package io.fedprune.actors.split;

import static io.fedprune.actors.split.SplitFixtures.BATCH;
import static io.fedprune.actors.split.SplitFixtures.CUT;
import static io.fedprune.actors.split.SplitFixtures.DROPOUT;
import static io.fedprune.actors.split.SplitFixtures.FAST;
import static io.fedprune.actors.split.SplitFixtures.SERVER;
import static io.fedprune.actors.split.SplitFixtures.SLOW;
import static io.fedprune.actors.split.SplitFixtures.START;
import static io.fedprune.actors.split.SplitFixtures.clientSide;
import static io.fedprune.actors.split.SplitFixtures.serverSide;
import static io.fedprune.actors.split.SplitFixtures.shard;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
import io.fedprune.core.compress.CutLayerCodec;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.PayloadHeader;
import io.fedprune.core.compress.UniformQuantizer;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.Shard;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.split.ActivationDropout;
import io.fedprune.core.split.ClientPart;
import io.fedprune.core.split.ClientSide;
import io.fedprune.core.split.CutPoint;
import io.fedprune.core.split.ServerPart;
import io.fedprune.core.split.ServerSide;
import io.fedprune.core.split.SplitNetworks;
import io.fedprune.core.split.SplitParameters;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.serialization.FedpruneConfig;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;

/**
 * SplitFed V2 as messages: a client's steps against the split server give exactly the parts a
 * plain sequential loop gives, bytes and virtual time follow the payloads and the device model,
 * bad or duplicate activations are rejected without touching the server part, and a client that
 * stops mid-iteration does not stall the server or the clock. Every message is serialized.
 */
@ExtendWith(LogCapturingExtension.class)
class SplitProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));
    static final ExecutorService pool = Executors.newFixedThreadPool(2);

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
        pool.shutdownNow();
    }

    /** Forwards responses to {@code probe} with the virtual time they arrived at, and reports them handled. */
    record Arrival(SplitClient.Response response, long atMicros) implements NoSerializationVerificationNeeded {
    }

    static Behavior<SplitClient.Response> listener(ClockService clocks, ActorRef<Arrival> probe) {
        return Behaviors.setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            return Behaviors.receiveMessage(r -> {
                probe.tell(new Arrival(r, clock.nowMicros()));
                clock.handled();
                return Behaviors.same();
            });
        });
    }

    @Test
    void oneClientsStepsEqualASequentialLoopInBytesParametersAndVirtualTime() {
        AtomicLong now = new AtomicLong();
        TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clock = testKit.spawn(VirtualClock.create(now, quiet.getRef(), Duration.ZERO));
        VirtualClockService clocks = new VirtualClockService(clock, now);
        double serverShare = 1 - CUT.clientComputeFraction();
        ActorRef<SplitServer.Command> server = testKit.spawn(SplitServer.create(serverSide(8), SERVER, serverShare, pool, clocks));
        TestProbe<Arrival> arrivals = testKit.createTestProbe();
        ActorRef<SplitClient.Response> listener = testKit.spawn(listener(clocks, arrivals.getRef()));
        SplitClient.Setup setup = new SplitClient.Setup(server, BATCH, CUT.clientComputeFraction(), pool, clocks);
        ActorRef<SplitClient.Command> client = testKit.spawn(SplitClient.create(0, shard(0), SLOW, 3, clientSide(0), setup));
        int steps = 5; // more than the 4 batches of the shard: the order wraps around
        testKit.spawn(Behaviors.<Void>setup(ctx -> {
            clocks.forActor(ctx).send(client, new SplitClient.Train(1, new byte[0], steps, listener), 0);
            clock.tell(new VirtualClock.Resume());
            return Behaviors.empty();
        }));
        Arrival arrival = arrivals.receiveMessage(Duration.ofSeconds(15));
        SplitClient.Trained trained = assertInstanceOf(SplitClient.Trained.class, arrival.response());

        // the reference: the same steps as a plain loop, no actors
        long expectedUp = 0;
        long expectedDown = 0;
        long expectedTime = 0;
        double lossSum = 0;
        ClientSide c = clientSide(0);
        try (ServerSide s = serverSide(8)) {
            SplitRound order = new SplitRound(trained.round() == 1 ? new SplitClient.Train(1, new byte[0], steps, null)
                    : null, shard(0).indices(), 3 * 1_000_003L + 1);
            long computeMicros = SLOW.computeMicros(BATCH);
            for (int step = 0; step < steps; step++) {
                byte[] up = c.forward(1, step, order.batch(step, BATCH));
                Mask keep = DROPOUT.keepMask(0, 1, step, BATCH * CUT.activationSize());
                assertEquals(CutLayerCodec.activationBytes(keep.cardinality(), BATCH, 4, 32), up.length, "formula");
                ServerSide.Result r = s.step(0, 1, step, BATCH, up);
                assertEquals(CutLayerCodec.gradientBytes(keep.cardinality(), 8), r.gradients().length, "formula");
                c.backward(1, step, r.gradients());
                expectedUp += up.length;
                expectedDown += r.gradients().length;
                lossSum += r.loss();
                expectedTime += (long) Math.ceil(computeMicros * CUT.clientComputeFraction() / 3) + SLOW.uploadMicros(up.length)
                        + (long) Math.ceil(SERVER.computeMicros(BATCH) * serverShare)
                        + SLOW.downloadMicros(r.gradients().length)
                        + (long) Math.ceil(computeMicros * CUT.clientComputeFraction() * 2 / 3);
            }
            float[] clientAfter = c.parameters();
            expectedTime += SLOW.uploadMicros(DenseFloat32Codec.class.cast(
                    new DenseFloat32Codec(clientAfter.length, c.layoutFingerprint())).encodedSize());
            float[] got = new DenseFloat32Codec(clientAfter.length, c.layoutFingerprint()).decode(trained.clientPart());
            assertArrayEquals(clientAfter, got, 1e-6f, "client part after the round");
            assertEquals(lossSum / steps, trained.meanLoss(), 1e-6);
        }
        assertEquals(steps * BATCH, trained.samples());
        assertEquals(expectedUp, trained.bytesUp());
        assertEquals(expectedDown, trained.bytesDown());
        assertEquals(expectedTime, arrival.atMicros(), "virtual time of the round's end");
        TestProbe<SplitServer.Stats> stats = testKit.createTestProbe();
        server.tell(new SplitServer.GetStats(stats.getRef()));
        SplitServer.Stats st = stats.receiveMessage();
        assertEquals(steps, st.steps());
        assertEquals(expectedUp, st.bytesUp());
        assertEquals(expectedDown, st.bytesDown());
        quiet.receiveMessage(Duration.ofSeconds(10));
        testKit.stop(client);
        testKit.stop(server);
        testKit.stop(clock);
    }

    @Test
    void badAndDuplicateActivationsAreRejectedAndLeaveTheServerPartAsItWas() {
        ClockService clocks = new RealTimeClockService(0);
        ActorRef<SplitServer.Command> server = testKit.spawn(SplitServer.create(serverSide(32), SERVER, 0.5, pool, clocks));
        TestProbe<SplitServer.Reply> replies = testKit.createTestProbe();
        byte[] good;
        byte[] nan;
        good = clientSide(0).forward(1, 0, new int[] {0, 1, 2, 3});
        nan = good.clone();
        int firstValue = PayloadHeader.SIZE + 1 + 1; // header, width byte, 4 labels x 2 bits
        ByteBuffer.wrap(nan).order(ByteOrder.LITTLE_ENDIAN).putFloat(firstValue, Float.NaN);
        PayloadHeader.seal(nan);
        byte[] damaged = good.clone();
        damaged[30] ^= 1;
        for (byte[] bad : new byte[][] {nan, damaged, new byte[5]}) {
            server.tell(new SplitServer.Activations(0, 1, 0, 4, bad, replies.getRef()));
            assertInstanceOf(SplitServer.Rejected.class, replies.receiveMessage());
            server.tell(new SplitServer.Activations(7, 1, 0, 4, good, replies.getRef())); // another client's step key
            assertInstanceOf(SplitServer.Rejected.class, replies.receiveMessage());
        }
        server.tell(new SplitServer.Activations(0, 2, 0, 4, good, replies.getRef())); // right client, wrong round
        assertInstanceOf(SplitServer.Rejected.class, replies.receiveMessage());
        server.tell(new SplitServer.Activations(0, 1, 1, 4, good, replies.getRef())); // wrong step
        assertInstanceOf(SplitServer.Rejected.class, replies.receiveMessage());
        // the earlier rejections claimed (1, 0) and (1, 1) for client 0: a fresh client id gets the first real step
        byte[] good5;
        good5 = clientSide(5).forward(1, 0, new int[] {0, 1, 2, 3});
        server.tell(new SplitServer.Activations(5, 1, 0, 4, good5, replies.getRef()));
        SplitServer.Gradients g = assertInstanceOf(SplitServer.Gradients.class, replies.receiveMessage());
        try (ServerSide fresh = serverSide(32)) {
            assertArrayEquals(fresh.step(5, 1, 0, 4, good5).gradients(), g.payload(), "the rejections changed nothing");
        }
        server.tell(new SplitServer.Activations(5, 1, 0, 4, good5, replies.getRef())); // duplicate
        SplitServer.Rejected dup = assertInstanceOf(SplitServer.Rejected.class, replies.receiveMessage());
        assertTrue(dup.reason().startsWith("duplicate"), dup.reason());
        TestProbe<SplitServer.Stats> stats = testKit.createTestProbe();
        server.tell(new SplitServer.GetStats(stats.getRef()));
        assertEquals(1, stats.receiveMessage().steps());
        testKit.stop(server);
    }

    @Test
    void aClientThatStopsMidIterationDoesNotStallTheServerOrTheClock() {
        AtomicLong now = new AtomicLong();
        TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clock = testKit.spawn(VirtualClock.create(now, quiet.getRef(), Duration.ZERO));
        VirtualClockService clocks = new VirtualClockService(clock, now);
        ActorRef<SplitServer.Command> server = testKit.spawn(SplitServer.create(serverSide(8), SERVER, 0.5, pool, clocks));
        TestProbe<Arrival> arrivals = testKit.createTestProbe();
        ActorRef<SplitClient.Response> listener = testKit.spawn(listener(clocks, arrivals.getRef()));
        SplitClient.Setup setup = new SplitClient.Setup(server, BATCH, CUT.clientComputeFraction(), pool, clocks);
        ActorRef<SplitClient.Command> staying = testKit.spawn(SplitClient.create(1, shard(1), SLOW, 3, clientSide(1), setup));
        byte[] activations;
        activations = clientSide(0).forward(1, 0, new int[] {0, 1, 2, 3, 4, 5, 6, 7});
        // client 0 sends its first activations and stops before the gradients come back: mid-iteration
        testKit.spawn(Behaviors.<SplitServer.Reply>setup(ctx -> {
            Clock c = clocks.forActor(ctx);
            c.send(server, new SplitServer.Activations(0, 1, 0, BATCH, activations, ctx.getSelf()), 0);
            return Behaviors.stopped();
        }));
        testKit.spawn(Behaviors.<Void>setup(ctx -> {
            clocks.forActor(ctx).send(staying, new SplitClient.Train(1, new byte[0], 3, listener), 0);
            clock.tell(new VirtualClock.Resume());
            return Behaviors.empty();
        }));
        TestProbe<SplitServer.Stats> stats = testKit.createTestProbe();
        Arrival a = arrivals.receiveMessage(Duration.ofSeconds(15));
        SplitClient.Trained t = assertInstanceOf(SplitClient.Trained.class, a.response());
        assertEquals(1, t.clientId());
        assertEquals(3 * BATCH, t.samples());
        quiet.receiveMessage(Duration.ofSeconds(10)); // nothing held for the stopped client
        server.tell(new SplitServer.GetStats(stats.getRef()));
        SplitServer.Stats st = stats.receiveMessage();
        assertEquals(3 + 1, st.steps(), "the stopped client's batch was served too");
        testKit.stop(staying);
        testKit.stop(server);
        testKit.stop(clock);
    }

    @Test
    void aLostActivationMessageFailsTheRoundAtTheStepDeadlineAndALateAnswerIsIgnored() {
        ClockService clocks = new RealTimeClockService(0);
        TestProbe<SplitServer.Command> server = testKit.createTestProbe();
        TestProbe<SplitClient.Response> responses = testKit.createTestProbe();
        SplitClient.Setup setup = new SplitClient.Setup(server.getRef(), BATCH, CUT.clientComputeFraction(), pool, clocks,
                300_000);
        ActorRef<SplitClient.Command> client = testKit.spawn(SplitClient.create(0, shard(0), FAST, 3, clientSide(0), setup));
        client.tell(new SplitClient.Train(1, new byte[0], 2, responses.getRef()));
        SplitServer.Activations lost = (SplitServer.Activations) server.receiveMessage(Duration.ofSeconds(10));
        assertEquals(0, lost.step());
        SplitClient.Failed failed = assertInstanceOf(SplitClient.Failed.class, responses.receiveMessage(Duration.ofSeconds(5)));
        assertTrue(failed.reason().startsWith("no gradients for step 0"), failed.reason());
        lost.replyTo().tell(new SplitServer.Rejected(0, 1, 0, "too late"));
        responses.expectNoMessage(Duration.ofMillis(300));
        client.tell(new SplitClient.Train(2, new byte[0], 1, responses.getRef()));
        assertEquals(2, ((SplitServer.Activations) server.receiveMessage(Duration.ofSeconds(10))).round());
        testKit.stop(client);
    }
}
