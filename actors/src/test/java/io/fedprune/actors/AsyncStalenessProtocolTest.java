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
import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.serialization.FedpruneConfig;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** FedAsync: each update is mixed in at once with weight alpha * s(staleness). */
class AsyncStalenessProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    @Test
    void staleUpdateIsWeightedDown() {
        TestProbe<AggregatorEvent> published = testKit.createTestProbe();
        TestProbe<Client.Command> a = testKit.createTestProbe();
        TestProbe<Client.Command> b = testKit.createTestProbe();
        AggregatorSettings settings = new AggregatorSettings(0);
        // alpha 0.5, s(t) = (t + 1)^-1
        ActorRef<Aggregator.Command> aggregator = testKit.spawn(Aggregator.create(
                TestModels.server(new FedAsync(0.5, StalenessFunction.polynomial(1)), TestModels.filled(0f)), settings,
                published.getRef(), new RealTimeClockService(0)));
        aggregator.tell(new Aggregator.RegisterClient(0, a.getRef()));
        aggregator.tell(new Aggregator.RegisterClient(1, b.getRef()));
        aggregator.tell(new Aggregator.Start());
        assertEquals(0, TestModels.nextModel(published).version());
        assertEquals(0, ((Client.TrainRequest) a.receiveMessage()).version());
        assertEquals(0, ((Client.TrainRequest) b.receiveMessage()).version());

        // fresh update (staleness 0): x1 = 0.5 * 0 + 0.5 * 1
        aggregator.tell(TestModels.trained(0, 0, 0, TestModels.encoded(1f), 10));
        ModelPublished v1 = TestModels.nextModel(published);
        assertEquals(1, v1.version());
        assertArrayEquals(TestModels.filled(0.5f), TestModels.CODEC.decode(v1.model()), 1e-6f);
        // client 0 immediately gets the new model
        assertEquals(1, ((Client.TrainRequest) a.receiveMessage()).version());

        // b trained from version 0 and arrives at version 1: staleness 1, weight 0.5 * 1/2 = 0.25
        aggregator.tell(TestModels.trained(1, 0, 0, TestModels.encoded(1f), 10));
        ModelPublished v2 = TestModels.nextModel(published);
        assertEquals(2, v2.version());
        assertArrayEquals(TestModels.filled(0.75f * 0.5f + 0.25f), TestModels.CODEC.decode(v2.model()), 1e-6f);
        assertEquals(0.5, v2.stats().meanStaleness(), 1e-9);
        assertEquals(2, ((Client.TrainRequest) b.receiveMessage()).version());
    }
}
