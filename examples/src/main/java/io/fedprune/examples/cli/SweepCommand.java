package io.fedprune.examples.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigValue;
import io.fedprune.actors.experiment.ConfigKeys;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.examples.report.PlotWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Runs the cartesian product of a grid of settings over one preset and writes one table
 * (sweep.csv, sweep.md) and one pair of plots with every run. The grid comes from the preset's
 * {@code fedprune.sweep.grid} list and/or {@code --grid}; one axis may set several keys to the
 * same value (e.g. the same chain uplink and downlink).
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = "Run a grid of settings over a preset; write one table and accuracy-vs-bytes plots.")
public final class SweepCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PRESET|FILE.conf")
    String source;

    @Option(names = "--grid", paramLabel = "KEY[,KEY...]=V1;V2;...",
            description = "an axis: keys set together to each value in turn, e.g. "
                    + "--grid 'codec.uplink,codec.downlink=dense;magnitude(0.5) > sparse'")
    List<String> grid = new ArrayList<>();

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override applied to every run")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true)
    Path out;

    @Option(names = "--dry-run", description = "validate every grid point and list the runs, train nothing")
    boolean dryRun;

    /** One axis of the grid. */
    record Axis(List<String> keys, List<String> values) {
    }

    @Override
    public Integer call() {
        List<Axis> axes = axes(presetAxes(ConfigLoader.load(source, overrides)), grid, overrides);
        if (axes.isEmpty()) {
            throw new SettingsException("sweep: no grid (give --grid or fedprune.sweep.grid in the preset)");
        }
        List<List<String>> runs = product(axes);
        // validate every configuration before running any
        for (List<String> r : runs) {
            ExperimentSettings.fromConfig(ConfigLoader.load(source, withOverrides(r)));
        }
        System.out.printf("sweep: %d runs over %s%n", runs.size(), axes);
        if (dryRun) {
            for (int i = 0; i < runs.size(); i++) {
                System.out.printf("sweep: run-%03d %s%n", i + 1, runs.get(i));
            }
            return 0;
        }
        Map<String, RunSummary> results = new LinkedHashMap<>();
        List<List<String>> assignments = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            String id = String.format("run-%03d", i + 1);
            System.out.printf("sweep: %s/%d %s%n", id, runs.size(), runs.get(i));
            results.put(id + " " + String.join(" ", runs.get(i)),
                    RunCommand.runOne(source, withOverrides(runs.get(i)), out.resolve(id), true));
            assignments.add(runs.get(i));
        }
        writeTables(axes, assignments, new ArrayList<>(results.values()));
        PlotWriter.write(out, "sweep " + source, results);
        System.out.println("sweep: table in " + out.resolve("sweep.md").toAbsolutePath());
        return 0;
    }

    private List<String> withOverrides(List<String> assignment) {
        List<String> all = new ArrayList<>(overrides);
        all.addAll(assignment);
        return all;
    }

    /**
     * The preset's axes, less those whose keys {@code --set} pins or a {@code --grid} axis
     * redefines, then the {@code --grid} axes.
     */
    static List<Axis> axes(List<Axis> preset, List<String> grids, List<String> sets) {
        List<Axis> cli = grids.stream().map(SweepCommand::parseAxis).toList();
        java.util.Set<String> taken = new java.util.HashSet<>();
        cli.forEach(a -> a.keys().forEach(k -> taken.add(normal(k))));
        sets.forEach(s -> taken.add(normal(s.substring(0, Math.max(0, s.indexOf('='))))));
        List<Axis> out = new ArrayList<>();
        for (Axis a : preset) {
            if (a.keys().stream().noneMatch(k -> taken.contains(normal(k)))) {
                out.add(a);
            }
        }
        out.addAll(cli);
        return out;
    }

    private static String normal(String key) {
        String k = key.trim();
        return k.startsWith("fedprune.") ? k.substring("fedprune.".length()) : k;
    }

    static Axis parseAxis(String spec) {
        int eq = spec.indexOf('=');
        if (eq <= 0 || eq == spec.length() - 1) {
            throw new SettingsException("--grid expects KEY[,KEY...]=V1;V2;..., got '" + spec + "'");
        }
        List<String> keys = List.of(spec.substring(0, eq).trim().split("\\s*,\\s*"));
        ConfigKeys known = ConfigKeys.reference();
        keys.forEach(k -> known.checkSetting(k, "--grid"));
        List<String> values = new ArrayList<>();
        for (String v : spec.substring(eq + 1).split(";")) {
            if (!v.isBlank()) {
                values.add(v.trim());
            }
        }
        return new Axis(keys, values);
    }

    /** {@code fedprune.sweep.grid = [{keys = [a, b], values = [...]}, ...]} in the preset. */
    static List<Axis> presetAxes(Config config) {
        List<Axis> axes = new ArrayList<>();
        if (!config.hasPath("fedprune.sweep.grid")) {
            return axes;
        }
        ConfigKeys known = ConfigKeys.reference();
        List<? extends Config> grid;
        try {
            grid = config.getConfigList("fedprune.sweep.grid");
        } catch (ConfigException e) {
            throw new SettingsException("fedprune.sweep.grid: expected a list of {keys = [...], values = [...]} ("
                    + e.getMessage() + ")", e);
        }
        for (int i = 0; i < grid.size(); i++) {
            Config c = grid.get(i);
            List<String> values = new ArrayList<>();
            List<String> keys;
            try {
                for (ConfigValue v : c.getList("values")) {
                    values.add(String.valueOf(v.unwrapped()));
                }
                keys = c.getStringList("keys");
            } catch (ConfigException e) {
                throw new SettingsException("fedprune.sweep.grid[" + i + "]: expected {keys = [...], values = [...]} ("
                        + e.getMessage() + ")", e);
            }
            String origin = "fedprune.sweep.grid[" + i + "].keys, " + ConfigKeys.describe(c.getValue("keys").origin());
            keys.forEach(k -> known.checkSetting(k, origin));
            axes.add(new Axis(keys, values));
        }
        return axes;
    }

    /** Every combination, as key=value assignments. */
    static List<List<String>> product(List<Axis> axes) {
        List<List<String>> out = new ArrayList<>();
        out.add(List.of());
        for (Axis axis : axes) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : out) {
                for (String v : axis.values()) {
                    List<String> row = new ArrayList<>(prefix);
                    for (String k : axis.keys()) {
                        row.add(k + "=" + v);
                    }
                    next.add(row);
                }
            }
            out = next;
        }
        return out;
    }

    private void writeTables(List<Axis> axes, List<List<String>> assignments, List<RunSummary> summaries) {
        StringBuilder csv = new StringBuilder();
        StringBuilder md = new StringBuilder();
        List<String> cols = new ArrayList<>();
        for (Axis a : axes) {
            cols.add(String.join("+", a.keys()));
        }
        List<String> metrics = List.of("final_accuracy", "best_accuracy", "bytes_up", "bytes_down",
                "virtual_time_s", "time_to_target_s", "bytes_to_target");
        csv.append("run,").append(String.join(",", cols)).append(',').append(String.join(",", metrics)).append('\n');
        md.append("| run | ").append(String.join(" | ", cols))
                .append(" | final acc | best acc | MB up | MB down | virtual s | s to target | MB to target |\n");
        md.append("|---".repeat(cols.size() + 8)).append("|\n");
        for (int i = 0; i < summaries.size(); i++) {
            RunSummary s = summaries.get(i);
            List<String> values = new ArrayList<>();
            List<String> row = assignments.get(i);
            int k = 0;
            for (Axis a : axes) {
                String assignment = row.get(k);
                values.add(assignment.substring(assignment.indexOf('=') + 1));
                k += a.keys().size();
            }
            String id = String.format("run-%03d", i + 1);
            csv.append(id).append(',');
            for (String v : values) {
                csv.append('"').append(v.replace("\"", "\"\"")).append("\",");
            }
            csv.append(String.format("%.4f,%.4f,%d,%d,%.1f,%s,%s%n", s.finalAccuracy(), s.bestAccuracy(), s.bytesUp(),
                    s.bytesDown(), s.virtualTimeS(), s.timeToTargetS() == null ? "" : s.timeToTargetS(),
                    s.bytesToTarget() == null ? "" : s.bytesToTarget()));
            md.append("| ").append(id).append(" | ").append(String.join(" | ", values)).append(String.format(
                    " | %.4f | %.4f | %.1f | %.1f | %.1f | %s | %s |%n", s.finalAccuracy(), s.bestAccuracy(),
                    s.bytesUp() / 1e6, s.bytesDown() / 1e6, s.virtualTimeS(),
                    s.timeToTargetS() == null ? "—" : String.format("%.1f", s.timeToTargetS()),
                    s.bytesToTarget() == null ? "—" : String.format("%.1f", s.bytesToTarget() / 1e6)));
        }
        try {
            Files.createDirectories(out);
            Files.writeString(out.resolve("sweep.csv"), csv);
            Files.writeString(out.resolve("sweep.md"), md);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write sweep tables to " + out, e);
        }
    }
}
