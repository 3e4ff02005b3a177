package io.fedprune.examples.cli;

import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.core.metrics.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code fedprune run PRESET|FILE.conf [--set key=value]... [--out DIR] [--force]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run one experiment from a preset or a .conf file and write its results.",
                "Writes config.conf, then rounds.csv a row per evaluated version as it is evaluated, then "
                        + "summary.json and plots. The output folder is checked before any work; one holding an "
                        + "earlier run's results is refused unless --force. Ctrl-C stops the run and writes the "
                        + "results so far (stop_reason \"interrupted\", exit code 130)."})
public final class RunCommand implements Callable<Integer>, FedpruneCli.UsesData {

    @ParentCommand
    FedpruneCli cli;

    @Parameters(index = "0", paramLabel = "PRESET|FILE.conf", description = "a preset name (see 'fedprune list') or a config file")
    String source;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a setting, e.g. --set data.clients=50")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default results/<name>)")
    Path out;

    @Option(names = "--force", description = "replace the results an earlier run left in the output folder")
    boolean force;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Option(names = "--journal", description = "journal the server's inputs (an H2 file in DIR/journal unless "
            + "fedprune.journal names another store) so that 'fedprune resume DIR' can finish a killed run exactly "
            + "as it would have ended (docs/DURABILITY.md)")
    boolean journal;

    @Mixin
    UiOptions ui = new UiOptions();

    @Override
    public Integer call() {
        RunJob job = job();
        Path journal = job.dir().resolve("journal");
        if (job.journal().enabled() && Files.isDirectory(journal)
                && Path.of(job.journal().path()).equals(journal.toAbsolutePath().normalize())) {
            if (!force) {
                throw new OutputException("output folder " + job.dir() + " holds the journal of an earlier run; "
                        + "'fedprune resume " + job.dir() + "' finishes that run, or add --force to start over");
            }
            OutputDir.removeTree(journal);
        }
        return runOne(job, force, quiet, cli.stop, ui);
    }

    private RunJob job() {
        RunJob job = RunJob.load(source, overrides, out);
        return journal || job.journal().enabled() ? job.journaled() : job;
    }

    @Override
    public List<ExperimentSettings> experiments() {
        return List.of(job().settings());
    }

    /** Checks the output folder, runs, writes; the exit code. */
    static int runOne(RunJob job, boolean force, boolean quiet, StopSignal stop, UiOptions ui) {
        RunSummary summary;
        try (UiOptions.LivePage page = ui.open(job)) { // before the folder: a taken port changes nothing
            summary = job.execute(OutputDir.prepare(job.dir(), force), quiet, stop,
                    page == null ? ProgressListener.NONE : page.state());
        }
        if (RunJob.interrupted(summary)) {
            return FedpruneCli.INTERRUPTED;
        }
        String failure = RunJob.failure(summary);
        if (failure != null) {
            throw new RunFailedException(failure);
        }
        return FedpruneCli.OK;
    }
}
