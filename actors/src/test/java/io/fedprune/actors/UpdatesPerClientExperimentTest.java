package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.metrics.UpdatesPerClient;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Updates per client reach the run's summary through the aggregator's final totals (which cross
 * the Kryo serializer in these runs): they add up to the accepted updates and cover only the
 * run's clients.
 */
class UpdatesPerClientExperimentTest {

    @Test
    void fedAsyncCountsAddUpToTheAcceptedUpdates() {
        RunSummary s = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(
                "fedprune { algorithm = fedasync, stop.max-rounds = 18, eval.every = 6 }"));
        UpdatesPerClient u = s.updatesPerClient();
        assertTrue(s.updatesAccepted() >= 18, "one version per accepted update: " + s.updatesAccepted());
        assertEquals(s.updatesAccepted(), u.total(), Arrays.toString(u.toArray()));
        assertEquals(s.updatesAccepted(), Arrays.stream(u.toArray()).sum());
        assertTrue(u.clients() <= 6, "ids of the 6 clients only: " + u);
        // clients of very different speeds (compute-sigma 1) all busy: the fast ones send more
        assertTrue(u.max() > u.min() && u.min() >= 1, "uneven counts expected: " + u);
        assertEquals((double) u.max() / u.min(), u.maxOverMin());
    }

    @Test
    void fedAvgCountsAddUpToTheAcceptedUpdates() {
        RunSummary s = ExperimentDeterminismTest.run(ExperimentDeterminismTest.settings(
                "fedprune.fedavg { fraction = 0.67, round-deadline-s = 3 }"));
        UpdatesPerClient u = s.updatesPerClient();
        assertTrue(s.updatesAccepted() > 0);
        assertEquals(s.updatesAccepted(), u.total(), u.toString());
    }
}
