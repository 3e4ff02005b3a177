package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.buffer.Buffer;
import io.fedprune.actors.buffer.BufferClient;
import io.fedprune.core.aggregate.ClientBuffer;
import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.core.strategy.UpdateBuffer;
import io.fedprune.core.prune.Mask;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.SplittableRandom;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** PR-FL's buffer actor on its own, every message serialized. */
class BufferProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));
    static final int N = 64;
    static final StalenessFunction POLY = StalenessFunction.polynomial(0.6);

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    static float[] random(SplittableRandom rng) {
        float[] w = new float[N];
        for (int i = 0; i < N; i++) {
            w[i] = (float) rng.nextGaussian();
        }
        return w;
    }

    static Mask randomMask(SplittableRandom rng, double density) {
        return Mask.fromIndices(N, rng.ints(0, N).distinct().limit(Math.round(density * N)).toArray());
    }

    static UpdateBuffer.Rule rule(StalenessFunction s, boolean maskAware, double globalLr) {
        return new UpdateBuffer.Rule(s::weight, s.describe(), maskAware, globalLr);
    }

    static BufferClient client(ActorRef<Buffer.Command> buffer) {
        return new BufferClient(buffer, testKit.scheduler(), Duration.ofSeconds(20));
    }

    @Test
    void weighsEveryClientsLatestUpdateByStalenessAndSamples() {
        ActorRef<Buffer.Command> buffer = testKit.spawn(Buffer.create(N));
        TestProbe<Buffer.Offered> offered = testKit.createTestProbe();
        TestProbe<Buffer.Aggregated> aggregated = testKit.createTestProbe();
        SplittableRandom rng = new SplittableRandom(7);
        float[][] x = {random(rng), random(rng), random(rng)};
        long[] base = {4, 2, 0};
        long[] samples = {10, 20, 30};
        for (int c = 0; c < 3; c++) {
            buffer.tell(new Buffer.Offer(c, x[c], new byte[0], samples[c], base[c], offered.getRef()));
            assertEquals(UpdateBuffer.Outcome.ADDED, offered.receiveMessage().outcome());
        }
        float[] global = random(rng);
        buffer.tell(new Buffer.Aggregate(global, 4, POLY.describe(), true, 1.0, aggregated.getRef()));
        Buffer.Aggregated a = aggregated.receiveMessage();
        assertTrue(a.error().isEmpty(), a.error());
        // w_i = p_i n_i with p_i proportional to (4 - n'_i + 1)^-0.6; the normalisation cancels
        double[] w = new double[3];
        for (int c = 0; c < 3; c++) {
            w[c] = Math.pow(4 - base[c] + 1, -0.6) * samples[c];
        }
        for (int j = 0; j < N; j++) {
            double expected = (w[0] * x[0][j] + w[1] * x[1][j] + w[2] * x[2][j]) / (w[0] + w[1] + w[2]);
            assertEquals(expected, a.params()[j], 1e-5, "entry " + j);
        }
        assertEquals(3, a.clients());
        assertEquals(2.0, a.meanStaleness(), 1e-12, "(0 + 2 + 4) / 3");
        testKit.stop(buffer);
    }

    @Test
    void anEntryNobodyKeptKeepsTheGlobalValue() {
        ActorRef<Buffer.Command> buffer = testKit.spawn(Buffer.create(N));
        UpdateBuffer b = client(buffer);
        SplittableRandom rng = new SplittableRandom(11);
        Mask left = Mask.fromIndices(N, java.util.stream.IntStream.range(0, N / 2).toArray());
        Mask right = Mask.fromIndices(N, java.util.stream.IntStream.range(N / 2, N - 1).toArray());
        b.offer(0, random(rng), left, 5, 0);
        b.offer(1, random(rng), right, 5, 0);
        float[] global = random(rng);
        float[] next = b.aggregate(global, 0, rule(POLY, true, 1.0)).params();
        assertEquals(global[N - 1], next[N - 1], "the last entry: nobody kept it");
        float[] plain = b.aggregate(global, 0, rule(POLY, false, 1.0)).params();
        assertEquals(0f, plain[N - 1], "plain FedAvg (the ablation) averages the zeros the uploads carry");
        testKit.stop(buffer);
    }

    @Test
    void aDuplicateOrOutOfOrderUpdateIsIgnoredAndCountedOnce() {
        ActorRef<Buffer.Command> buffer = testKit.spawn(Buffer.create(N));
        UpdateBuffer b = client(buffer);
        SplittableRandom rng = new SplittableRandom(3);
        assertEquals(UpdateBuffer.Outcome.ADDED, b.offer(0, random(rng), null, 1, 3));
        assertEquals(UpdateBuffer.Outcome.DUPLICATE, b.offer(0, random(rng), null, 1, 3));
        assertEquals(UpdateBuffer.Outcome.OUT_OF_ORDER, b.offer(0, random(rng), null, 1, 1));
        float[] newest = random(rng);
        assertEquals(UpdateBuffer.Outcome.REPLACED, b.offer(0, newest, null, 1, 5));
        UpdateBuffer.Summary s = b.summary(6);
        assertEquals(new UpdateBuffer.Summary(1, 1.0, 2, 1, 1), s);
        assertArrayEquals(newest, b.aggregate(new float[N], 6, rule(POLY, true, 1.0)).params(),
                "one slot: the newest update is the average");
        testKit.stop(buffer);
    }

    /** The actor and the in-process buffer give the same models, bit for bit, whatever the serializer does. */
    @Test
    void givesTheInProcessBuffersModelsBitForBit() {
        ActorRef<Buffer.Command> buffer = testKit.spawn(Buffer.create(N));
        UpdateBuffer actor = client(buffer);
        UpdateBuffer local = new ClientBuffer(N);
        SplittableRandom rng = new SplittableRandom(2026);
        float[] global = random(rng);
        for (long version = 0; version < 30; version++) {
            int clientId = rng.nextInt(6);
            long base = Math.max(0, version - rng.nextInt(5));
            float[] params = random(rng);
            Mask mask = rng.nextBoolean() ? null : randomMask(rng, 0.1 + 0.8 * rng.nextDouble());
            long samples = 1 + rng.nextInt(100);
            assertEquals(local.offer(clientId, params, mask, samples, base),
                    actor.offer(clientId, params, mask, samples, base));
            UpdateBuffer.Rule rule = rule(rng.nextBoolean() ? POLY : StalenessFunction.hinge(1, 2),
                    true, 0.5 + 0.5 * rng.nextDouble());
            UpdateBuffer.Aggregate expected = local.aggregate(global, version, rule);
            UpdateBuffer.Aggregate got = actor.aggregate(global, version, rule);
            assertArrayEquals(expected.params(), got.params(), "version " + version);
            assertEquals(expected.meanStaleness(), got.meanStaleness());
            global = got.params();
        }
        assertEquals(local.summary(30), actor.summary(30));
        testKit.stop(buffer);
    }

    @Test
    void refusalsAreAnswersNotSilence() {
        ActorRef<Buffer.Command> buffer = testKit.spawn(Buffer.create(N));
        UpdateBuffer b = client(buffer);
        IllegalStateException empty = assertThrows(IllegalStateException.class,
                () -> b.aggregate(new float[N], 0, rule(POLY, true, 1.0)));
        assertTrue(empty.getMessage().contains("empty"), empty.getMessage());
        IllegalArgumentException shape = assertThrows(IllegalArgumentException.class,
                () -> b.offer(0, new float[N + 1], null, 1, 0));
        assertTrue(shape.getMessage().contains("parameters"), shape.getMessage());
        TestProbe<Buffer.Aggregated> aggregated = testKit.createTestProbe();
        buffer.tell(new Buffer.Aggregate(new float[N], 0, "cubic", true, 1.0, aggregated.getRef()));
        assertFalse(aggregated.receiveMessage().error().isEmpty(), "an unknown staleness function");
        assertEquals(0, b.summary(0).clients(), "nothing refused was stored");
        testKit.stop(buffer);
    }

    @Test
    void aStoppedBufferFailsTheCallerWithinItsDeadline() {
        ActorRef<Buffer.Command> buffer = testKit.spawn(Buffer.create(N));
        testKit.stop(buffer);
        UpdateBuffer b = new BufferClient(buffer, testKit.scheduler(), Duration.ofMillis(300));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> b.offer(0, new float[N], null, 1, 0));
        assertTrue(e.getMessage().contains("has stopped"), e.getMessage());
    }
}
