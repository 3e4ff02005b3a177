package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static io.fedprune.actors.HarnessProtocolTest.filled;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.testkit.AggregatorHarness;
import io.fedprune.actors.testkit.FakeClient;
import io.fedprune.actors.testkit.Published;
import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import io.fedprune.core.strategy.StrategyContext;
import io.fedprune.core.ttfed.TierAggregation;
import io.fedprune.core.ttfed.TtFed;
import io.fedprune.core.ttfed.TtFedAlgorithm;
import io.fedprune.core.ttfed.TtFedSettings;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * TT-Fed's tiers through the real aggregator and its tier coordinators, under the virtual clock,
 * every message serialized: tiers from latency join every m ticks, ΔT → ∞ is synchronous FedAvg,
 * ΔT → 0 lets every client go at its own pace, and a client that slows down misses its tier's
 * deadline (its late answer is counted stale, never aggregated) and is moved to a slower tier.
 */
class TimeTriggeredProtocolTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));
    // 12 prunable weights and 4 biases: the 16 entries of the harness's models
    static final ParameterLayout LAYOUT = new ParameterLayout(List.of(
            new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, 12, new long[] {3, 4}),
            new ParameterSegment("0_b", 0, SegmentKind.BIAS, 12, 4, new long[] {1, 4})));
    /** A fast uplink: the 16-parameter upload takes well under a millisecond. */
    static final double UPLINK_BPS = 1e7;

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    static TtFed ttfed(double tickS, double... computeSeconds) {
        int n = computeSeconds.length;
        double[] up = new double[n];
        Arrays.fill(up, UPLINK_BPS);
        StrategyContext c = new StrategyContext(LAYOUT, 3, n, null, null, null, null,
                new StrategyContext.DeviceTimes(new double[n], computeSeconds, up), null);
        TtFedSettings s = new TtFedSettings(Math.round(tickS * 1e6), TierAggregation.Weighting.INVERSE_FREQUENCY, 1,
                0, n * 1e6, false, false, 0.02);
        return (TtFed) new TtFedAlgorithm().create(s, c);
    }

    @Test
    void tierMJoinsEveryMTicksFromTheModelItReceivedMTicksEarlier() {
        TtFed strategy = ttfed(1.0, 0.5, 1.5); // tiers 1 and 2
        AggregatorHarness h = AggregatorHarness.of(testKit, strategy, new float[16])
                .client(FakeClient.constant(1f).after(Duration.ofMillis(500)))
                .client(FakeClient.constant(3f).after(Duration.ofMillis(1500)))
                .maxVersions(4)
                .start();
        Published v1 = h.awaitVersion(1);
        assertEquals(1_000_000, v1.atMicros(), "tick 1 aggregates tier 1 alone");
        assertEquals(1.0, v1.metrics().get("tiers_joined"));
        v1.assertCloseTo(filled(1f), 0); // tier 1's model is the only one so far
        Published v2 = h.awaitVersion(2);
        assertEquals(2_000_000, v2.atMicros());
        assertEquals(2.0, v2.metrics().get("tiers_joined"), "tick 2: tiers 1 and 2");
        // inverse-frequency weights: tier 2 counts twice (alpha ~ m |D_m|): (1 * 1 + 2 * 3) / 3
        v2.assertCloseTo(filled(7f / 3), 1e-6);
        Published v3 = h.awaitVersion(3);
        assertEquals(1.0, v3.metrics().get("tiers_joined"), "tick 3: tier 1 again, tier 2's cached model");
        v3.assertCloseTo(filled(7f / 3), 1e-6);
        Aggregator.Totals t = h.stop();
        assertEquals(1, strategy.tierOf(0));
        assertEquals(2, strategy.tierOf(1));
        assertTrue(t.updatesPerClient()[0] >= 2 * t.updatesPerClient()[1] - 1,
                "tier 1 trains twice as often: " + Arrays.toString(t.updatesPerClient()));
    }

    @Test
    void aVeryLongTickIsSynchronousFedAvg() {
        float[][] targets = {filled(1f), filled(2f), filled(6f)};
        AggregatorHarness tt = AggregatorHarness.of(testKit, ttfed(100.0, 0.5, 1.0, 2.0), new float[16]);
        AggregatorHarness avg = AggregatorHarness.of(testKit, new FedAvg(), new float[16]);
        for (int i = 0; i < 3; i++) {
            Duration d = Duration.ofMillis(500L << i);
            tt.client(FakeClient.towards(targets[i], 0.5).samples(10 + i).after(d));
            avg.client(FakeClient.towards(targets[i], 0.5).samples(10 + i).after(d));
        }
        tt.maxVersions(4).start();
        avg.maxVersions(4).start();
        for (int v = 1; v <= 4; v++) {
            Published a = tt.awaitVersion(v);
            Published b = avg.awaitVersion(v);
            assertEquals(3, a.participants(), "every client in every aggregation");
            assertEquals(v * 100_000_000L, a.atMicros(), "one aggregation per tick, the fast clients wait");
            assertTrue(a.maxDistanceTo(b.params()) < 1e-6, "version " + v + ": TT-Fed with one tier is FedAvg");
        }
        Aggregator.Totals t = tt.stop();
        avg.stop();
        assertEquals(List.of(4, 4, 4), Arrays.stream(t.updatesPerClient()).boxed().toList());
    }

    @Test
    void aVeryShortTickLetsEveryClientGoAtItsOwnPace() {
        TtFed strategy = ttfed(0.01, 0.5, 1.0, 2.0);
        AggregatorHarness h = AggregatorHarness.of(testKit, strategy, new float[16]);
        for (int i = 0; i < 3; i++) {
            h.client(FakeClient.towards(filled(i + 1f), 0.5).after(Duration.ofMillis(500L << i)));
        }
        h.maxVersions(40).start();
        Published last = h.awaitVersion(40);
        Aggregator.Totals t = h.stop();
        int[] u = t.updatesPerClient();
        // as in asynchronous FL, updates follow speed (4 : 2 : 1), each within one tick of its round time
        assertTrue(u[0] >= 3 * u[2] && u[1] >= (3 * u[2]) / 2, "updates by client " + Arrays.toString(u));
        // nobody waits for a slower client: ~0.52 s, ~1.03 s and ~2.05 s a round make 40 arrivals in
        // about 12 s, and almost every arrival is a version of its own
        assertTrue(last.atMicros() <= 13_000_000, "40 versions by " + last.atMicros() + " us");
        assertTrue(last.accepted() <= 44, "almost one version per update: " + last.accepted() + " for 40");
        assertEquals(52, strategy.tierOf(0), "ceil((0.5 s + upload) / 0.98 / 0.01 s): 0.5 s within the guarded deadline");
    }

    @Test
    void aClientThatSlowsDownMissesItsDeadlineIsCountedLateAndMovesToASlowerTier() {
        TtFed strategy = ttfed(1.0, 0.5, 0.5);
        AggregatorHarness h = AggregatorHarness.of(testKit, strategy, new float[16])
                .client(FakeClient.constant(1f).after(Duration.ofMillis(500)))
                // in time twice, then 2.5 s a round: tier 1's deadline of 1 s cannot hold it
                .client(FakeClient.of((received, v) -> filled(v < 2 ? 1f : 50f)).after(Duration.ofMillis(500))
                        .slowingAfter(2, Duration.ofMillis(2500)))
                .maxVersions(12)
                .start();
        Published v3 = h.awaitVersion(3);
        assertTrue(v3.metrics().get("missed_deadline") >= 1, "client 1 missed tick 3: " + v3.metrics());
        // its late answer (50 everywhere) never reaches the model: tiers hold 1s only until it is on time again
        v3.assertCloseTo(filled(1f), 0);
        Published v12 = h.awaitVersion(12);
        Aggregator.Totals t = h.stop();
        assertTrue(t.stats().stale() >= 1, "late answers are counted stale: " + t.stats());
        assertEquals(1, strategy.tierOf(0));
        assertEquals(3, strategy.tierOf(1), "re-formed into the tier whose deadline (3 s) its 2.5 s rounds make");
        assertTrue(v12.maxDistanceTo(filled(1f)) > 1, "once in its new tier in time, its updates count again");
    }
}
