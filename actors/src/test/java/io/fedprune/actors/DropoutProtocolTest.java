package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.aggregator.AggregatorEvent;
import io.fedprune.actors.aggregator.AggregatorGaveUp;
import io.fedprune.actors.aggregator.AggregatorSettings;
import io.fedprune.actors.aggregator.ModelPublished;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
import io.fedprune.actors.testkit.FakeClient;
import io.fedprune.core.aggregate.FedAsync;
import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A client that stops is a dropout in every mode: a synchronous round without a deadline closes
 * with the others, continuous work carries on, and the virtual clock never waits for an actor
 * that no longer exists. With no client left the aggregator gives up instead of idling forever.
 */
class DropoutProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    static ActorRef<Aggregator.Command> aggregator(Strategy strategy, TestProbe<AggregatorEvent> events,
                                                   ClockService clocks) {
        return testKit.spawn(Aggregator.create(TestModels.server(strategy, TestModels.filled(0f)),
                new AggregatorSettings(0), events.getRef(), clocks));
    }

    @Test
    void aSyncRoundWithoutDeadlineClosesWithoutAClientThatStopped() {
        TestProbe<AggregatorEvent> events = testKit.createTestProbe();
        List<TestProbe<Client.Command>> clients = List.of(testKit.createTestProbe(), testKit.createTestProbe(),
                testKit.createTestProbe());
        ActorRef<Aggregator.Command> aggregator = aggregator(new FedAvg(), events, new RealTimeClockService(0));
        for (int i = 0; i < 3; i++) {
            aggregator.tell(new Aggregator.RegisterClient(i, clients.get(i).getRef()));
        }
        aggregator.tell(new Aggregator.Start());
        TestModels.nextModel(events);
        clients.forEach(c -> c.expectMessageClass(Client.TrainRequest.class));
        aggregator.tell(TestModels.trained(0, 0, 1, TestModels.encoded(1f), 10));
        aggregator.tell(TestModels.trained(1, 0, 1, TestModels.encoded(3f), 10));
        events.expectNoMessage(Duration.ofMillis(200)); // client 2 is still expected
        clients.get(2).stop();
        ModelPublished v1 = TestModels.nextModel(events);
        assertEquals(1, v1.version());
        assertEquals(2, v1.stats().participants());
        assertEquals(1, v1.stats().dropped());
        assertArrayEquals(TestModels.filled(2f), TestModels.CODEC.decode(v1.model()));
        // round 2 goes on with the two that are left
        assertEquals(2, ((Client.TrainRequest) clients.get(0).receiveMessage()).round());
        assertEquals(2, ((Client.TrainRequest) clients.get(1).receiveMessage()).round());
    }

    @Test
    void continuousWorkCarriesOnAndGivesUpWhenNoClientIsLeft() {
        TestProbe<AggregatorEvent> events = testKit.createTestProbe();
        TestProbe<Client.Command> a = testKit.createTestProbe();
        TestProbe<Client.Command> b = testKit.createTestProbe();
        ActorRef<Aggregator.Command> aggregator = aggregator(new FedAsync(1.0, StalenessFunction.constant()), events,
                new RealTimeClockService(0));
        aggregator.tell(new Aggregator.RegisterClient(0, a.getRef()));
        aggregator.tell(new Aggregator.RegisterClient(1, b.getRef()));
        aggregator.tell(new Aggregator.Start());
        TestModels.nextModel(events);
        a.expectMessageClass(Client.TrainRequest.class);
        b.expectMessageClass(Client.TrainRequest.class);
        b.stop();
        aggregator.tell(TestModels.trained(0, 0, 0, TestModels.encoded(4f), 10));
        ModelPublished v1 = TestModels.nextModel(events);
        assertEquals(1, v1.version());
        assertEquals(1, ((Client.TrainRequest) a.receiveMessage()).version());
        a.stop();
        AggregatorGaveUp gaveUp = assertInstanceOf(AggregatorGaveUp.class, events.receiveMessage());
        assertEquals("no clients left", gaveUp.reason());
        assertEquals(1, gaveUp.version());
        TestProbe<Aggregator.Totals> totals = testKit.createTestProbe();
        aggregator.tell(new Aggregator.Stop(totals.getRef()));
        Aggregator.Totals t = totals.receiveMessage();
        assertEquals(2, t.stats().dropped(), "both stopped holding work");
        assertEquals(1, t.stats().accepted());
        assertEquals(3L * TestModels.encoded(0f).length, t.bytesDown());
    }

    @Test
    void theVirtualClockDoesNotWaitForAClientThatStoppedWhileTraining() {
        for (boolean rounds : new boolean[] {true, false}) {
            AtomicLong now = new AtomicLong();
            TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
            ActorRef<VirtualClock.Command> clock = testKit.spawn(VirtualClock.create(now, quiet.getRef(),
                    Duration.ZERO));
            VirtualClockService clocks = new VirtualClockService(clock, now);
            TestProbe<AggregatorEvent> events = testKit.createTestProbe();
            ActorRef<AggregatorEvent> listener = testKit.spawn(ScriptedClient.listener(clocks, events.getRef()));
            Strategy strategy = rounds ? new FedAvg() : new FedAsync(1.0, StalenessFunction.constant());
            ActorRef<Aggregator.Command> aggregator = testKit.spawn(Aggregator.create(
                    TestModels.server(strategy, TestModels.filled(0f)), new AggregatorSettings(3), listener, clocks));
            ActorRef<Client.Command> fast = testKit.spawn(FakeClient.behavior(0,
                    FakeClient.constant(2f).after(Duration.ofMillis(1)), TestModels.CODEC, clocks));
            ActorRef<Client.Command> stuck = testKit.spawn(FakeClient.behavior(1, FakeClient.constant(9f).holding(),
                    TestModels.CODEC, clocks));
            testKit.spawn(org.apache.pekko.actor.typed.javadsl.Behaviors.<Void>setup(ctx -> {
                io.fedprune.actors.clock.Clock c = clocks.forActor(ctx);
                c.send(aggregator, new Aggregator.RegisterClient(0, fast), 0);
                c.send(aggregator, new Aggregator.RegisterClient(1, stuck), 0);
                c.send(aggregator, new Aggregator.Start(), 0);
                clock.tell(new VirtualClock.Resume());
                return org.apache.pekko.actor.typed.javadsl.Behaviors.empty();
            }));
            assertEquals(0, TestModels.nextModel(events).version());
            // virtual time waits for the client that is still training, as it must
            events.expectNoMessage(Duration.ofMillis(300));
            assertEquals(0, now.get());
            testKit.stop(stuck);
            ModelPublished last = null;
            for (long v = 1; v <= 3; v++) {
                last = TestModels.nextModel(events);
                assertEquals(v, last.version());
            }
            assertEquals(1, last.stats().dropped(), rounds ? "round" : "continuous");
            assertArrayEquals(TestModels.filled(2f), TestModels.CODEC.decode(last.model()));
            assertTrue(now.get() >= 3_000, "virtual time moved on: " + now.get());
            quiet.receiveMessage(Duration.ofSeconds(5)); // nothing left to do: the clock says so, it does not hang
            testKit.stop(aggregator);
            testKit.stop(clock);
        }
    }
}
