package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.actors.distributor.Distributor;
import io.fedprune.core.compress.ResidualSplit;
import io.fedprune.core.compress.SubModelAssembler;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import io.fedprune.core.prune.Mask;
import io.fedprune.serialization.FedpruneConfig;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The residual download point, every message serialized: clients fetch what they lack and rebuild bit for bit. */
class DistributorProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));
    static final int N = 200;
    static final ParameterLayout LAYOUT = new ParameterLayout(List.of(
            new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, N, new long[] {10, 20})));

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    static float[] model(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] w = new float[N];
        for (int i = 0; i < N; i++) {
            w[i] = (float) rng.nextGaussian();
        }
        return w;
    }

    /** Three nested masks of random entries: 10%, 40%, 80%. */
    static List<Mask> nested(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        int[] order = rng.ints(0, N).distinct().limit(N).toArray();
        return List.of(Mask.fromIndices(N, java.util.Arrays.copyOf(order, 20)),
                Mask.fromIndices(N, java.util.Arrays.copyOf(order, 80)),
                Mask.fromIndices(N, java.util.Arrays.copyOf(order, 160)));
    }

    @Test
    void clientsFetchWhatTheyLackAndRebuildEachSubModelBitExactly() {
        ActorRef<Distributor.Command> d = testKit.spawn(Distributor.create(new RealTimeClockService(0), 4));
        TestProbe<Distributor.Fetched> client = testKit.createTestProbe();
        float[] w = model(1);
        List<Mask> masks = nested(2);
        ResidualSplit split = ResidualSplit.of(LAYOUT, 5, w, masks);
        d.tell(new Distributor.Offer(split));
        SubModelAssembler held = new SubModelAssembler(LAYOUT);
        for (int level = 0; level < 3; level++) {
            // a client whose level rises within the split fetches only the next increment
            d.tell(new Distributor.Fetch(0, 1, split.id(), held.held(), level, client.getRef()));
            Distributor.Fetched f = client.receiveMessage();
            assertTrue(f.ok(), f.error());
            assertEquals(1, f.increments().size());
            held.add(f.increments());
            float[] expected = w.clone();
            masks.get(level).applyTo(expected);
            assertArrayEquals(expected, held.subModel(level), "level " + level);
        }
        // another client at the top level from scratch: every increment, none counted twice as distinct
        d.tell(new Distributor.Fetch(1, 1, split.id(), 0, 2, client.getRef()));
        Distributor.Fetched all = client.receiveMessage();
        assertEquals(3, all.increments().size());
        TestProbe<Distributor.Served> served = testKit.createTestProbe();
        d.tell(new Distributor.GetServed(served.getRef()));
        Distributor.Served s = served.receiveMessage();
        assertEquals(4, s.fetches());
        assertEquals(2 * split.totalBytes(), s.bytes());
        assertEquals(split.totalBytes(), s.distinctBytes(), "the server's upload: each increment once");
    }

    @Test
    void anOldOrUnknownSplitOrBadRangeIsAnErrorNotACrash() {
        ActorRef<Distributor.Command> d = testKit.spawn(Distributor.create(new RealTimeClockService(0), 2));
        TestProbe<Distributor.Fetched> client = testKit.createTestProbe();
        ResidualSplit first = ResidualSplit.of(LAYOUT, 1, model(1), nested(1));
        d.tell(new Distributor.Offer(first));
        d.tell(new Distributor.Offer(ResidualSplit.of(LAYOUT, 2, model(2), nested(1))));
        d.tell(new Distributor.Offer(ResidualSplit.of(LAYOUT, 3, model(3), nested(1))));
        d.tell(new Distributor.Fetch(0, 1, first.id(), 0, 1, client.getRef()));
        Distributor.Fetched old = client.receiveMessage();
        assertFalse(old.ok());
        assertTrue(old.error().contains("no longer served"), old.error());
        assertTrue(old.increments().isEmpty());
        ResidualSplit third = ResidualSplit.of(LAYOUT, 3, model(3), nested(1));
        d.tell(new Distributor.Fetch(0, 1, third.id(), 0, 7, client.getRef()));
        assertTrue(client.receiveMessage().error().startsWith("no increments 0..7"));
        d.tell(new Distributor.Fetch(0, 1, third.id(), 0, 2, client.getRef()));
        assertTrue(client.receiveMessage().ok(), "the distributor still serves after bad requests");
    }
}
