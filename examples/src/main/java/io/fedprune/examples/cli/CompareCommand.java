package io.fedprune.examples.cli;

import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.examples.report.ComparisonTable;
import io.fedprune.examples.report.PlotWriter;
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
 * Runs several presets with the same overrides, each in its own folder, one after another or
 * several at once, and writes a time-to-accuracy table (comparison.md / comparison.csv) and
 * combined plots. Runs are seeded and timed on the virtual clock, so running them side by side
 * changes nothing in their results, only the wall time.
 */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Run several presets and write a combined time-to-accuracy table and plots.",
                "Every run folder is checked before the first run starts; folders holding results are refused "
                        + "unless --force. Ctrl-C stops every running run and writes the table of the runs so far."})
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

    @Option(names = "--targets", split = ",", paramLabel = "ACC[,ACC...]",
            description = {"test accuracies for the table: one 'virtual s to ACC' column each, read from every "
                    + "run's evaluated versions (default: each run's own stop.target-accuracy)"})
    List<Double> targets = new ArrayList<>();

    @Option(names = "--baseline", paramLabel = "LABEL",
            description = {"a run of this comparison (its preset or file name without .conf): adds a speed-up "
                    + "column per target, the baseline's virtual time over each run's"})
    String baseline;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "1",
            description = {"runs at once (default ${DEFAULT-VALUE}; at most the number of cores). With N > 1 there "
                    + "are no progress bars, one line per finished run, and each run gets train.workers = cores / N "
                    + "(at least 1) unless --set train.workers is given or its configuration sets it"})
    int parallel;

    @Override
    public Integer call() {
        checkOptions();
        // Validate every configuration and output folder before running any, so a typo in the last
        // preset or a folder holding results fails fast.
        Map<String, RunJob> jobs = jobs();
        if (baseline != null && !jobs.containsKey(baseline)) {
            throw new UsageException("--baseline " + baseline + " is not a run of this comparison; expected one of: "
                    + String.join(", ", jobs.keySet()));
        }
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
        if (parallel > 1) {
            System.out.printf("fedprune: compare: %d runs, up to %d at once%n", jobs.size(), parallel);
        }
        ConcurrentRuns.Outcome done = new ConcurrentRuns(parallel, quiet, cli.stop).run(jobs, dirs);
        PlotWriter.write(out, "comparison", done.runs());
        new ComparisonTable(done.runs(), targets, baseline).write(out);
        System.out.println("fedprune: comparison in " + out.resolve("comparison.md").toAbsolutePath());
        if (done.failure() != null) {
            throw done.failure();
        }
        return done.interrupted() ? FedpruneCli.INTERRUPTED : FedpruneCli.OK;
    }

    private void checkOptions() {
        int cores = Runtime.getRuntime().availableProcessors();
        if (parallel < 1 || parallel > cores) {
            throw new UsageException("--parallel " + parallel + ": this machine has " + cores + " core"
                    + (cores == 1 ? "" : "s") + "; expected 1 to " + cores);
        }
        for (double t : targets) {
            if (!(t > 0 && t <= 1)) {
                throw new UsageException("--targets " + t + ": expected test accuracies in (0, 1], e.g. 0.80,0.85");
            }
        }
    }

    private Map<String, RunJob> jobs() {
        Map<String, RunJob> jobs = new LinkedHashMap<>();
        for (String s : sources) {
            String label = Path.of(s).getFileName().toString().replace(".conf", "");
            RunJob job = RunJob.load(s, overrides, out.resolve(label));
            if (sharesCores(job)) {
                List<String> shared = new ArrayList<>(overrides);
                shared.add("train.workers=" + Math.max(1, Runtime.getRuntime().availableProcessors() / parallel));
                job = RunJob.load(s, shared, out.resolve(label));
            }
            jobs.put(label, job);
        }
        return jobs;
    }

    /** Runs side by side would each start a trainer thread per core: share the cores out instead. */
    private boolean sharesCores(RunJob job) {
        boolean userSet = overrides.stream().map(o -> o.split("=", 2)[0].trim())
                .anyMatch(k -> k.equals("train.workers") || k.equals("fedprune.train.workers"));
        return parallel > 1 && !userSet && job.config().getInt("fedprune.train.workers") == 0;
    }

    @Override
    public List<ExperimentSettings> experiments() {
        return jobs().values().stream().map(RunJob::settings).toList();
    }
}
