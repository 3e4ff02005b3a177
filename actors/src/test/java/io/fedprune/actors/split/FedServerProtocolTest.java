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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LogCapturingExtension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The fed server averages client parts every I rounds weighted by samples, lets clients keep
 * their own parts in between, and finishes without a client that stopped; with a real split
 * server and clients in virtual time the run ends and the clock goes quiet.
 */
@ExtendWith(LogCapturingExtension.class)
class FedServerProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));
    static final ExecutorService pool = Executors.newFixedThreadPool(2);
    static final DenseFloat32Codec CODEC = new DenseFloat32Codec(3, 99);

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
        pool.shutdownNow();
    }

    @Test
    void averagesEveryIntervalWeightedBySamplesAndClientsKeepTheirOwnPartsBetween() {
        ClockService clocks = new RealTimeClockService(0);
        TestProbe<SplitClient.Command> c0 = testKit.createTestProbe();
        TestProbe<SplitClient.Command> c1 = testKit.createTestProbe();
        TestProbe<FedServer.Event> events = testKit.createTestProbe();
        float[] initial = {0, 0, 0};
        TestProbe<SplitServer.Command> splitServer = testKit.createTestProbe();
        ActorRef<FedServer.Command> fed = testKit.spawn(FedServer.create(List.of(c0.getRef(), c1.getRef()), initial,
                FedServer.Codecs.both(CODEC), new FedAvg(), new FedServer.Plan(3, 2, 2), splitServer.getRef(),
                events.getRef(), clocks));
        fed.tell(new FedServer.Start());
        // round 1: both start from the initial part; no aggregation (interval 2)
        SplitClient.Train t0 = (SplitClient.Train) c0.receiveMessage();
        SplitClient.Train t1 = (SplitClient.Train) c1.receiveMessage();
        assertArrayEquals(initial, CODEC.decode(t0.clientPart()));
        assertEquals(2, t0.steps());
        t0.replyTo().tell(new SplitClient.Trained(0, 1, CODEC.encode(new float[] {9, 9, 9}), 10, 0.5, 0, 0));
        t1.replyTo().tell(new SplitClient.Trained(1, 1, CODEC.encode(new float[] {7, 7, 7}), 10, 0.7, 0, 0));
        FedServer.RoundEnded r1 = assertInstanceOf(FedServer.RoundEnded.class, events.receiveMessage());
        assertEquals(new SplitServer.EndRound(1), splitServer.receiveMessage(), "the split server hears of the round's end");
        assertEquals(0, r1.clientPart().length);
        assertEquals(0.6, r1.meanLoss(), 1e-12);
        // round 2: clients go on from their own parts; then the weighted average of round 2's parts only
        t0 = (SplitClient.Train) c0.receiveMessage();
        t1 = (SplitClient.Train) c1.receiveMessage();
        assertEquals(0, t0.clientPart().length);
        t0.replyTo().tell(new SplitClient.Trained(0, 2, CODEC.encode(new float[] {1, 2, 3}), 30, 0.4, 0, 0));
        t1.replyTo().tell(new SplitClient.Trained(1, 2, CODEC.encode(new float[] {5, 6, 7}), 10, 0.4, 0, 0));
        FedServer.RoundEnded r2 = assertInstanceOf(FedServer.RoundEnded.class, events.receiveMessage());
        assertEquals(new SplitServer.EndRound(2), splitServer.receiveMessage());
        float[] expected = {(30 * 1 + 10 * 5) / 40f, (30 * 2 + 10 * 6) / 40f, (30 * 3 + 10 * 7) / 40f};
        assertArrayEquals(expected, CODEC.decode(r2.clientPart()), 1e-6f);
        // round 3: both get the average; client 1 stops and the round closes without it
        t0 = (SplitClient.Train) c0.receiveMessage();
        assertArrayEquals(expected, CODEC.decode(t0.clientPart()), 1e-6f);
        c1.receiveMessage();
        c1.stop();
        t0.replyTo().tell(new SplitClient.Trained(0, 3, CODEC.encode(new float[] {2, 2, 2}), 30, 0.3, 0, 0));
        FedServer.RoundEnded r3 = assertInstanceOf(FedServer.RoundEnded.class, events.receiveMessage());
        assertEquals(1, r3.answered());
        assertEquals(1, r3.dropped());
        assertEquals(new SplitServer.EndRound(3), splitServer.receiveMessage(), "a dropout does not hold the round's end");
        FedServer.Finished f = assertInstanceOf(FedServer.Finished.class, events.receiveMessage());
        assertEquals(3, f.rounds());
        testKit.stop(fed);
    }

    record Heard(FedServer.Event event, long atMicros) implements NoSerializationVerificationNeeded {
    }

    static Behavior<FedServer.Event> listener(ClockService clocks, ActorRef<Heard> probe) {
        return Behaviors.setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            return Behaviors.receiveMessage(e -> {
                probe.tell(new Heard(e, clock.nowMicros()));
                clock.handled();
                return Behaviors.same();
            });
        });
    }

    @Test
    void splitFedOverTheSharedServerRunsToTheEndInVirtualTime() {
        AtomicLong now = new AtomicLong();
        TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clock = testKit.spawn(VirtualClock.create(now, quiet.getRef(), Duration.ZERO));
        VirtualClockService clocks = new VirtualClockService(clock, now);
        ActorRef<SplitServer.Command> server = testKit.spawn(SplitServer.create(serverSide(8),
                SERVER, 1 - CUT.clientComputeFraction(), pool, clocks));
        SplitClient.Setup setup = new SplitClient.Setup(server, BATCH,
                CUT.clientComputeFraction(), pool, clocks);
        List<ActorRef<SplitClient.Command>> clients = new ArrayList<>();
        clients.add(testKit.spawn(SplitClient.create(0, shard(0), FAST, 1,
                clientSide(0), setup)));
        clients.add(testKit.spawn(SplitClient.create(1, shard(1), SLOW, 1,
                clientSide(1), setup)));
        TestProbe<Heard> heard = testKit.createTestProbe();
        ActorRef<FedServer.Event> listener = testKit.spawn(listener(clocks, heard.getRef()));
        float[] start = START.client();
        DenseFloat32Codec codec = new DenseFloat32Codec(start.length, clientSide(0).layoutFingerprint());
        ActorRef<FedServer.Command> fed = testKit.spawn(FedServer.create(clients, start, FedServer.Codecs.both(codec),
                new FedAvg(), new FedServer.Plan(2, 3, 1), server, listener, clocks));
        testKit.spawn(Behaviors.<Void>setup(ctx -> {
            clocks.forActor(ctx).send(fed, new FedServer.Start(), 0);
            clock.tell(new VirtualClock.Resume());
            return Behaviors.empty();
        }));
        long last = 0;
        for (int r = 1; r <= 2; r++) {
            Heard h = heard.receiveMessage(Duration.ofSeconds(15));
            FedServer.RoundEnded e = assertInstanceOf(FedServer.RoundEnded.class, h.event());
            assertEquals(r, e.round());
            assertEquals(2, e.answered());
            float[] avg = codec.decode(e.clientPart());
            assertNotEquals(Arrays.toString(start), Arrays.toString(avg), "the parts trained");
            assertTrue(h.atMicros() > last, "round " + r + " ends later in virtual time");
            last = h.atMicros();
        }
        assertInstanceOf(FedServer.Finished.class, heard.receiveMessage(Duration.ofSeconds(15)).event());
        quiet.receiveMessage(Duration.ofSeconds(10));
        TestProbe<SplitServer.Stats> stats = testKit.createTestProbe();
        server.tell(new SplitServer.GetStats(stats.getRef()));
        assertEquals(2 * 2 * 3, stats.receiveMessage().steps());
        TestProbe<SplitServer.ServerPartNow> part = testKit.createTestProbe();
        server.tell(new SplitServer.GetServerPart(2, part.getRef()));
        SplitServer.ServerPartNow now2 = part.receiveMessage();
        assertEquals(12, now2.steps());
        assertEquals(2, now2.roundsEnded());
        float[] serverPart = new DenseFloat32Codec(START.server().length, serverSide(8).part().layoutFingerprint())
                .decode(now2.part());
        assertNotEquals(Arrays.toString(START.server()), Arrays.toString(serverPart), "the shared part trained");
        testKit.stop(fed);
        clients.forEach(testKit::stop);
        testKit.stop(server);
        testKit.stop(clock);
    }
}
