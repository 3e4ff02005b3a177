package io.fedprune.examples.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedprune.actors.experiment.ExperimentSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code fedprune resume DIR}: finishes a journaled run that was killed or interrupted. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = {"Finish a journaled run ('fedprune run ... --journal') that was killed or interrupted, from its "
                + "journal: the run starts again from DIR/config.conf, its clients take every update the journal holds "
                + "instead of training it again, and it ends with the final model and rounds.csv (apart from "
                + "wall_time_s) of the same run uninterrupted. rounds.csv, summary.json and the plots are written "
                + "again; the journal grows with the rest of the run. A finished run is refused."})
public final class ResumeCommand implements Callable<Integer>, FedpruneCli.UsesData {

    @ParentCommand
    FedpruneCli cli;

    @Parameters(index = "0", paramLabel = "DIR", description = "the output folder of a journaled run")
    Path dir;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Mixin
    UiOptions ui = new UiOptions();

    @Override
    public Integer call() {
        RunJob job = job();
        String finished = finishedReason(dir);
        if (finished != null) {
            throw new OutputException("output folder " + dir + " holds a finished run (stop reason " + finished
                    + "); nothing to resume");
        }
        OutputDir.removeResults(dir, "config.conf"); // written again, identical, by the run
        return RunCommand.runOne(job, false, quiet, cli.stop, ui);
    }

    private RunJob job() {
        Path config = dir.resolve("config.conf");
        if (!Files.isRegularFile(config)) {
            throw new OutputException("output folder " + dir + " holds no config.conf; expected the folder of a run "
                    + "started with 'fedprune run ... --journal'");
        }
        RunJob job = RunJob.load(config.toString(), List.of(), dir);
        if (!job.journal().enabled()) {
            throw new OutputException("output folder " + dir + ": its run was not journaled (fedprune.journal.store "
                    + "= off); only a run started with --journal can be resumed");
        }
        return job.journaled();
    }

    /** The stop reason of a finished run in {@code dir}, or null if none finished there. */
    static String finishedReason(Path dir) {
        Path summary = dir.resolve("summary.json");
        if (!Files.exists(summary)) {
            return null;
        }
        try {
            JsonNode reason = new ObjectMapper().readTree(summary.toFile()).get("stop_reason");
            String r = reason == null ? null : reason.asText();
            return r == null || r.equals("interrupted") ? null : r;
        } catch (IOException e) {
            return null; // half-written by a killed run: not finished
        }
    }

    @Override
    public List<ExperimentSettings> experiments() {
        return List.of(job().settings());
    }
}
