package io.fedprune.actors.split;

import static io.fedprune.actors.split.SplitFixtures.BATCH;
import static io.fedprune.actors.split.SplitFixtures.CUT;
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

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.split.ClientSide;
import io.fedprune.core.split.ServerCopies;
import io.fedprune.core.split.ServerSide;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
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
 * SplitFed V1 as messages: with a copy of the server part per client, a round over the fed server
 * leaves the server part equal to the sample-weighted mean of per-client plain loops (each copy
 * saw only its client's batches); a client that stops mid-iteration stalls neither the round nor
 * the clock, and its copy enters the average with exactly the batches it sent; its duplicate
 * batch is rejected without touching any copy; in clock time the copies compute in parallel, where
 * V2 queues one batch behind another. Every message is serialized.
 */
@ExtendWith(LogCapturingExtension.class)
class SplitFedV1ProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));
    static final ExecutorService pool = Executors.newFixedThreadPool(2);
    static final int STEPS = 3;
    static final long CLIENT_SEED = 3;

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
        pool.shutdownNow();
    }

    /** Client {@code id}'s round 1 as a plain loop against a server part of its own: {client part, server part}. */
    static float[][] alone(int id, int steps) {
        ClientSide c = clientSide(id);
        SplitRound order = order(id);
        try (ServerSide s = serverSide(32)) {
            for (int step = 0; step < steps; step++) {
                byte[] up = c.forward(1, step, order.batch(step, BATCH));
                c.backward(1, step, s.step(id, 1, step, BATCH, up).gradients());
            }
            return new float[][] {c.parameters(), s.parameters()};
        }
    }

    static SplitRound order(int id) {
        return new SplitRound(new SplitClient.Train(1, new byte[0], STEPS, null), shard(id).indices(),
                CLIENT_SEED * 1_000_003L + 1);
    }

    static float[] weighted(float[] a, double wa, float[] b, double wb) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = (float) (wa * a[i] + wb * b[i]);
        }
        return out;
    }

    record Run(ActorRef<VirtualClock.Command> clock, VirtualClockService clocks, TestProbe<VirtualClock.Quiescent> quiet,
               ActorRef<SplitServer.Command> server) {
    }

    static Run v1Server() {
        AtomicLong now = new AtomicLong();
        TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clock = testKit.spawn(VirtualClock.create(now, quiet.getRef(), Duration.ZERO));
        VirtualClockService clocks = new VirtualClockService(clock, now);
        ActorRef<SplitServer.Command> server = testKit.spawn(SplitServer.create(new ServerCopies(serverSide(32)), SERVER,
                1 - CUT.clientComputeFraction(), pool, clocks));
        return new Run(clock, clocks, quiet, server);
    }

    /** Starts one round of {@code STEPS} steps over {@code clients}, its events to {@code events}. */
    static void startRound(Run run, List<ActorRef<SplitClient.Command>> clients, TestProbe<FedServer.Event> events) {
        DenseFloat32Codec codec = new DenseFloat32Codec(START.client().length, clientSide(0).layoutFingerprint());
        ActorRef<FedServer.Event> listener = testKit.spawn(Behaviors.setup(ctx -> {
            Clock c = run.clocks().forActor(ctx);
            return Behaviors.<FedServer.Event>receiveMessage(e -> {
                events.getRef().tell(e);
                c.handled();
                return Behaviors.same();
            });
        }));
        ActorRef<FedServer.Command> fed = testKit.spawn(FedServer.create(clients, START.client(),
                FedServer.Codecs.both(codec), new FedAvg(), new FedServer.Plan(1, STEPS, 1), run.server(), listener,
                run.clocks()));
        testKit.spawn(Behaviors.<Void>setup(ctx -> {
            run.clocks().forActor(ctx).send(fed, new FedServer.Start(), 0);
            run.clock().tell(new VirtualClock.Resume());
            return Behaviors.empty();
        }));
    }

    static float[] serverPartAfter(ActorRef<SplitServer.Command> server, long round) {
        TestProbe<SplitServer.ServerPartNow> part = testKit.createTestProbe();
        server.tell(new SplitServer.GetServerPart(round, part.getRef()));
        SplitServer.ServerPartNow now = part.receiveMessage(Duration.ofSeconds(10));
        assertEquals(round, now.roundsEnded());
        return new DenseFloat32Codec(START.server().length, serverSide(32).part().layoutFingerprint()).decode(now.part());
    }

    @Test
    void eachCopySeesOnlyItsClientAndTheRoundsEndAveragesThemBySamples() {
        Run run = v1Server();
        SplitClient.Setup setup = new SplitClient.Setup(run.server(), BATCH, CUT.clientComputeFraction(), pool, run.clocks());
        List<ActorRef<SplitClient.Command>> clients = List.of(
                testKit.spawn(SplitClient.create(0, shard(0), FAST, CLIENT_SEED, clientSide(0), setup)),
                testKit.spawn(SplitClient.create(1, shard(1), SLOW, CLIENT_SEED, clientSide(1), setup)));
        TestProbe<FedServer.Event> events = testKit.createTestProbe();
        startRound(run, clients, events);
        FedServer.RoundEnded ended = assertInstanceOf(FedServer.RoundEnded.class, events.receiveMessage(Duration.ofSeconds(20)));
        assertEquals(2, ended.answered());
        assertInstanceOf(FedServer.Finished.class, events.receiveMessage(Duration.ofSeconds(10)));
        float[][] a = alone(0, STEPS);
        float[][] b = alone(1, STEPS);
        assertArrayEquals(weighted(a[1], 0.5, b[1], 0.5), serverPartAfter(run.server(), 1), 1e-6f,
                "server part = mean of the two clients' own copies");
        DenseFloat32Codec codec = new DenseFloat32Codec(START.client().length, clientSide(0).layoutFingerprint());
        assertArrayEquals(weighted(a[0], 0.5, b[0], 0.5), codec.decode(ended.clientPart()), 1e-6f, "client parts too");
        run.quiet().receiveMessage(Duration.ofSeconds(10));
        clients.forEach(testKit::stop);
        testKit.stop(run.server());
        testKit.stop(run.clock());
    }

    record Answer(SplitServer.Reply reply, long atMicros) implements org.apache.pekko.actor.NoSerializationVerificationNeeded {
    }

    /** Microseconds after time 0 at which two clients' simultaneous first batches are answered by a slow server. */
    static long[] answerTimes(boolean v1, DeviceProfile slowServer) {
        AtomicLong now = new AtomicLong();
        TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clock = testKit.spawn(VirtualClock.create(now, quiet.getRef(), Duration.ZERO));
        VirtualClockService clocks = new VirtualClockService(clock, now);
        ActorRef<SplitServer.Command> server = testKit.spawn(SplitServer.create(
                v1 ? new ServerCopies(serverSide(32)) : serverSide(32), slowServer, 0.5, pool, clocks));
        TestProbe<Answer> answers = testKit.createTestProbe();
        byte[][] first = {clientSide(0).forward(1, 0, order(0).batch(0, BATCH)),
                clientSide(1).forward(1, 0, order(1).batch(0, BATCH))};
        testKit.spawn(Behaviors.<SplitServer.Reply>setup(ctx -> {
            Clock c = clocks.forActor(ctx);
            for (int id = 0; id < 2; id++) {
                c.send(server, new SplitServer.Activations(id, 1, 0, BATCH, first[id], ctx.getSelf()), 0);
            }
            clock.tell(new VirtualClock.Resume());
            return Behaviors.receiveMessage(r -> {
                answers.getRef().tell(new Answer(r, c.nowMicros()));
                c.handled();
                return Behaviors.same();
            });
        }));
        long[] at = new long[2];
        for (int i = 0; i < 2; i++) {
            Answer a = answers.receiveMessage(Duration.ofSeconds(10));
            assertInstanceOf(SplitServer.Gradients.class, a.reply());
            at[a.reply().clientId()] = a.atMicros();
        }
        testKit.stop(server);
        testKit.stop(clock);
        return at;
    }

    @Test
    void v1sCopiesComputeInParallelInClockTimeWhileV2QueuesBatchesBehindEachOther() {
        DeviceProfile slowServer = new DeviceProfile(0, 1e6, 1e6, 1e9, 1e9); // 1 s per sample of the whole model
        long batchMicros = (long) Math.ceil(slowServer.computeMicros(BATCH) * 0.5);
        long[] v1 = answerTimes(true, slowServer);
        long[] v2 = answerTimes(false, slowServer);
        assertArrayEquals(new long[] {batchMicros, batchMicros}, v1, "V1: both copies busy at once");
        assertEquals(batchMicros, Math.min(v2[0], v2[1]));
        assertEquals(2 * batchMicros, Math.max(v2[0], v2[1]), "V2: one part, the second batch waits for the first");
    }

    /** Sends its first batch twice when asked to train, then stops: mid-iteration, gradients never awaited. */
    static Behavior<SplitClient.Command> stopsMidIteration(Run run, byte[] firstBatch) {
        return Behaviors.setup(ctx -> {
            Clock c = run.clocks().forActor(ctx);
            ActorRef<SplitServer.Reply> replies = ctx.messageAdapter(SplitServer.Reply.class,
                    r -> new SplitClient.Train(-1, new byte[0], 0, null)); // never delivered: the actor is gone
            return Behaviors.receiveMessage(m -> {
                SplitClient.Train t = (SplitClient.Train) m;
                c.send(run.server(), new SplitServer.Activations(1, t.round(), 0, BATCH, firstBatch, replies), 0);
                c.send(run.server(), new SplitServer.Activations(1, t.round(), 0, BATCH, firstBatch, replies), 0);
                return Behaviors.stopped();
            });
        });
    }

    @Test
    void aClientStoppedMidIterationStallsNothingAndItsCopyCountsWithTheBatchesItSent() {
        Run run = v1Server();
        SplitClient.Setup setup = new SplitClient.Setup(run.server(), BATCH, CUT.clientComputeFraction(), pool, run.clocks());
        byte[] first = clientSide(1).forward(1, 0, order(1).batch(0, BATCH));
        List<ActorRef<SplitClient.Command>> clients = List.of(
                testKit.spawn(SplitClient.create(0, shard(0), SLOW, CLIENT_SEED, clientSide(0), setup)),
                testKit.spawn(stopsMidIteration(run, first)));
        TestProbe<FedServer.Event> events = testKit.createTestProbe();
        startRound(run, clients, events);
        FedServer.RoundEnded ended = assertInstanceOf(FedServer.RoundEnded.class, events.receiveMessage(Duration.ofSeconds(20)));
        assertEquals(1, ended.answered());
        assertEquals(1, ended.dropped());
        assertInstanceOf(FedServer.Finished.class, events.receiveMessage(Duration.ofSeconds(10)));
        run.quiet().receiveMessage(Duration.ofSeconds(10)); // nothing held for the stopped client
        float[][] a = alone(0, STEPS);
        float[][] b = alone(1, 1);
        double total = (STEPS + 1) * BATCH;
        assertArrayEquals(weighted(a[1], STEPS * BATCH / total, b[1], BATCH / total), serverPartAfter(run.server(), 1),
                1e-6f, "the stopped client's copy enters with its one batch; the duplicate changed nothing");
        TestProbe<SplitServer.Stats> stats = testKit.createTestProbe();
        run.server().tell(new SplitServer.GetStats(stats.getRef()));
        SplitServer.Stats st = stats.receiveMessage();
        assertEquals(STEPS + 1, st.steps());
        assertEquals(1, st.rejected(), "the duplicate");
        testKit.stop(clients.get(0));
        testKit.stop(run.server());
        testKit.stop(run.clock());
    }
}
