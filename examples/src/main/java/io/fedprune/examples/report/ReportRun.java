package io.fedprune.examples.report;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import io.fedprune.core.metrics.RunSummary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * A finished run as a report shows it: its folder, its summary and rounds, and its resolved
 * configuration flattened to {@code key → value} (keys under {@code fedprune.}, without the prefix;
 * empty when the folder has no config.conf, e.g. a run of an older version).
 */
public record ReportRun(String label, Path dir, RunSummary summary, Map<String, String> config) {

    /** Reads {@code dir}; the message of the exception names the file that could not be read. */
    public static ReportRun read(String label, Path dir) {
        RunSummary summary;
        try {
            summary = ResultReader.read(dir);
        } catch (IOException | RuntimeException e) {
            throw new ReportException(dir + ": not a finished run this version of fedprune reads ("
                    + firstLine(e) + ")", e);
        }
        return new ReportRun(label, dir, summary, config(dir.resolve("config.conf")));
    }

    /** Parsers' messages run over several lines (the source excerpt): an error is one line. */
    private static String firstLine(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
    }

    static Map<String, String> config(Path file) {
        Map<String, String> flat = new TreeMap<>();
        if (!Files.isRegularFile(file)) {
            return flat;
        }
        try {
            Config c = ConfigFactory.parseFile(file.toFile()).resolve();
            if (!c.hasPath("fedprune")) {
                return flat;
            }
            for (Map.Entry<String, ConfigValue> e : c.getConfig("fedprune").entrySet()) {
                ConfigValue v = e.getValue();
                flat.put(e.getKey(), v.valueType() == ConfigValueType.STRING ? (String) v.unwrapped()
                        : v.render(ConfigRenderOptions.concise()));
            }
        } catch (ConfigException e) {
            throw new ReportException(file + ": unreadable configuration (" + firstLine(e) + ")", e);
        }
        return flat;
    }
}
