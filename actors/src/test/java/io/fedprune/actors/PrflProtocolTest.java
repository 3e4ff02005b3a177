package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.aggregator.AggregatorEvent;
import io.fedprune.actors.aggregator.AggregatorSettings;
import io.fedprune.actors.aggregator.ModelPublished;
import io.fedprune.actors.buffer.Buffer;
import io.fedprune.actors.buffer.BufferClient;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.core.strategy.UpdateBuffers;
import io.fedprune.core.density.RestorationSchedule;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import io.fedprune.core.prfl.Prfl;
import io.fedprune.core.prfl.PrflSettings;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.Validation;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** PR-FL driven through the aggregator actor, its buffer a {@link Buffer} actor, every message serialized. */
class PrflProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));
    // 12 prunable weights and 4 biases: the 16 entries of TestModels
    static final ParameterLayout LAYOUT = new ParameterLayout(List.of(
            new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, 12, new long[] {3, 4}),
            new ParameterSegment("0_b", 0, SegmentKind.BIAS, 12, 4, new long[] {1, 4})));

    /** Each strategy's buffer an actor of its own, as in a run. */
    static final UpdateBuffers BUFFERS = size -> new BufferClient(testKit.spawn(Buffer.create(size)),
            testKit.scheduler(), Duration.ofSeconds(20));

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    static PrflSettings bufferOnly() {
        return new PrflSettings(PrflSettings.Aggregation.defaults(),
                new PrflSettings.Density(false, 0.1, 1000, List.of(), false), PrflSettings.Recovery.none());
    }

    /** An aggregator of {@code prfl} from a model filled with {@code initial}, clients 0.. registered, version 0 seen. */
    @SafeVarargs
    static ActorRef<Aggregator.Command> started(Prfl prfl, float initial, TestProbe<AggregatorEvent> events,
                                                ActorRef<Client.Command>... clients) {
        ActorRef<Aggregator.Command> agg = testKit.spawn(Aggregator.create(TestModels.server(prfl,
                TestModels.filled(initial)), new AggregatorSettings(0), events.getRef(), new RealTimeClockService(0)));
        for (int i = 0; i < clients.length; i++) {
            agg.tell(new Aggregator.RegisterClient(i, clients[i]));
        }
        agg.tell(new Aggregator.Start());
        TestModels.nextModel(events);
        return agg;
    }

    @Test
    void theBufferWeighsEveryClientsLatestUpdateByItsStaleness() {
        TestProbe<AggregatorEvent> events = testKit.createTestProbe();
        TestProbe<Client.Command> a = testKit.createTestProbe();
        TestProbe<Client.Command> b = testKit.createTestProbe();
        ActorRef<Aggregator.Command> agg = started(new Prfl(bufferOnly(), LAYOUT, 2, null, BUFFERS), 0f, events,
                a.getRef(), b.getRef());
        Client.TrainRequest ra = (Client.TrainRequest) a.receiveMessage();
        Client.TrainRequest rb = (Client.TrainRequest) b.receiveMessage();
        agg.tell(TestModels.trained(0, ra.version(), ra.round(), TestModels.encoded(1f), 10));
        assertArrayEquals(TestModels.filled(1f), TestModels.CODEC.decode(TestModels.nextModel(events).model()));
        Client.TrainRequest ra1 = (Client.TrainRequest) a.receiveMessage();
        agg.tell(TestModels.trained(0, ra1.version(), ra1.round(), TestModels.encoded(2f), 10));
        ModelPublished v2 = TestModels.nextModel(events);
        assertArrayEquals(TestModels.filled(2f), TestModels.CODEC.decode(v2.model()), "a replaced its own slot");
        a.receiveMessage();
        // b trained from version 0 and arrives at version 2: weight 3^-0.6 against a's 2^-0.6 (from version 1)
        agg.tell(TestModels.trained(1, rb.version(), rb.round(), TestModels.encoded(5f), 10));
        ModelPublished v3 = TestModels.nextModel(events);
        double wa = Math.pow(2, -0.6);
        double wb = Math.pow(3, -0.6);
        assertArrayEquals(TestModels.filled((float) ((2 * wa + 5 * wb) / (wa + wb))),
                TestModels.CODEC.decode(v3.model()), 1e-5f);
        assertEquals(2.0, v3.metrics().get(Prfl.BUFFER_CLIENTS));
        assertEquals(1.5, v3.metrics().get(Prfl.MEAN_BUFFER_STALENESS), 1e-12);
        testKit.stop(agg);
    }

    @Test
    void anEntryNobodyKeptKeepsItsGlobalValueAndIsNeverZeroed() {
        TestProbe<AggregatorEvent> events = testKit.createTestProbe();
        TestProbe<Client.Command> a = testKit.createTestProbe();
        TestProbe<Client.Command> b = testKit.createTestProbe();
        // both clients on a quarter of the weights (plus the biases): the other weights nobody keeps
        PrflSettings s = new PrflSettings(PrflSettings.Aggregation.defaults(),
                new PrflSettings.Density(true, 0.25, 1000, List.of(0.25, 0.25), false), PrflSettings.Recovery.none());
        ActorRef<Aggregator.Command> agg = started(new Prfl(s, LAYOUT, 2, null, BUFFERS), 3f, events, a.getRef(),
                b.getRef());
        Client.TrainRequest ra = (Client.TrainRequest) a.receiveMessage();
        Client.TrainRequest rb = (Client.TrainRequest) b.receiveMessage();
        Mask kept = Mask.fromBytes(16, ra.mask());
        assertEquals(kept, Mask.fromBytes(16, rb.mask()), "one level: the same sub-model");
        assertEquals(3 + 4, kept.cardinality());
        agg.tell(TestModels.trained(0, ra.version(), ra.round(), TestModels.encoded(1f), 10));
        TestModels.nextModel(events);
        agg.tell(TestModels.trained(1, rb.version(), rb.round(), TestModels.encoded(7f), 10));
        float[] model = TestModels.CODEC.decode(TestModels.nextModel(events).model());
        for (int j = 0; j < 16; j++) {
            // kept: the two uploads' average (equal staleness weights at version 1: both from version 0);
            // nobody kept it: the global value 3, never the zeros the uploads carry there
            assertEquals(kept.get(j) ? 4f : 3f, model[j], 1e-5, "entry " + j);
        }
        testKit.stop(agg);
    }

    @Test
    void aReplayedUpdateIsRefusedAndNeverCountedTwice() {
        TestProbe<AggregatorEvent> events = testKit.createTestProbe();
        TestProbe<Client.Command> a = testKit.createTestProbe();
        TestProbe<Client.Command> b = testKit.createTestProbe();
        ActorRef<Aggregator.Command> agg = started(new Prfl(bufferOnly(), LAYOUT, 2, null, BUFFERS), 0f, events,
                a.getRef(), b.getRef());
        Client.TrainRequest ra = (Client.TrainRequest) a.receiveMessage();
        Client.TrainRequest rb = (Client.TrainRequest) b.receiveMessage();
        Aggregator.Responded first = TestModels.trained(0, ra.version(), ra.round(), TestModels.encoded(2f), 10);
        agg.tell(first);
        ModelPublished v1 = TestModels.nextModel(events);
        a.receiveMessage();
        agg.tell(first); // the same answer again (a replay or a duplicate delivery)
        events.expectNoMessage(Duration.ofMillis(200));
        agg.tell(TestModels.trained(1, rb.version(), rb.round(), TestModels.encoded(6f), 10));
        ModelPublished v2 = TestModels.nextModel(events);
        assertEquals(1, v2.stats().rejected(), "the replay is refused and counted as such");
        assertEquals(2, v2.stats().accepted(), "each client's update counted once");
        assertEquals(2.0, v2.metrics().get(Prfl.BUFFER_CLIENTS));
        // a's 2 (from version 0, staleness 1 at version 1) and b's 6 (version 0, staleness 1): equal weights
        assertArrayEquals(TestModels.filled(4f), TestModels.CODEC.decode(v2.model()), 1e-5f);
        assertEquals(1, v1.version());
        testKit.stop(agg);
    }

    @Test
    void aClientThatStopsKeepsItsSlotAndDoesNotStallAggregation() {
        TestProbe<AggregatorEvent> events = testKit.createTestProbe();
        TestProbe<Client.Command> a = testKit.createTestProbe();
        TestProbe<Client.Command> seenByC = testKit.createTestProbe();
        ActorRef<Client.Command> c = testKit.spawn(Behaviors.receiveMessage(m -> {
            seenByC.getRef().tell(m);
            return Behaviors.same();
        }));
        ActorRef<Aggregator.Command> agg = started(new Prfl(bufferOnly(), LAYOUT, 2, null, BUFFERS), 0f, events,
                a.getRef(), c);
        Client.TrainRequest rc = (Client.TrainRequest) seenByC.receiveMessage();
        agg.tell(TestModels.trained(1, rc.version(), rc.round(), TestModels.encoded(4f), 10));
        TestModels.nextModel(events);
        seenByC.receiveMessage(); // its next work, which it will never answer
        testKit.stop(c);
        Client.TrainRequest ra = (Client.TrainRequest) a.receiveMessage();
        for (int k = 0; k < 5; k++) {
            agg.tell(TestModels.trained(0, ra.version(), ra.round(), TestModels.encoded(0f), 10));
            ModelPublished m = TestModels.nextModel(events);
            assertEquals(2.0, m.metrics().get(Prfl.BUFFER_CLIENTS), "the stopped client's slot stays in the buffer");
            ra = (Client.TrainRequest) a.receiveMessage();
        }
        seenByC.expectNoMessage(Duration.ofMillis(100));
        testKit.stop(agg);
    }

    /** Validation answering 0.9 for the first model scored and 0.5 for every later one. */
    static final class FirstIsBest implements Validation {
        int calls;

        @Override
        public double accuracy(float[] params) {
            return calls++ == 0 ? 0.9 : 0.5;
        }

        @Override
        public int samples() {
            return 1;
        }
    }

    @Test
    void recoveryRaisesDensitiesRestoresTheBestModelAndEndsTrainingWithIt() {
        TestProbe<AggregatorEvent> events = testKit.createTestProbe();
        TestProbe<Client.Command> a = testKit.createTestProbe();
        // validation at every aggregation, patience 1 (x2 in the last stage), floors +0.5 per raise
        PrflSettings s = new PrflSettings(PrflSettings.Aggregation.defaults(),
                new PrflSettings.Density(true, 0.25, 1, List.of(0.25), false),
                new PrflSettings.Recovery(RestorationSchedule.parse("legacy(0.5)"), 1, 2));
        ActorRef<Aggregator.Command> agg = started(new Prfl(s, LAYOUT, 1, new FirstIsBest(), BUFFERS), 0f, events,
                a.getRef());
        float[] best = null;
        int previousKept = 0;
        ModelPublished m = null;
        for (int k = 1; k <= 10; k++) {
            Client.TrainRequest r = (Client.TrainRequest) a.receiveMessage();
            int kept = r.mask().length == 0 ? 16 : Mask.fromBytes(16, r.mask()).cardinality();
            assertTrue(kept >= previousKept, "a client's sub-model only grows: " + previousKept + " -> " + kept);
            previousKept = kept;
            agg.tell(TestModels.trained(0, r.version(), r.round(), TestModels.encoded(k), 10));
            m = TestModels.nextModel(events);
            float[] model = TestModels.CODEC.decode(m.model());
            if (k == 1) {
                best = model;
                assertEquals(3 + 4, kept, "a quarter of the 12 weights, and every bias");
            }
            if (k == 2) {
                assertArrayEquals(best, model, "patience ran out: the best model is restored");
                assertEquals(1.0, m.metrics().get(Prfl.RAISES));
            }
            if (m.last()) {
                break;
            }
        }
        assertTrue(m.last(), "every floor reached 1 and the enlarged patience ran out: training ended");
        assertArrayEquals(best, TestModels.CODEC.decode(m.model()), "the last version is the best model");
        assertEquals(16, previousKept, "recovery restored the whole model");
        a.expectNoMessage(Duration.ofMillis(200)); // no work after the end
        events.expectNoMessage(Duration.ofMillis(100));
        testKit.stop(agg);
    }
}
