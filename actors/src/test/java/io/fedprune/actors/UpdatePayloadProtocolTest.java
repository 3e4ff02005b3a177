package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.aggregator.Aggregator;
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
        TestProbe<ModelPublished> published = testKit.createTestProbe();
        TestProbe<Client.Command> a = testKit.createTestProbe();
        TestProbe<Client.Command> b = testKit.createTestProbe();
        AggregatorSettings settings = new AggregatorSettings(AggregatorSettings.Mode.SYNC, 1.0, 0, 0, 3);
        ActorRef<Aggregator.Command> aggregator = testKit.spawn(Aggregator.create(settings, new FedAvg(),
                TestModels.CODEC, TestModels.CODEC, UplinkPayload.UPDATE, TestModels.filled(3f), published.getRef(),
                new RealTimeClockService(0)));
        aggregator.tell(new Aggregator.RegisterClient(0, a.getRef()));
        aggregator.tell(new Aggregator.RegisterClient(1, b.getRef()));
        aggregator.tell(new Aggregator.Start());
        published.receiveMessage();
        a.receiveMessage();
        b.receiveMessage();

        // round 1 from version 0 (all 3s): updates +2 and 0 with equal weight -> all 4s
        aggregator.tell(new Aggregator.UpdateArrived(0, 0, 1, TestModels.encoded(2f), 10, 0.1));
        aggregator.tell(new Aggregator.UpdateArrived(1, 0, 1, TestModels.encoded(0f), 10, 0.1));
        ModelPublished v1 = published.receiveMessage();
        assertArrayEquals(TestModels.filled(4f), TestModels.CODEC.decode(v1.model()));
        assertEquals(1, ((Client.TrainRequest) a.receiveMessage()).version());
        assertEquals(1, ((Client.TrainRequest) b.receiveMessage()).version());

        // round 2: b claims to have trained from version 0, which it no longer holds
        LoggingTestKit.warn("an update against version 0, which this client was not sent").expect(testKit.system(),
                () -> {
                    aggregator.tell(new Aggregator.UpdateArrived(1, 0, 2, TestModels.encoded(50f), 1000, 0.1));
                    return null;
                });
        aggregator.tell(new Aggregator.UpdateArrived(0, 1, 2, TestModels.encoded(1f), 10, 0.1));
        ModelPublished v2 = published.receiveMessage();
        assertEquals(2, v2.version());
        assertEquals(1, v2.stats().rejected());
        assertArrayEquals(TestModels.filled(5f), TestModels.CODEC.decode(v2.model()));
    }

    @Test
    void theReferenceIsTheDecodedBroadcastNotTheServersUnprunedModel() {
        TestProbe<ModelPublished> published = testKit.createTestProbe();
        TestProbe<Client.Command> client = testKit.createTestProbe();
        WireCodec pruned = new CodecChain(CodecChainSpec.parse("magnitude(0.5) > sparse"), TestModels.LENGTH,
                TestModels.FINGERPRINT);
        float[] initial = new float[TestModels.LENGTH];
        for (int i = 0; i < initial.length; i++) {
            initial[i] = i + 1; // distinct magnitudes: the broadcast keeps the 8 largest
        }
        AggregatorSettings settings = new AggregatorSettings(AggregatorSettings.Mode.ASYNC, 1.0, 0, 0, 3);
        ActorRef<Aggregator.Command> aggregator = testKit.spawn(Aggregator.create(settings,
                new FedAsync(1.0, StalenessFunction.constant()), pruned, TestModels.CODEC, UplinkPayload.UPDATE,
                initial, published.getRef(), new RealTimeClockService(0)));
        aggregator.tell(new Aggregator.RegisterClient(0, client.getRef()));
        aggregator.tell(new Aggregator.Start());
        ModelPublished v0 = published.receiveMessage();
        assertArrayEquals(initial, v0.aggregate(), "a lossy downlink publishes the server's own model too");
        Client.TrainRequest sent = (Client.TrainRequest) client.receiveMessage();
        float[] decoded = pruned.decode(sent.model());
        assertNotEquals(initial[0], decoded[0]); // the small entries did not travel

        // a zero update: alpha = 1 makes the new model exactly the client's, i.e. what it decoded
        aggregator.tell(new Aggregator.UpdateArrived(0, 0, 0, TestModels.encoded(0f), 10, 0.1));
        assertArrayEquals(decoded, published.receiveMessage().aggregate());
        TestProbe<Aggregator.ModelSnapshot> snapshot = testKit.createTestProbe();
        aggregator.tell(new Aggregator.GetModel(snapshot.getRef()));
        // the snapshot is downlink-encoded again; pruning an already pruned model changes nothing
        assertArrayEquals(decoded, pruned.decode(snapshot.receiveMessage().model()));

        // the client now holds version 1 only; a second update against version 0 is a replay
        client.receiveMessage();
        LoggingTestKit.warn("based on version 0: it was sent version 1").expect(testKit.system(), () -> {
            aggregator.tell(new Aggregator.UpdateArrived(0, 0, 0, TestModels.encoded(7f), 10, 0.1));
            return null;
        });
        published.expectNoMessage(Duration.ofMillis(200));
    }
}
