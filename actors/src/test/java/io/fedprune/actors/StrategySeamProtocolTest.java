package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.aggregator.AggregatorEvent;
import io.fedprune.actors.aggregator.AggregatorSettings;
import io.fedprune.actors.aggregator.ModelPublished;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.core.aggregate.FedAsync;
import io.fedprune.core.aggregate.FedBuff;
import io.fedprune.core.aggregate.FedFix;
import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Strategies on the seam, driven through the aggregator actor with every message serialized. */
class StrategySeamProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(
            ManualTime.config().withFallback(FedpruneConfig.testing()).withFallback(ConfigFactory.load()));
    static final ManualTime manualTime = ManualTime.get(testKit.system());

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    @Test
    void fedBuffPublishesExactlyEveryKUpdates() {
        TestProbe<AggregatorEvent> events = testKit.createTestProbe();
        TestProbe<Client.Command> client = testKit.createTestProbe();
        ActorRef<Aggregator.Command> aggregator = testKit.spawn(Aggregator.create(TestModels.server(
                new FedBuff(new FedBuff.Settings(3, 1.0, 0, StalenessFunction.constant())), TestModels.filled(0f)),
                new AggregatorSettings(0), events.getRef(), new RealTimeClockService(0)));
        aggregator.tell(new Aggregator.RegisterClient(0, client.getRef()));
        aggregator.tell(new Aggregator.Start());
        TestModels.nextModel(events);
        long version = 0;
        float model = 0;
        for (int update = 1; update <= 9; update++) {
            Client.TrainRequest r = (Client.TrainRequest) client.receiveMessage();
            assertEquals(version, r.version());
            // every update is its start model + 1: a change of +1 against the model it started from
            aggregator.tell(TestModels.trained(0, r.version(), r.round(),
                    TestModels.CODEC.encode(TestModels.filled(model + 1)), 10));
            if (update % 3 != 0) {
                events.expectNoMessage(Duration.ofMillis(100));
            } else {
                ModelPublished m = TestModels.nextModel(events);
                version++;
                model += 1; // the mean change of the three, each +1 against the model it started from
                assertEquals(version, m.version());
                assertEquals(3, m.stats().participants());
                assertArrayEquals(TestModels.filled(model), TestModels.CODEC.decode(m.model()), 1e-6f);
                assertEquals(0.0, m.metrics().get(FedBuff.BUFFER_STALENESS));
            }
        }
    }

    @Test
    void fedFixPublishesOnTicksAndNotOtherwise() {
        TestProbe<AggregatorEvent> events = testKit.createTestProbe();
        TestProbe<Client.Command> a = testKit.createTestProbe();
        TestProbe<Client.Command> b = testKit.createTestProbe();
        // latency emulation off; the 10 s tick is a wall-clock (here manual-time) timer of its own
        ActorRef<Aggregator.Command> aggregator = testKit.spawn(Aggregator.create(TestModels.server(
                new FedFix(new FedFix.Settings(10_000_000, StalenessFunction.constant())), TestModels.filled(0f)),
                new AggregatorSettings(0), events.getRef(), new RealTimeClockService(0)));
        aggregator.tell(new Aggregator.RegisterClient(0, a.getRef()));
        aggregator.tell(new Aggregator.RegisterClient(1, b.getRef()));
        aggregator.tell(new Aggregator.Start());
        TestModels.nextModel(events);
        Client.TrainRequest ra = (Client.TrainRequest) a.receiveMessage();
        Client.TrainRequest rb = (Client.TrainRequest) b.receiveMessage();
        aggregator.tell(TestModels.trained(0, ra.version(), ra.round(), TestModels.encoded(2f), 10));
        aggregator.tell(TestModels.trained(1, rb.version(), rb.round(), TestModels.encoded(4f), 30));
        a.receiveMessage(); // both are given new work at once, from the same version
        b.receiveMessage();
        events.expectNoMessage(Duration.ofMillis(200)); // arrivals alone publish nothing
        manualTime.timePasses(Duration.ofSeconds(9));
        events.expectNoMessage(Duration.ofMillis(100));
        manualTime.timePasses(Duration.ofSeconds(1));
        ModelPublished v1 = TestModels.nextModel(events);
        assertEquals(1, v1.version());
        assertArrayEquals(TestModels.filled((2f * 10 + 4f * 30) / 40), TestModels.CODEC.decode(v1.model()), 1e-6f);
        assertEquals(2.0, v1.metrics().get(FedFix.WINDOW_UPDATES));
        // an empty window: the next tick publishes nothing
        manualTime.timePasses(Duration.ofSeconds(10));
        events.expectNoMessage(Duration.ofMillis(200));
        testKit.stop(aggregator);
    }

    /** Holds client answers and passes them on in pairs: an actor standing between clients and the aggregator. */
    static Behavior<Client.Response> pairingBuffer(AtomicReference<ActorRef<Aggregator.Command>> aggregator,
                                                   ActorRef<Client.Response> seen) {
        List<Client.Response> held = new ArrayList<>();
        return Behaviors.receiveMessage(r -> {
            seen.tell(r);
            held.add(r);
            if (held.size() == 2) {
                held.forEach(h -> aggregator.get().tell(new Aggregator.Responded(h)));
                held.clear();
            }
            return Behaviors.same();
        });
    }

    @Test
    void aBufferCanStandBetweenClientsAndTheAggregator() {
        TestProbe<AggregatorEvent> events = testKit.createTestProbe();
        TestProbe<Client.Response> seen = testKit.createTestProbe();
        TestProbe<Client.Command> a = testKit.createTestProbe();
        TestProbe<Client.Command> b = testKit.createTestProbe();
        AtomicReference<ActorRef<Aggregator.Command>> attached = new AtomicReference<>();
        ActorRef<Client.Response> buffer = testKit.spawn(pairingBuffer(attached, seen.getRef()));
        ActorRef<Aggregator.Command> aggregator = testKit.spawn(Aggregator.create(
                TestModels.server(new FedAsync(1.0, StalenessFunction.constant()), TestModels.filled(0f)),
                new AggregatorSettings(0), events.getRef(), new RealTimeClockService(0), buffer, null));
        attached.set(aggregator);
        aggregator.tell(new Aggregator.RegisterClient(0, a.getRef()));
        aggregator.tell(new Aggregator.RegisterClient(1, b.getRef()));
        aggregator.tell(new Aggregator.Start());
        TestModels.nextModel(events);
        Client.TrainRequest ra = (Client.TrainRequest) a.receiveMessage();
        Client.TrainRequest rb = (Client.TrainRequest) b.receiveMessage();
        assertEquals(buffer, ra.replyTo(), "clients answer the actor in between, not the aggregator");
        ra.replyTo().tell(new Client.Trained(0, ra.version(), ra.round(), TestModels.encoded(1f), 10, 0.1));
        seen.receiveMessage();
        events.expectNoMessage(Duration.ofMillis(200)); // the buffer holds the first answer
        rb.replyTo().tell(new Client.Trained(1, rb.version(), rb.round(), TestModels.encoded(5f), 10, 0.1));
        seen.receiveMessage();
        assertArrayEquals(TestModels.filled(1f), TestModels.CODEC.decode(TestModels.nextModel(events).model()));
        ModelPublished v2 = TestModels.nextModel(events);
        assertEquals(2, v2.version());
        assertArrayEquals(TestModels.filled(5f), TestModels.CODEC.decode(v2.model()));
        assertEquals(0.5, v2.stats().meanStaleness(), 1e-9); // b trained from version 0 and arrived at version 1
    }
}
