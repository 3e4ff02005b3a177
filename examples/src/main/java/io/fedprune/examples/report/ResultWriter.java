package io.fedprune.examples.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigRenderOptions;
import io.fedprune.core.metrics.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * Writes a run's outputs (DESIGN.md section 7): the resolved configuration first (config.conf, so
 * any result, even a partial one, can be rerun), rounds.csv as the run goes ({@link RoundsCsvWriter}),
 * then summary.json, replaced atomically so a reader never sees half of it.
 */
public final class ResultWriter {
    public static final List<String> FIXED_COLUMNS = List.of("version", "virtual_time_s", "wall_time_s",
            "test_accuracy", "test_loss", "bytes_up", "bytes_down");

    /** Every file a run writes in its folder; what {@code --force} removes. */
    public static final List<String> RESULT_FILES = List.of("summary.json", "rounds.csv", "config.conf",
            "accuracy_vs_time.png", "accuracy_vs_bytes.png", "final-model.bin");

    /** A journaled run's last published model, as clients are sent it (the resume drill compares it). */
    public static final String MODEL_FILE = "final-model.bin";

    private ResultWriter() {
    }

    /** The whole resolved fedprune block: {@code fedprune run DIR/config.conf} reruns the experiment. */
    public static String renderConfig(Config config) {
        return config.withOnlyPath("fedprune").root()
                .render(ConfigRenderOptions.defaults().setOriginComments(false).setJson(false));
    }

    public static void writeConfig(Path dir, Config config) {
        try {
            Files.writeString(dir.resolve("config.conf"), renderConfig(config));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + dir.resolve("config.conf"), e);
        }
    }

    /** Writes {@link #MODEL_FILE}, replaced atomically. */
    public static void writeModel(Path dir, byte[] model) {
        Path file = dir.resolve(MODEL_FILE);
        Path tmp = dir.resolve(MODEL_FILE + ".tmp");
        try {
            Files.write(tmp, model);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    public static void writeSummary(Path dir, RunSummary s, double peakRssMb) {
        Path file = dir.resolve("summary.json");
        Path tmp = dir.resolve("summary.json.tmp");
        try {
            ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode n = json.createObjectNode();
            n.put("algorithm", s.algorithm());
            n.put("dataset", s.dataset());
            n.put("clients", s.clients());
            n.put("seed", s.seed());
            n.put("rounds", s.rounds());
            n.put("final_accuracy", finite(s.finalAccuracy())); // NaN (no version evaluated) is not JSON
            n.put("best_accuracy", finite(s.bestAccuracy()));
            n.put("virtual_time_s", s.virtualTimeS());
            n.put("wall_time_s", s.wallTimeS());
            n.put("bytes_up", s.bytesUp());
            n.put("bytes_down", s.bytesDown());
            TrafficJson.write(n, s.traffic());
            n.put("target_accuracy", s.targetAccuracy());
            n.put("time_to_target_s", s.timeToTargetS());
            n.put("bytes_to_target", s.bytesToTarget());
            n.put("stop_reason", s.stopReason());
            n.put("updates_accepted", s.updatesAccepted());
            n.put("updates_rejected", s.updatesRejected());
            n.put("clock_events", s.clockEvents());
            n.put("updates_per_client_max_over_min", s.updatesPerClient().maxOverMin());
            ArrayNode perClient = n.putArray("updates_per_client"); // index = client id
            for (int c : s.updatesPerClient().toArray()) {
                perClient.add(c);
            }
            DeviceAccuracyJson.write(n, s.history());
            n.put("peak_rss_mb", finite(peakRssMb));
            json.writeValue(tmp.toFile(), n);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static Double finite(double v) {
        return Double.isFinite(v) ? v : null;
    }
}
