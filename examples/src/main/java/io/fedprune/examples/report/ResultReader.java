package io.fedprune.examples.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.metrics.UpdatesPerClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads a finished run's folder back (summary.json and rounds.csv), e.g. for a resumed sweep. */
public final class ResultReader {
    private ResultReader() {
    }

    /**
     * The stop reason in {@code dir}/summary.json, or null when there is no readable summary (no
     * run, a run still going, or one killed before it could write it).
     */
    public static String stopReason(Path dir) {
        Path file = dir.resolve("summary.json");
        if (!Files.isRegularFile(file)) {
            return null;
        }
        try {
            JsonNode reason = new ObjectMapper().readTree(file.toFile()).get("stop_reason");
            return reason == null || reason.isNull() ? null : reason.asText();
        } catch (IOException e) {
            return null;
        }
    }

    public static RunSummary read(Path dir) throws IOException {
        JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        return new RunSummary(s.get("algorithm").asText(), s.get("dataset").asText(), s.get("clients").asInt(),
                s.get("seed").asLong(), s.get("rounds").asLong(), number(s, "final_accuracy"),
                number(s, "best_accuracy"), number(s, "virtual_time_s"), number(s, "wall_time_s"),
                s.get("bytes_up").asLong(), s.get("bytes_down").asLong(), boxed(s, "target_accuracy"),
                boxed(s, "time_to_target_s"), s.path("bytes_to_target").isNumber() ? s.get("bytes_to_target").asLong()
                : null, s.get("stop_reason").asText(), s.path("updates_accepted").asLong(),
                s.path("updates_rejected").asLong(), s.path("clock_events").asLong(), updatesPerClient(s),
                TrafficJson.read(s), rounds(dir.resolve("rounds.csv")));
    }

    static List<RoundRecord> rounds(Path file) throws IOException {
        List<RoundRecord> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class)
                .with(CsvSchema.emptySchema().withHeader()).readValues(file.toFile())) {
            while (it.hasNext()) {
                Map<String, String> m = it.next();
                Map<String, Double> extra = new LinkedHashMap<>();
                for (Map.Entry<String, String> e : m.entrySet()) {
                    if (!ResultWriter.FIXED_COLUMNS.contains(e.getKey()) && !e.getValue().isEmpty()) {
                        extra.put(e.getKey(), Double.parseDouble(e.getValue()));
                    }
                }
                rows.add(new RoundRecord(Long.parseLong(m.get("version")), Double.parseDouble(m.get("virtual_time_s")),
                        Double.parseDouble(m.get("wall_time_s")), Double.parseDouble(m.get("test_accuracy")),
                        Double.parseDouble(m.get("test_loss")), Long.parseLong(m.get("bytes_up")),
                        Long.parseLong(m.get("bytes_down")), extra));
            }
        } catch (RuntimeException e) {
            throw new IOException(file + ": not a rounds.csv this version of fedprune reads: " + e.getMessage(), e);
        }
        return rows;
    }

    /** Absent in summaries written before it was counted. */
    private static UpdatesPerClient updatesPerClient(JsonNode s) {
        JsonNode a = s.path("updates_per_client");
        int[] counts = new int[a.size()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = a.get(i).asInt();
        }
        return UpdatesPerClient.of(counts);
    }

    private static double number(JsonNode s, String key) {
        JsonNode v = s.get(key);
        return v == null || !v.isNumber() ? Double.NaN : v.asDouble();
    }

    private static Double boxed(JsonNode s, String key) {
        JsonNode v = s.get(key);
        return v == null || !v.isNumber() ? null : v.asDouble();
    }
}
