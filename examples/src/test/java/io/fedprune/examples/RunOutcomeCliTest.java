package io.fedprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that cannot learn says so: every update rejected is exit code 3 with a message, and the
 * byte totals count the uploads that were refused; a device too slow for any clock is a
 * configuration error before any work.
 */
class RunOutcomeCliTest {

    @Test
    void everyUpdateRejectedEndsWithExitCode3AndCountsTheirBytes(@TempDir Path tmp) throws Exception {
        for (String algorithm : new String[] {"fedavg", "fedasync"}) {
            Path out = tmp.resolve(algorithm);
            OutputsTest.Result r = OutputsTest.cli(OutputsTest.tiny("run", "fedavg-fmnist", out, "--set",
                    "algorithm=" + algorithm, "--set", "train.lr=1e30", "--set", "stop.max-rounds=50"));
            assertEquals(3, r.code(), r.err() + r.out());
            assertTrue(r.err().contains("client updates was rejected"), r.err());
            JsonNode summary = OutputsTest.json(out.resolve("summary.json"));
            assertEquals("aggregator-gave-up", summary.get("stop_reason").asText());
            assertEquals(0, summary.get("updates_accepted").asLong());
            long rejected = summary.get("updates_rejected").asLong();
            assertTrue(rejected >= 10, algorithm + ": " + rejected);
            assertTrue(summary.get("bytes_up").asLong() > 0, "refused uploads still cost bytes: " + summary);
        }
    }

    @Test
    void aDeviceTooSlowForAnyClockIsAConfigurationError(@TempDir Path tmp) {
        Path out = tmp.resolve("slow");
        OutputsTest.Result r = OutputsTest.cli(OutputsTest.tiny("run", "fedavg-fmnist", out, "--set",
                "devices.cpu-hz=1e-9"));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("fedprune.devices: client 0 would need"), r.err());
        assertTrue(r.err().contains("devices.cpu-hz"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }
}
