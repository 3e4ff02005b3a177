package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.testkit.AggregatorHarness;
import io.fedprune.actors.testkit.FakeClient;
import io.fedprune.actors.testkit.Published;
import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.aggregate.RobustRule;
import io.fedprune.serialization.FedpruneConfig;
import java.util.Arrays;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A few malicious clients (scaled, sign-flipped, NaN) among honest ones, through the aggregator:
 * NaN is refused by validation, a norm bound refuses the scaled ones at the door, and the robust
 * rules keep what passes from derailing the model — where the plain mean is derailed.
 */
class RobustAggregationProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));
    static final float[] TARGET = filled(1f);

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    static float[] filled(float v) {
        float[] p = new float[24];
        Arrays.fill(p, v);
        return p;
    }

    static Published run(RobustRule rule, double screen) {
        return AggregatorHarness.of(testKit, new FedAvg(new FedAvg.Settings(1.0, 0, rule)), new float[24])
                .clients(6, FakeClient.towards(TARGET, 0.5))
                .client(FakeClient.of((received, v) -> {
                    float[] out = new float[received.length];
                    Arrays.fill(out, -40f); // pulls the other way, hard
                    return out;
                }))
                .client(FakeClient.constant(50f))
                .client(FakeClient.nan())
                .screening(screen)
                .maxVersions(8)
                .start()
                .awaitVersion(8);
    }

    @Test
    void theMeanIsDerailedByTwoAttackersOfNine() {
        Published p = run(new RobustRule.Mean(), 0);
        assertTrue(p.maxDistanceTo(TARGET) > 1, "the plain mean follows the attackers: " + p.maxDistanceTo(TARGET));
        assertEquals(8, p.rejected(), "the NaN update is refused every round");
    }

    @Test
    void medianTrimmedMeanAndClippingHoldTheModel() {
        for (RobustRule rule : new RobustRule[] {new RobustRule.Median(), new RobustRule.TrimmedMean(0.25),
            new RobustRule.Clipped(0.5)}) {
            Published p = run(rule, 0).assertFinite();
            assertTrue(p.maxDistanceTo(TARGET) < 0.5, rule.canonical() + ": " + p.maxDistanceTo(TARGET));
            assertEquals(8, p.participants(), "attackers pass validation: the rule, not the door, stops them");
        }
    }

    @Test
    void aNormBoundRefusesTheScaledUpdatesAtTheDoor() {
        // honest changes stay under 0.5 per entry (norm < 2.5); the attackers move the model by ~200+
        Published p = run(new RobustRule.Mean(), 10).assertFinite();
        assertEquals(6, p.participants(), "only the honest updates get through");
        assertEquals(8 * 3, p.rejected(), "two scaled and one NaN update refused every round");
        p.assertCloseTo(filled(1 - 1f / 256), 1e-5); // 1 - 0.5^8: the honest mean, undisturbed
    }
}
