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
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Broken updates are logged, counted and never touch the global model. */
class InvalidUpdateProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    @Test
    void wrongLengthNanInfGarbageAndUnsolicitedUpdatesAreRejected() {
        TestProbe<AggregatorEvent> published = testKit.createTestProbe();
        TestProbe<Client.Command> client = testKit.createTestProbe();
        AggregatorSettings settings = new AggregatorSettings(0);
        ActorRef<Aggregator.Command> aggregator = testKit.spawn(Aggregator.create(
                TestModels.server(new FedAsync(1.0, StalenessFunction.constant()), TestModels.filled(3f)), settings,
                published.getRef(), new RealTimeClockService(0)));
        aggregator.tell(new Aggregator.RegisterClient(0, client.getRef()));
        aggregator.tell(new Aggregator.Start());
        ModelPublished v0 = TestModels.nextModel(published);
        client.receiveMessage();

        float[] nan = TestModels.filled(1f);
        nan[5] = Float.NaN;
        float[] inf = TestModels.filled(1f);
        inf[0] = Float.NEGATIVE_INFINITY;
        byte[] wrongLength = new DenseFloat32Codec(TestModels.LENGTH + 1, TestModels.FINGERPRINT)
                .encode(new float[TestModels.LENGTH + 1]);
        byte[] truncated = Arrays.copyOf(TestModels.encoded(1f), 40); // damaged on the way: the checksum catches it

        LoggingTestKit.warn("parameters, the model has " + TestModels.LENGTH).expect(testKit.system(), () -> {
            aggregator.tell(TestModels.trained(0, 0, 0, wrongLength, 10));
            return null;
        });
        client.receiveMessage(); // re-dispatched after each rejection
        LoggingTestKit.warn("NaN at parameter 5").expect(testKit.system(), () -> {
            aggregator.tell(TestModels.trained(0, 0, 0, TestModels.CODEC.encode(nan), 10));
            return null;
        });
        client.receiveMessage();
        LoggingTestKit.warn("-Infinity at parameter 0").expect(testKit.system(), () -> {
            aggregator.tell(TestModels.trained(0, 0, 0, TestModels.CODEC.encode(inf), 10));
            return null;
        });
        client.receiveMessage();
        LoggingTestKit.warn("checksum mismatch").expect(testKit.system(), () -> {
            aggregator.tell(TestModels.trained(0, 0, 0, truncated, 10));
            return null;
        });
        client.receiveMessage();
        aggregator.tell(TestModels.trained(0, 0, 0, TestModels.encoded(1f), 10));
        ModelPublished v1 = TestModels.nextModel(published);
        assertEquals(1, v1.version());
        assertEquals(1, v1.stats().accepted());
        assertEquals(4, v1.stats().rejected());
        assertEquals(1, ((Client.TrainRequest) client.receiveMessage()).version());
        // the same update delivered twice: the client now holds version 1, so it is a duplicate
        LoggingTestKit.warn("an update for version 0 (round 0) but it holds version 1 (round 0)").expect(testKit.system(), () -> {
            aggregator.tell(TestModels.trained(0, 0, 0, TestModels.encoded(1f), 10));
            return null;
        });
        published.expectNoMessage(Duration.ofMillis(200));

        TestProbe<Aggregator.ModelSnapshot> snapshot = testKit.createTestProbe();
        aggregator.tell(new Aggregator.GetModel(snapshot.getRef()));
        Aggregator.ModelSnapshot s = snapshot.receiveMessage();
        assertEquals(1, s.version());
        // alpha = 1: the only accepted update replaced the model exactly; nothing else leaked in
        assertArrayEquals(TestModels.filled(1f), TestModels.CODEC.decode(s.model()));
        assertArrayEquals(TestModels.filled(3f), TestModels.CODEC.decode(v0.model()));
    }
}
