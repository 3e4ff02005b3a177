package io.fedprune.examples.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValue;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ConfigKeys;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.examples.report.PlotWriter;
import io.fedprune.examples.report.ResultReader;
import io.fedprune.examples.report.ResultWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Runs the cartesian product of a grid of settings over one preset and writes one table
 * (sweep.csv, sweep.md) and one pair of plots with every run. The grid comes from the preset's
 * {@code fedprune.sweep.grid} list and/or {@code --grid}; one axis may set several keys to the
 * same value (e.g. the same chain uplink and downlink).
 *
 * <p>A sweep resumes: run {@code run-NNN} is skipped when its folder holds a finished run
 * (summary.json with a stop reason other than "interrupted") of the very same resolved
 * configuration (its config.conf); an interrupted or unfinished run is run again from the start.
 * A folder holding a finished run of a different configuration (the grid, preset or --set changed)
 * is refused before any work, never skipped and never silently replaced: --force reruns everything.
 * The table is rewritten after every run, so it always lists the runs finished so far.
 */
@Command(name = "sweep", mixinStandardHelpOptions = true,
        description = {"Run a grid of settings over a preset; write one table and accuracy-vs-bytes plots.",
                "Resumes: runs whose folder already holds a finished run of the same configuration are skipped; "
                        + "a folder holding a finished run of another configuration is refused (--force reruns "
                        + "everything). The table (sweep.csv, sweep.md) is rewritten after every run. Ctrl-C stops "
                        + "the current run; the same command later resumes from it."})
public final class SweepCommand implements Callable<Integer>, FedpruneCli.UsesData {

    @ParentCommand
    FedpruneCli cli;

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

    @Option(names = "--force", description = "do not resume: remove the sweep's earlier results and rerun every run")
    boolean force;

    /** One axis of the grid. */
    record Axis(List<String> keys, List<String> values) {
    }

    /** A finished run of the sweep: its folder name, grid assignment and summary. */
    record Done(String id, List<String> assignment, RunSummary summary) {
    }

    private static final Pattern RUN_DIR = Pattern.compile("run-(\\d{3,})");

    @Override
    public Integer call() {
        List<Axis> axes = axes();
        List<List<String>> runs = product(axes);
        List<RunJob> jobs = jobs(runs); // every configuration validated before running any
        System.out.printf("sweep: %d runs over %s%n", runs.size(), axes);
        if (dryRun) {
            for (int i = 0; i < runs.size(); i++) {
                System.out.printf("sweep: %s %s%n", id(i), runs.get(i));
            }
            return FedpruneCli.OK;
        }
        OutputDir.open(out);
        if (force) {
            clear();
        } else {
            refuseForeignResults(jobs);
        }
        List<Done> done = new ArrayList<>();
        String interruptedAt = null;
        for (int i = 0; i < jobs.size(); i++) {
            RunJob job = jobs.get(i);
            String label = String.format("sweep: %s/%d %s", id(i), runs.size(), runs.get(i));
            if (cli.stop.requested()) {
                interruptedAt = id(i);
                break;
            }
            RunSummary summary;
            if (finished(job)) {
                summary = read(job.dir());
                System.out.println(label + " already finished, skipped");
            } else {
                System.out.println(label);
                summary = job.execute(OutputDir.prepare(job.dir(), true), true, cli.stop);
            }
            if (RunJob.interrupted(summary)) {
                interruptedAt = id(i);
                break;
            }
            done.add(new Done(id(i), runs.get(i), summary));
            writeTables(axes, done);
        }
        Map<String, RunSummary> results = new LinkedHashMap<>();
        done.forEach(d -> results.put(d.id() + " " + String.join(" ", d.assignment()), d.summary()));
        PlotWriter.write(out, "sweep " + source, results);
        if (interruptedAt != null) {
            System.out.printf("sweep: interrupted at %s; %s lists the %d finished runs; the same command resumes%n",
                    interruptedAt, out.resolve("sweep.md"), done.size());
            return FedpruneCli.INTERRUPTED;
        }
        System.out.println("sweep: table in " + out.resolve("sweep.md").toAbsolutePath());
        return FedpruneCli.OK;
    }

    @Override
    public List<ExperimentSettings> experiments() {
        return jobs(product(axes())).stream().map(RunJob::settings).toList();
    }

    private List<Axis> axes() {
        List<Axis> axes = axes(presetAxes(ConfigLoader.load(source, overrides)), grid, overrides);
        if (axes.isEmpty()) {
            throw new SettingsException("sweep: no grid (give --grid or fedprune.sweep.grid in the preset)");
        }
        return axes;
    }

