package io.fedprune.examples.cli;

import io.fedprune.actors.experiment.ExperimentSettings;
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
import picocli.CommandLine.ParentCommand;

/**
 * Runs several presets with the same overrides, one after another, and writes each run's outputs
 * in its own folder plus a combined table (comparison.md) and combined plots.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run several presets and write a combined table and plots.",
                "Every run folder is checked before the first run starts; folders holding results are refused "
                        + "unless --force. Ctrl-C stops the current run and writes the table of the runs so far."})
public final class CompareCommand implements Callable<Integer>, FedpruneCli.UsesData {

    @ParentCommand
    FedpruneCli cli;

    @Parameters(arity = "2..*", paramLabel = "PRESET|FILE.conf")
    List<String> sources;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override applied to every run")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", required = true)
    Path out;

    @Option(names = "--force", description = "replace the results earlier runs left in the run folders")
    boolean force;

    @Option(names = "--quiet", description = "no progress bars")
    boolean quiet;

    @Override
    public Integer call() {
        // Validate every configuration and output folder before running any, so a typo in the last
        // preset or a folder holding results fails fast.
        Map<String, RunJob> jobs = jobs();
        OutputDir.open(out);
        if (!force) {
            for (RunJob j : jobs.values()) {
                if (!OutputDir.existingResults(j.dir()).isEmpty()) {
                    OutputDir.prepare(j.dir(), false); // throws, naming the folder
                }
            }
        }
        Map<String, OutputDir> dirs = new LinkedHashMap<>();
        jobs.forEach((label, j) -> dirs.put(label, OutputDir.prepare(j.dir(), force)));
        Map<String, RunSummary> runs = new LinkedHashMap<>();
        boolean interrupted = false;
        for (Map.Entry<String, RunJob> e : jobs.entrySet()) {
            if (cli.stop.requested()) {
                interrupted = true;
                break;
            }
            RunSummary s = e.getValue().execute(dirs.get(e.getKey()), quiet, cli.stop);
            runs.put(e.getKey(), s);
            if (RunJob.interrupted(s)) {
                interrupted = true;
                break;
            }
        }
        PlotWriter.write(out, "comparison", runs);
        writeTable(out.resolve("comparison.md"), runs);
        System.out.println("fedprune: comparison in " + out.resolve("comparison.md").toAbsolutePath());
        return interrupted ? FedpruneCli.INTERRUPTED : FedpruneCli.OK;
    }

    private Map<String, RunJob> jobs() {
        Map<String, RunJob> jobs = new LinkedHashMap<>();
        for (String s : sources) {
            String label = Path.of(s).getFileName().toString().replace(".conf", "");
            jobs.put(label, RunJob.load(s, overrides, out.resolve(label)));
        }
        return jobs;
    }

    @Override
    public List<ExperimentSettings> experiments() {
        return jobs().values().stream().map(RunJob::settings).toList();
    }

    static void writeTable(Path file, Map<String, RunSummary> runs) {
        StringBuilder b = new StringBuilder();
        b.append("| run | algorithm | versions | final acc | best acc | virtual time (s) | time to target (s) "
                + "| MB to target | MB up | MB down | stop |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        for (Map.Entry<String, RunSummary> e : runs.entrySet()) {
            RunSummary s = e.getValue();
            b.append(String.format("| %s | %s | %d | %.4f | %.4f | %.1f | %s | %s | %.1f | %.1f | %s |%n", e.getKey(),
                    s.algorithm(), s.rounds(), s.finalAccuracy(), s.bestAccuracy(), s.virtualTimeS(),
                    s.timeToTargetS() == null ? "—" : String.format("%.1f", s.timeToTargetS()),
                    s.bytesToTarget() == null ? "—" : String.format("%.1f", s.bytesToTarget() / 1e6),
                    s.bytesUp() / 1e6, s.bytesDown() / 1e6, s.stopReason()));
        }
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, b.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
