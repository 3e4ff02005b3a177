package io.fedprune.examples.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedprune.core.compress.Direction;
import io.fedprune.core.compress.MessageKind;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.metrics.TrafficByKind;
import io.fedprune.core.metrics.UpdatesPerClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** summary.json's bytes by kind and residual distinct bytes: the keys written, and read back unchanged. */
class TrafficSummaryRoundTripTest {
    @TempDir
    Path tmp;

    static TrafficByKind prflTraffic() {
        long[] b = new long[TrafficByKind.SIZE];
        b[TrafficByKind.index(Direction.DOWNLINK, MessageKind.GLOBAL_MODEL)] = 240_240;
        b[TrafficByKind.index(Direction.DOWNLINK, MessageKind.MASK)] = 13_160;
        b[TrafficByKind.index(Direction.DOWNLINK, MessageKind.RESIDUAL_INCREMENT)] = 157_556;
        b[TrafficByKind.index(Direction.UPLINK, MessageKind.CLIENT_UPDATE)] = 360_360;
        return TrafficByKind.of(b, 96_668);
    }

    static RunSummary summary(TrafficByKind traffic) {
        List<RoundRecord> h = List.of(new RoundRecord(0, 0, 0, 0.1, 2.3, 0, 0, Map.of()),
                new RoundRecord(3, 12.5, 1, 0.6, 1.1, traffic.total(Direction.UPLINK),
                        traffic.total(Direction.DOWNLINK), Map.of()));
        return RunSummary.of("prfl", "synthetic", 6, 1, null, h, 12.5, 1, traffic.total(Direction.UPLINK),
                traffic.total(Direction.DOWNLINK), "max-rounds", 6, 0, 40, UpdatesPerClient.of(new int[] {1, 2, 3}),
                traffic);
    }

    private Path written(RunSummary s) throws Exception {
        try (RoundsCsvWriter rows = new RoundsCsvWriter(tmp.resolve("rounds.csv"))) {
            s.history().forEach(rows::onRound);
            rows.finish();
        }
        ResultWriter.writeSummary(tmp, s, 100);
        return tmp.resolve("summary.json");
    }

    @Test
    void nonZeroKindsAreWrittenByDirectionAndReadBack() throws Exception {
        RunSummary s = summary(prflTraffic());
        JsonNode json = new ObjectMapper().readTree(written(s).toFile());
        JsonNode byKind = json.get("bytes_by_kind");
        assertEquals(157_556, byKind.get("downlink").get("residual_increment").asLong());
        assertEquals(13_160, byKind.get("downlink").get("mask").asLong());
        assertEquals(240_240, byKind.get("downlink").get("global_model").asLong());
        assertEquals(360_360, byKind.get("uplink").get("client_update").asLong());
        assertFalse(byKind.get("downlink").has("client_update"), "zero kinds are left out");
        assertEquals(1, byKind.get("uplink").size());
        assertEquals(96_668, json.get("residual_distinct_bytes").asLong());
        long down = 0;
        for (JsonNode n : byKind.get("downlink")) {
            down += n.asLong();
        }
        assertEquals(json.get("bytes_down").asLong(), down);

        RunSummary back = ResultReader.read(tmp);
        assertEquals(s.traffic(), back.traffic());
        assertEquals(s, back, "the whole summary survives, traffic included");
    }

    @Test
    void aRunWhoseTotalsNeverArrivedWritesEmptyValuesAndReadsBackAsNotCounted() throws Exception {
        JsonNode json = new ObjectMapper().readTree(written(summary(TrafficByKind.none())).toFile());
        assertTrue(json.get("bytes_by_kind").isObject() && json.get("bytes_by_kind").isEmpty());
        assertTrue(json.get("residual_distinct_bytes").isNull());
        assertFalse(ResultReader.read(tmp).traffic().counted());
    }

    @Test
    void aCountedRunWithoutTrafficIsNotMistakenForOneNeverCounted() throws Exception {
        written(summary(TrafficByKind.of(new long[TrafficByKind.SIZE], 0)));
        TrafficByKind back = ResultReader.read(tmp).traffic();
        assertTrue(back.counted());
        assertEquals(0, back.total(Direction.DOWNLINK));
    }

    @Test
    void aSummaryFromBeforeTheKeysReadsAsNotCounted() throws Exception {
        Path file = written(summary(prflTraffic()));
        ObjectNode old = (ObjectNode) new ObjectMapper().readTree(file.toFile());
        old.remove(List.of("bytes_by_kind", "residual_distinct_bytes"));
        Files.writeString(file, old.toString());
        RunSummary back = ResultReader.read(tmp);
        assertFalse(back.traffic().counted());
        assertEquals(s(back), s(summary(prflTraffic())), "everything else still reads");
    }

    /** The summary without its traffic, to compare the rest. */
    private static RunSummary s(RunSummary r) {
        return new RunSummary(r.algorithm(), r.dataset(), r.clients(), r.seed(), r.rounds(), r.finalAccuracy(),
                r.bestAccuracy(), r.virtualTimeS(), r.wallTimeS(), r.bytesUp(), r.bytesDown(), r.targetAccuracy(),
                r.timeToTargetS(), r.bytesToTarget(), r.stopReason(), r.updatesAccepted(), r.updatesRejected(),
                r.clockEvents(), r.updatesPerClient(), r.history());
    }
}