    private List<RunJob> jobs(List<List<String>> runs) {
        List<RunJob> jobs = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            jobs.add(RunJob.load(source, withOverrides(runs.get(i)), out.resolve(id(i))));
        }
        return jobs;
    }

    private static String id(int index) {
        return String.format("run-%03d", index + 1);
    }

    /** A finished run of this job's configuration is in its folder. */
    private static boolean finished(RunJob job) {
        String reason = ResultReader.stopReason(job.dir());
        return reason != null && !reason.equals("interrupted") && Files.exists(job.dir().resolve("rounds.csv"))
                && sameConfig(job);
    }

    private static boolean sameConfig(RunJob job) {
        Path file = job.dir().resolve("config.conf");
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try {
            String written = ResultWriter.renderConfig(ConfigFactory.parseFile(file.toFile()));
            String wanted = ResultWriter.renderConfig(ConfigFactory.parseString(ResultWriter.renderConfig(job.config())));
            return written.equals(wanted);
        } catch (ConfigException e) {
            return false;
        }
    }

    /**
     * Before any work: a run folder holding a finished run of another configuration, or a run folder
     * past the grid's end holding results, would leave old and new results side by side.
     */
    private void refuseForeignResults(List<RunJob> jobs) {
        List<String> foreign = new ArrayList<>();
        for (int i = 0; i < jobs.size(); i++) {
            String reason = ResultReader.stopReason(jobs.get(i).dir());
            if (reason != null && !reason.equals("interrupted") && !sameConfig(jobs.get(i))) {
                foreign.add(id(i) + " (a finished run of a different configuration)");
            }
        }
        for (Path d : runDirs()) {
            Matcher m = RUN_DIR.matcher(d.getFileName().toString());
            if (m.matches() && Integer.parseInt(m.group(1)) > jobs.size() && !OutputDir.existingResults(d).isEmpty()) {
                foreign.add(d.getFileName() + " (not in this grid of " + jobs.size() + " runs)");
            }
        }
        if (!foreign.isEmpty()) {
            throw new OutputException("sweep folder " + out + " holds results this sweep would not produce: "
                    + String.join(", ", foreign) + "; add --force to rerun the whole sweep, or choose another --out");
        }
    }

    /** --force: the sweep's tables and plots and every run folder's results go before any run starts. */
    private void clear() {
        for (String f : List.of("sweep.csv", "sweep.md", "accuracy_vs_time.png", "accuracy_vs_bytes.png")) {
            try {
                Files.deleteIfExists(out.resolve(f));
            } catch (IOException e) {
                throw new OutputException("sweep folder " + out + ": cannot remove the old " + f + " ("
                        + OutputDir.reason(e) + ")", e);
            }
        }
        runDirs().forEach(OutputDir::removeResults);
    }

    private List<Path> runDirs() {
        try (Stream<Path> s = Files.list(out)) {
            return s.filter(p -> Files.isDirectory(p) && RUN_DIR.matcher(p.getFileName().toString()).matches())
                    .sorted().toList();
        } catch (IOException e) {
            throw new OutputException("sweep folder " + out + " cannot be listed (" + OutputDir.reason(e) + ")", e);
        }
    }

    private static RunSummary read(Path dir) {
        try {
            return ResultReader.read(dir);
        } catch (IOException | RuntimeException e) {
            throw new OutputException(dir + " holds a summary.json that cannot be read back (" + e.getMessage()
                    + "); remove that folder or add --force", e);
        }
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

    /** Rewrites sweep.csv and sweep.md with the runs finished so far (each replaced atomically). */
    private void writeTables(List<Axis> axes, List<Done> done) {
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
        for (Done d : done) {
            RunSummary s = d.summary();
            List<String> values = new ArrayList<>();
            int k = 0;
            for (Axis a : axes) {
                String assignment = d.assignment().get(k);
                values.add(assignment.substring(assignment.indexOf('=') + 1));
                k += a.keys().size();
            }
            csv.append(d.id()).append(',');
            for (String v : values) {
                csv.append('"').append(v.replace("\"", "\"\"")).append("\",");
            }
            csv.append(String.format("%.4f,%.4f,%d,%d,%.1f,%s,%s%n", s.finalAccuracy(), s.bestAccuracy(), s.bytesUp(),
                    s.bytesDown(), s.virtualTimeS(), s.timeToTargetS() == null ? "" : s.timeToTargetS(),
                    s.bytesToTarget() == null ? "" : s.bytesToTarget()));
            md.append("| ").append(d.id()).append(" | ").append(String.join(" | ", values)).append(String.format(
                    " | %.4f | %.4f | %.1f | %.1f | %.1f | %s | %s |%n", s.finalAccuracy(), s.bestAccuracy(),
                    s.bytesUp() / 1e6, s.bytesDown() / 1e6, s.virtualTimeS(),
                    s.timeToTargetS() == null ? "—" : String.format("%.1f", s.timeToTargetS()),
                    s.bytesToTarget() == null ? "—" : String.format("%.1f", s.bytesToTarget() / 1e6)));
        }
        replace(out.resolve("sweep.csv"), csv.toString());
        replace(out.resolve("sweep.md"), md.toString());
    }

    private static void replace(Path file, String text) {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.writeString(tmp, text);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
