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
import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A synchronous FedAvg round in which one client misses the deadline: the round closes on time
 * with the others' updates, and the straggler's late update is discarded as stale.
 */
class SyncRoundProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(
            ManualTime.config().withFallback(FedpruneConfig.testing()).withFallback(ConfigFactory.load()));
    static final ManualTime manualTime = ManualTime.get(testKit.system());

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    @Test
    void roundClosesAtDeadlineWithoutTheStraggler() {
        TestProbe<AggregatorEvent> published = testKit.createTestProbe();
        List<TestProbe<Client.Command>> clients = List.of(testKit.createTestProbe(), testKit.createTestProbe(),
                testKit.createTestProbe());
        // latency scale 0: modelled latencies vanish, but the 10 s deadline is a wall-clock (here
        // manual-time) duration of its own
        AggregatorSettings settings = new AggregatorSettings(0);
        ActorRef<Aggregator.Command> aggregator = testKit.spawn(Aggregator.create(
                TestModels.server(new FedAvg(new FedAvg.Settings(1.0, 10_000_000)), TestModels.filled(0f)), settings,
                published.getRef(), new RealTimeClockService(0)));
        for (int i = 0; i < clients.size(); i++) {
            aggregator.tell(new Aggregator.RegisterClient(i, clients.get(i).getRef()));
        }
        aggregator.tell(new Aggregator.Start());
        assertEquals(0, TestModels.nextModel(published).version());

        Client.TrainRequest[] requests = new Client.TrainRequest[3];
        for (int i = 0; i < 3; i++) {
            requests[i] = (Client.TrainRequest) clients.get(i).receiveMessage();
            assertEquals(1, requests[i].round());
            assertArrayEquals(TestModels.encoded(0f), requests[i].model());
        }
        // clients 0 and 1 answer (weights 1 and 3), client 2 is a straggler
        aggregator.tell(TestModels.trained(0, 0, 1, TestModels.encoded(1f), 1));
        aggregator.tell(TestModels.trained(1, 0, 1, TestModels.encoded(2f), 3));
        published.expectNoMessage(Duration.ofMillis(200));

        manualTime.timePasses(Duration.ofSeconds(10));
        ModelPublished v1 = TestModels.nextModel(published);
        assertEquals(1, v1.version());
        assertEquals(2, v1.stats().participants());
        assertEquals(1, v1.stats().stragglers());
        assertArrayEquals(TestModels.filled((1f * 1 + 2f * 3) / 4), TestModels.CODEC.decode(v1.model()), 1e-6f);

        // round 2 starts right away with the new model
        for (TestProbe<Client.Command> c : clients) {
            Client.TrainRequest r = (Client.TrainRequest) c.receiveMessage();
            assertEquals(2, r.round());
            assertEquals(1, r.version());
        }
        // the straggler's round-1 update arrives late: discarded, counted, model untouched
        aggregator.tell(TestModels.trained(2, 0, 1, TestModels.encoded(100f), 1000));
        TestProbe<Aggregator.ModelSnapshot> snapshot = testKit.createTestProbe();
        aggregator.tell(new Aggregator.GetModel(snapshot.getRef()));
        Aggregator.ModelSnapshot s = snapshot.receiveMessage();
        assertEquals(1, s.version());
        assertArrayEquals(v1.model(), s.model());

        // round 2 completes when all three answer, before any deadline
        for (int i = 0; i < 3; i++) {
            aggregator.tell(TestModels.trained(i, 1, 2, TestModels.encoded(4f), 1));
        }
        ModelPublished v2 = TestModels.nextModel(published);
        assertEquals(2, v2.version());
        assertEquals(3, v2.stats().participants());
        assertEquals(1, v2.stats().stale());
        assertArrayEquals(TestModels.filled(4f), TestModels.CODEC.decode(v2.model()), 1e-6f);
    }
}
