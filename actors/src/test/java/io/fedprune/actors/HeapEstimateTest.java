package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.HeapEstimate;
import io.fedprune.actors.experiment.SettingsException;
import org.junit.jupiter.api.Test;

/** A run that cannot fit its heap says so before it starts, and the estimate follows what it holds. */
class HeapEstimateTest {

    @Test
    void theEstimateGrowsWithVersionsInFlightNotWithRoundsOfSynchronousWork() {
        HeapEstimate sync = estimate("fedprune.stop.max-rounds = 500");
        HeapEstimate async = estimate("fedprune { algorithm = fedasync, stop.max-rounds = 500 }");
        assertEquals(sync.dataBytes(), async.dataBytes());
        assertTrue(async.inFlightBytes() > sync.inFlightBytes(), "continuous work keeps up to a version per client");
        HeapEstimate moreClients = estimate("fedprune { algorithm = fedasync, stop.max-rounds = 500, data.clients = 12 }");
        assertEquals(2 * async.clientBytes(), moreClients.clientBytes());
        assertTrue(moreClients.inFlightBytes() > async.inFlightBytes());
    }

    @Test
    void aHeapTooSmallIsRefusedNamingWhatToChange() {
        try (Experiment e = Experiment.assemble(ExperimentDeterminismTest.settings("fedprune.stop.max-rounds = 2"),
                ExperimentDeterminismTest.TRAIN, ExperimentDeterminismTest.TEST)) {
            HeapEstimate h = HeapEstimate.of(e);
            String m = assertThrows(SettingsException.class, () -> check(h, h.total() - 1)).getMessage();
            assertTrue(m.startsWith("this run needs at least"), m);
            assertTrue(m.contains("FEDPRUNE_JAVA_OPTS=-Xmx") && m.contains("fedprune.data.clients"), m);
            check(h, h.total()); // exactly enough is enough
        }
    }

    static void check(HeapEstimate h, long maxHeap) {
        h.check(maxHeap);
    }

    static HeapEstimate estimate(String overrides) {
        try (Experiment e = Experiment.assemble(ExperimentDeterminismTest.settings(overrides),
                ExperimentDeterminismTest.TRAIN, ExperimentDeterminismTest.TEST)) {
            return HeapEstimate.of(e);
        }
    }
}
