package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.aggregator.AggregatorEvent;
import io.fedprune.actors.aggregator.AggregatorSettings;
import io.fedprune.actors.aggregator.ModelPublished;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.core.aggregate.FedAsync;
import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.core.compress.CodecChain;
import io.fedprune.core.compress.CodecChainSpec;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Clients upload updates (trained minus received) instead of models: the aggregator adds each to
 * the model that client was sent, as the client decoded it, and rejects an update against a model
 * the client does not hold.
 */
class UpdatePayloadProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    @Test
    void syncRoundsAddUpdatesToTheModelSentAndRejectOthers() {
        TestProbe<AggregatorEvent> published = testKit.createTestProbe();
        TestProbe<Client.Command> a = testKit.createTestProbe();
        TestProbe<Client.Command> b = testKit.createTestProbe();
        AggregatorSettings settings = new AggregatorSettings(0);
        ActorRef<Aggregator.Command> aggregator = testKit.spawn(Aggregator.create(
                TestModels.server(new FedAvg(), TestModels.CODEC, UplinkPayload.UPDATE, TestModels.filled(3f)), settings,
                published.getRef(), new RealTimeClockService(0)));
        aggregator.tell(new Aggregator.RegisterClient(0, a.getRef()));
        aggregator.tell(new Aggregator.RegisterClient(1, b.getRef()));
        aggregator.tell(new Aggregator.Start());
        TestModels.nextModel(published);
        a.receiveMessage();
        b.receiveMessage();

        // round 1 from version 0 (all 3s): updates +2 and 0 with equal weight -> all 4s
        aggregator.tell(TestModels.trained(0, 0, 1, TestModels.encoded(2f), 10));
        aggregator.tell(TestModels.trained(1, 0, 1, TestModels.encoded(0f), 10));
        ModelPublished v1 = TestModels.nextModel(published);
        assertArrayEquals(TestModels.filled(4f), TestModels.CODEC.decode(v1.model()));
        assertEquals(1, ((Client.TrainRequest) a.receiveMessage()).version());
        assertEquals(1, ((Client.TrainRequest) b.receiveMessage()).version());

        // round 2: b claims to have trained from version 0, which it no longer holds
        LoggingTestKit.warn("an update for version 0 (round 2) but it holds version 1 (round 2)").expect(testKit.system(),
                () -> {
                    aggregator.tell(TestModels.trained(1, 0, 2, TestModels.encoded(50f), 1000));
                    return null;
                });
        aggregator.tell(TestModels.trained(0, 1, 2, TestModels.encoded(1f), 10));
        ModelPublished v2 = TestModels.nextModel(published);
        assertEquals(2, v2.version());
        assertEquals(1, v2.stats().rejected());
        assertArrayEquals(TestModels.filled(5f), TestModels.CODEC.decode(v2.model()));
    }

    @Test
    void theReferenceIsTheDecodedBroadcastNotTheServersUnprunedModel() {
        TestProbe<AggregatorEvent> published = testKit.createTestProbe();
        TestProbe<Client.Command> client = testKit.createTestProbe();
        WireCodec pruned = new CodecChain(CodecChainSpec.parse("magnitude(0.5) > sparse"), TestModels.LENGTH,
                TestModels.FINGERPRINT);
        float[] initial = new float[TestModels.LENGTH];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = i + 1; // distinct magnitudes: the broadcast keeps the 8 largest
        }
        AggregatorSettings settings = new AggregatorSettings(0);
        ActorRef<Aggregator.Command> aggregator = testKit.spawn(Aggregator.create(
                TestModels.server(new FedAsync(1.0, StalenessFunction.constant()), pruned, UplinkPayload.UPDATE, initial),
                settings, published.getRef(), new RealTimeClockService(0)));
        aggregator.tell(new Aggregator.RegisterClient(0, client.getRef()));
        aggregator.tell(new Aggregator.Start());
        ModelPublished v0 = TestModels.nextModel(published);
        assertArrayEquals(initial, v0.aggregate(), "a lossy downlink publishes the server's own model too");
        Client.TrainRequest sent = (Client.TrainRequest) client.receiveMessage();
        float[] decoded = pruned.decode(sent.model());
        assertNotEquals(initial[0], decoded[0]); // the small entries did not travel

        // a zero update: alpha = 1 makes the new model exactly the client's, i.e. what it decoded
        aggregator.tell(TestModels.trained(0, 0, 0, TestModels.encoded(0f), 10));
        assertArrayEquals(decoded, TestModels.nextModel(published).aggregate());
        TestProbe<Aggregator.ModelSnapshot> snapshot = testKit.createTestProbe();
        aggregator.tell(new Aggregator.GetModel(snapshot.getRef()));
        // the snapshot is downlink-encoded again; pruning an already pruned model changes nothing
        assertArrayEquals(decoded, pruned.decode(snapshot.receiveMessage().model()));

        // the client now holds version 1 only; a second update against version 0 is a replay
        client.receiveMessage();
        LoggingTestKit.warn("an update for version 0 (round 0) but it holds version 1 (round 0)").expect(testKit.system(), () -> {
            aggregator.tell(TestModels.trained(0, 0, 0, TestModels.encoded(7f), 10));
            return null;
        });
        published.expectNoMessage(Duration.ofMillis(200));
    }
}
