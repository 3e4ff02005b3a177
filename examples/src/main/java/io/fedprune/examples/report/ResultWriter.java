package io.fedprune.examples.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a run's outputs (DESIGN.md section 7): summary.json, rounds.csv (one row per evaluated
 * version, cumulative bytes, algorithm-specific columns after the fixed ones) and the resolved
 * configuration, so any result can be rerun.
 */
public final class ResultWriter {
    public static final List<String> FIXED_COLUMNS = List.of("version", "virtual_time_s", "wall_time_s",
            "test_accuracy", "test_loss", "bytes_up", "bytes_down");

    private ResultWriter() {
    }

    public static void write(Path dir, RunSummary summary, Config config, double peakRssMb) {
        try {
            Files.createDirectories(dir);
            writeSummary(dir.resolve("summary.json"), summary, peakRssMb);
            writeRounds(dir.resolve("rounds.csv"), summary.history());
            // the whole resolved fedprune block: `fedprune run DIR/config.conf` reruns the experiment
            Files.writeString(dir.resolve("config.conf"), config.withOnlyPath("fedprune").root()
                    .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write results to " + dir, e);
        }
    }

    static void writeSummary(Path file, RunSummary s, double peakRssMb) throws IOException {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode n = json.createObjectNode();
        n.put("algorithm", s.algorithm());
        n.put("dataset", s.dataset());
        n.put("clients", s.clients());
        n.put("seed", s.seed());
        n.put("rounds", s.rounds());
        n.put("final_accuracy", s.finalAccuracy());
        n.put("best_accuracy", s.bestAccuracy());
        n.put("virtual_time_s", s.virtualTimeS());
        n.put("wall_time_s", s.wallTimeS());
        n.put("bytes_up", s.bytesUp());
        n.put("bytes_down", s.bytesDown());
        n.put("target_accuracy", s.targetAccuracy());
        n.put("time_to_target_s", s.timeToTargetS());
        n.put("bytes_to_target", s.bytesToTarget());
        n.put("stop_reason", s.stopReason());
        n.put("peak_rss_mb", Double.isNaN(peakRssMb) ? null : peakRssMb);
        json.writeValue(file.toFile(), n);
    }

    static void writeRounds(Path file, List<RoundRecord> rows) throws IOException {
        List<String> extra = rows.isEmpty() ? List.of() : new ArrayList<>(rows.get(0).extra().keySet());
        CsvSchema.Builder schema = CsvSchema.builder().setUseHeader(true);
        FIXED_COLUMNS.forEach(schema::addColumn);
        extra.forEach(schema::addColumn);
        List<Map<String, Object>> data = new ArrayList<>();
        for (RoundRecord r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("version", r.version());
            m.put("virtual_time_s", r.virtualTimeS());
            m.put("wall_time_s", r.wallTimeS());
            m.put("test_accuracy", r.testAccuracy());
            m.put("test_loss", r.testLoss());
            m.put("bytes_up", r.bytesUp());
            m.put("bytes_down", r.bytesDown());
            for (String k : extra) {
                Double v = r.extra().get(k);
                m.put(k, v != null && v == Math.rint(v) && Math.abs(v) < 1e15 ? (Object) v.longValue() : v);
            }
            data.add(m);
        }
        new CsvMapper().writer(schema.build()).writeValues(file.toFile()).writeAll(data).close();
    }
}
