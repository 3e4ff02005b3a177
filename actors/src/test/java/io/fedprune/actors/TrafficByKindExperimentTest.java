package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.compress.Direction;
import io.fedprune.core.compress.MessageKind;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.metrics.TrafficByKind;
import org.junit.jupiter.api.Test;

/**
 * Bytes by message kind reach the run's summary through the aggregator's final totals (which cross
 * the Kryo serializer in these runs): they add up to the direction totals, and a PR-FL run with
 * residual download reports both what its clients fetched and the distinct increments.
 */
class TrafficByKindExperimentTest {

    @Test
    void prflWithResidualDownloadSplitsTheDownlinkAndCountsEachIncrementOnce() {
        RunSummary s = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(
                "fedprune { algorithm = prfl, prfl { recovery = none, initial-densities = \"1.0*2, 0.5*2, 0.2*2\" }, "
                        + "train.max-steps = 4, stop.max-rounds = 6, eval.every = 3 }"));
        TrafficByKind t = s.traffic();
        assertTrue(t.counted(), "the aggregator's totals arrived");
        assertAddsUp(s);
        long residual = t.bytes(Direction.DOWNLINK, MessageKind.RESIDUAL_INCREMENT);
        assertTrue(residual > 0, "sub-models went out as residual increments: " + t);
        assertTrue(t.bytes(Direction.DOWNLINK, MessageKind.MASK) > 0, "masked sub-models carry their masks: " + t);
        assertTrue(t.residualDistinct() > 0, t.toString());
        // a run is a function of its seed: here clients fetch increments of the same split more than once
        assertTrue(t.residualDistinct() < residual, "distinct increments are a part of those fetched: " + t);
        assertTrue(t.bytes(Direction.UPLINK, MessageKind.CLIENT_UPDATE) > 0);
    }

    @Test
    void fedAsyncSendsOnlyWholeModelsAndUpdates() {
        RunSummary s = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(
                "fedprune { algorithm = fedasync, stop.max-rounds = 6, eval.every = 3 }"));
        TrafficByKind t = s.traffic();
        assertAddsUp(s);
        assertEquals(s.bytesDown(), t.bytes(Direction.DOWNLINK, MessageKind.GLOBAL_MODEL));
        assertEquals(s.bytesUp(), t.bytes(Direction.UPLINK, MessageKind.CLIENT_UPDATE));
        assertEquals(0, t.residualDistinct());
    }

    private static void assertAddsUp(RunSummary s) {
        TrafficByKind t = s.traffic();
        assertTrue(s.bytesDown() > 0 && s.bytesUp() > 0);
        assertEquals(s.bytesDown(), t.total(Direction.DOWNLINK), t.toString());
        assertEquals(s.bytesUp(), t.total(Direction.UPLINK), t.toString());
    }
}
