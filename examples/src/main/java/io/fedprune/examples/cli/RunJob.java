package io.fedprune.examples.cli;

import com.typesafe.config.Config;
import io.fedprune.actors.experiment.ExperimentRunner;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.actors.experiment.RunHandle;
import io.fedprune.actors.monitor.RunEvent;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.examples.report.PlotWriter;
import io.fedprune.examples.report.ResultWriter;
import io.fedprune.examples.report.RoundsCsvWriter;
import com.typesafe.config.ConfigValueFactory;
import io.fedprune.actors.experiment.JournalSettings;
import io.fedprune.actors.experiment.SettingsException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One experiment as the CLI runs it, in two steps so that commands running several can check
 * everything before starting any: {@link #load} resolves and validates the configuration and checks
 * that the data files are there; {@link #execute} writes config.conf, then rounds.csv row by row as
 * versions are evaluated, then summary.json and the plots, also when the run is interrupted.
 */
record RunJob(Config config, ExperimentSettings settings, Path dir) {

    /** @param out the output folder, or null for results/NAME */
    static RunJob load(String source, List<String> overrides, Path out) {
        Config config = ConfigLoader.load(source, overrides);
        ExperimentSettings settings = ExperimentSettings.fromConfig(config);
        DataCheck.require(settings);
        return new RunJob(config, settings, out != null ? out : Path.of("results", settings.name()));
    }

    /**
     * This run with its server's inputs journaled (docs/DURABILITY.md): on an H2 file in
     * {@code DIR/journal} unless the configuration names another store. Refused in one line for
     * runs the journal does not cover yet.
     */
    RunJob journaled() {
        RunJob job = journalIn(dir);
        String refusal = job.journal().refusal(job.settings());
        if (refusal != null) {
            throw new SettingsException(refusal);
        }
        return job;
    }

    /** This run's configuration with a journal: H2 unless another store is set, its file in {@code folder/journal}. */
    RunJob journalIn(Path folder) {
        Config c = config;
        if (JournalSettings.fromConfig(c).store() == JournalSettings.Store.OFF) {
            c = c.withValue("fedprune.journal.store", ConfigValueFactory.fromAnyRef("h2"));
        }
        JournalSettings j = JournalSettings.fromConfig(c);
        if (j.store() == JournalSettings.Store.H2 && j.path().isBlank()) {
            c = c.withValue("fedprune.journal.path", ConfigValueFactory.fromAnyRef(
                    folder.resolve("journal").toAbsolutePath().normalize().toString()));
        }
        return new RunJob(c, ExperimentSettings.fromConfig(c), dir);
    }

    JournalSettings journal() {
        return JournalSettings.fromConfig(config);
    }

    /** What identifies the run in its journal: a digest of its resolved configuration (config.conf). */
    String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(
                    ResultWriter.renderConfig(config).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** What a run prints on the console. */
    enum Console {
        /** a progress bar and a line before and after */
        PROGRESS,
        /** the lines before and after, no bar */
        LINES,
        /** nothing: runs side by side would interleave; the caller reports each */
        SILENT
    }

    /** Runs in {@code out} (already checked by {@link OutputDir}); the summary says if it was interrupted. */
    RunSummary execute(OutputDir out, boolean quiet, StopSignal stop) {
        return execute(out, quiet, stop, ProgressListener.NONE);
    }

    /** As {@link #execute(OutputDir, boolean, StopSignal)}, told to {@code watcher} too (a live page). */
    RunSummary execute(OutputDir out, boolean quiet, StopSignal stop, ProgressListener watcher) {
        return execute(out, quiet ? Console.LINES : Console.PROGRESS, stop, watcher);
    }

    RunSummary execute(OutputDir out, Console console, StopSignal stop) {
        return execute(out, console, stop, ProgressListener.NONE);
    }

    RunSummary execute(OutputDir out, Console console, StopSignal stop, ProgressListener watcher) {
        Path dir = out.path();
        ExperimentSettings s = settings;
        RunSummary summary;
        RoundsCsvWriter rounds = new RoundsCsvWriter(dir.resolve("rounds.csv"));
        try {
            ResultWriter.writeConfig(dir, config);
            if (console != Console.SILENT) {
                System.out.printf("fedprune: %s — %s on %s, %d clients, %s, %s%n", s.name(), s.algorithm().name(),
                        s.data().dataset(), s.data().clients(), s.data().partitioner().describe(),
                        s.model().name().toLowerCase());
                if (s.attackers().active()) {
                    System.out.printf("fedprune: malicious clients %s upload %s (factor %s)%n",
                            java.util.Arrays.toString(Experiment.attackerIds(s)), s.attackers().attack().kind(),
                            s.attackers().attack().factor());
                }
            }
            RunHandle handle = stop.newRun();
            JournalSettings journal = journal();
            try (ConsoleProgress progress = new ConsoleProgress(s, console != Console.PROGRESS)) {
                summary = ExperimentRunner.run(s, new ProgressListener() {
                    @Override
                    public void onRound(RoundRecord r) {
                        rounds.onRound(r); // the file first: it is what survives
                        progress.onRound(r);
                        watcher.onRound(r);
                    }

                    @Override
                    public void onFinish(RunSummary summary) {
                        watcher.onFinish(summary);
                    }

                    @Override
                    public Consumer<RunEvent> runEvents() {
                        return watcher.runEvents();
                    }

                    @Override
                    public void onFinalModel(long version, byte[] model) {
                        if (journal.enabled()) { // what the resume drill compares, bit for bit
                            ResultWriter.writeModel(dir, model);
                        }
                    }

                    @Override
                    public void onJournal(long recovered, long recalled, long appended, double caughtUp) {
                        if (console != Console.SILENT) {
                            System.out.printf("fedprune: journal %s: %d inputs at start (%d updates taken from it "
                                    + "instead of training%s), %d appended%n", journal.describe(), recovered, recalled,
                                    Double.isNaN(caughtUp) ? "" : String.format(", made again in %.1f s wall", caughtUp),
                                    appended);
                        }
                    }
                }, handle, journal, fingerprint());
                rounds.finish();
            } finally {
                stop.ended(handle);
                rounds.close();
            }
        } catch (RuntimeException e) {
            out.discardIfUnused();
            throw e;
        }
        ResultWriter.writeSummary(dir, summary, PeakMemory.peakRssMb());
        PlotWriter.write(dir, s.name(), Map.of(s.algorithm().name(), summary));
        if (rounds.failure() != null) {
            throw new OutputException("output folder " + dir + ": rounds.csv could not be written after "
                    + rounds.rowsWritten() + " rows (" + OutputDir.reason(rounds.failure()) + ")", rounds.failure());
        }
        if (console == Console.SILENT) {
            return summary;
        }
        if (summary.history().isEmpty()) {
            System.out.printf("fedprune: %s before any version was evaluated%n", summary.stopReason());
        } else {
            printOutcome(summary);
        }
        System.out.println("fedprune: results in " + dir.toAbsolutePath());
        return summary;
    }

    private static void printOutcome(RunSummary summary) {
        System.out.printf("fedprune: %s after %d versions: final accuracy %.4f (best %.4f), virtual time %.1f s, "
                        + "wall %.1f s, up %.1f MB, down %.1f MB%s%n", summary.stopReason(), summary.rounds(),
                summary.finalAccuracy(), summary.bestAccuracy(), summary.virtualTimeS(), summary.wallTimeS(),
                summary.bytesUp() / 1e6, summary.bytesDown() / 1e6,
                summary.timeToTargetS() == null ? "" : String.format(", target %.2f reached at %.1f s",
                        summary.targetAccuracy(), summary.timeToTargetS()));
    }

    /** Why a finished run learned nothing usable, or null if it did. */
    static String failure(RunSummary s) {
        if (s.updatesAccepted() == 0 && s.updatesRejected() > 0) {
            return "every one of the " + s.updatesRejected() + " client updates was rejected (the warnings above "
                    + "say why); the global model never changed";
        }
        if (s.stopReason().equals("aggregator-gave-up") || s.stopReason().equals("aggregator-failed")
                || s.stopReason().equals("stalled")) {
            return "the run ended early (" + s.stopReason() + "; the log above says why) after " + s.rounds()
                    + " versions";
        }
        return null;
    }

    static boolean interrupted(RunSummary s) {
        return "interrupted".equals(s.stopReason());
    }
}
