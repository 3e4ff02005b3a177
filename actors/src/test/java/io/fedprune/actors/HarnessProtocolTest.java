package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.testkit.AggregatorHarness;
import io.fedprune.actors.testkit.FakeClient;
import io.fedprune.actors.testkit.Published;
import io.fedprune.core.aggregate.FedAsync;
import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The aggregator against the test kit's scripted clients under the virtual clock, every message
 * serialized: bad updates are rejected and counted, stragglers cut by the deadline, dropouts and
 * stale updates handled, and the model never leaves the honest clients' range.
 */
class HarnessProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));
    static final float[] TARGET = filled(2f);

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    static float[] filled(float v) {
        float[] p = new float[16];
        Arrays.fill(p, v);
        return p;
    }

    @Test
    void corruptNanAndOverclaimingUpdatesAreRejectedAndNeverReachTheModel() {
        AggregatorHarness h = AggregatorHarness.of(testKit, new FedAvg(), new float[16])
                .clients(3, FakeClient.towards(TARGET, 0.5))
                .client(FakeClient.constant(0f).corrupt())
                .client(FakeClient.nan())
                .client(FakeClient.constant(-50f).samples(10_000)) // claims more than it can have trained on
                .maxSamples(100)
                .maxVersions(4)
                .start();
        Published v4 = h.awaitVersion(4).assertFinite();
        assertEquals(3, v4.participants(), "only the honest clients' updates count");
        assertEquals(4 * 3, v4.rejected(), "three bad updates a round, each counted once");
        v4.assertCloseTo(filled(2f - 2f / 16), 1e-5); // halfway closer every round: 2 (1 - 0.5^4)
        Aggregator.Totals t = h.stop();
        assertEquals(java.util.List.of(4, 4, 4), Arrays.stream(t.updatesPerClient()).boxed().toList(),
                "accepted updates by client id: none from clients 3 to 5");
    }

    @Test
    void aDeadlineCutsAStragglerAndAFailingClientCountsAsFailed() {
        AggregatorHarness h = AggregatorHarness.of(testKit, new FedAvg(new FedAvg.Settings(1.0, 5_000_000)),
                        new float[16])
                .clients(2, FakeClient.towards(TARGET, 1.0).after(Duration.ofSeconds(1)))
                .client(FakeClient.constant(9f).neverAnswering())
                .client(FakeClient.constant(9f).failing())
                .maxVersions(2)
                .start();
        Published v1 = h.awaitVersion(1);
        Published v2 = h.awaitVersion(2).assertCloseTo(TARGET, 1e-6);
        assertEquals(5_000_000, v1.atMicros(), "the round waited for its deadline, in virtual time");
        assertEquals(10_000_000, v2.atMicros());
        assertEquals(2, v2.stats().stragglers());
        assertEquals(2, v2.stats().failed());
    }

    @Test
    void continuousWorkCarriesOnAfterADropoutAndWeighsStaleUpdatesDown() {
        AggregatorHarness h = AggregatorHarness.of(testKit, new FedAsync(0.5, StalenessFunction.polynomial(1)),
                        new float[16])
                .client(FakeClient.towards(TARGET, 1.0).after(Duration.ofSeconds(1)))
                .client(FakeClient.towards(TARGET, 1.0).after(Duration.ofSeconds(1)).stale(2))
                .client(FakeClient.constant(-9f).after(Duration.ofMillis(500)).droppingOutAfter(1))
                .maxVersions(12)
                .start();
        Published last = h.awaitVersion(12).assertFinite();
        assertEquals(1, last.stats().dropped(), "the client that stopped is a dropout");
        assertTrue(last.stats().meanStaleness() > 0, "the stale client's updates count as stale");
        assertTrue(last.maxDistanceTo(TARGET) < 0.5, "the dropout's one bad update is averaged away: "
                + last.maxDistanceTo(TARGET));
    }
}
