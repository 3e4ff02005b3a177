package io.fedprune.examples.cli;

import io.fedprune.actors.journal.ServerRecovery;
import io.fedprune.examples.report.ResultWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The journal folder of a real-time aggregator node ({@code fedprune node --role aggregator
 * --journal DIR}): the run's resolved configuration ({@code config.conf}, which {@code fedprune
 * journal DIR} reads) and, with H2, the database. Started again on the same folder after a crash,
 * the node carries on from its journal; a folder of another run is refused.
 */
record NodeJournal(Path dir, String persistenceId, String fingerprint, String where) {

    /** For every read and write of the journal; a write not confirmed in time stops the aggregator. */
    static final Duration DEADLINE = Duration.ofSeconds(30);

    static NodeJournal open(Path dir, RunJob job) {
        String config = ResultWriter.renderConfig(job.config());
        Path file = dir.resolve("config.conf");
        try {
            Files.createDirectories(dir);
            if (Files.isRegularFile(file) && !Files.readString(file).equals(config)) {
                throw new OutputException("--journal " + dir + " holds the journal of another run (its config.conf "
                        + "differs from this one's); use another folder, or the same preset and settings");
            }
            if (!Files.isRegularFile(file)) {
                Files.writeString(file, config);
            }
        } catch (IOException e) {
            throw new OutputException("--journal " + dir + ": cannot write " + file + ": " + e.getMessage());
        }
        return new NodeJournal(dir, job.journal().persistenceId(job.settings().name()), job.fingerprint(),
                job.journal().describe());
    }

    /** One console line: a new journal, or where a restart picked up. */
    String describe(ServerRecovery.Recovered r) {
        if (r.inputs() == 0) {
            return "fedprune: journal " + where + ": a new run, every input journaled before it is acted on";
        }
        return String.format("fedprune: journal %s: restarted from %d inputs at version %d (so far %d updates "
                + "accepted, %d rejected, %d stale); in-flight work of %d client(s) released", where, r.inputs(),
                r.version(), r.stats().accepted(), r.stats().rejected(), r.stats().stale(), r.released().size());
    }
}
