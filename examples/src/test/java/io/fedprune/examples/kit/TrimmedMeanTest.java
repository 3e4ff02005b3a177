package io.fedprune.examples.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.testkit.AggregatorHarness;
import io.fedprune.actors.testkit.FakeClient;
import io.fedprune.actors.testkit.Published;
import io.fedprune.serialization.FedpruneConfig;
import java.util.Arrays;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The worked example of docs/EMBEDDING.md: a user's strategy, tested with the kit alone. */
class TrimmedMeanTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    @Test
    void twoMaliciousClientsOfSevenDoNotDerailTheModel() {
        float[] target = new float[32];
        Arrays.fill(target, 1f);
        AggregatorHarness h = AggregatorHarness.of(testKit, new TrimmedMean(2), new float[32])
                .clients(5, FakeClient.towards(target, 0.5))
                .client(FakeClient.scaled(-100))          // sign-flipped and blown up
                .client(FakeClient.constant(1e6f))        // far off
                .maxVersions(10)
                .start();
        Published last = h.awaitVersion(10);
        last.assertFinite().assertCloseTo(target, 0.01); // 0.5^10 of the way left
        assertEquals(7, last.participants());
    }

    @Test
    void withoutTrimmingTheSameClientsDoDerailIt() {
        float[] target = new float[32];
        Arrays.fill(target, 1f);
        AggregatorHarness h = AggregatorHarness.of(testKit, new TrimmedMean(0), new float[32])
                .clients(5, FakeClient.towards(target, 0.5))
                .client(FakeClient.constant(1e6f))
                .maxVersions(3)
                .start();
        assertTrue(h.awaitVersion(3).maxDistanceTo(target) > 1e4, "a plain mean follows the outlier");
    }
}
