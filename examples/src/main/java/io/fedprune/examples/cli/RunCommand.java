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

    @Option(names = "--cluster", description = "run across a running cluster in real time: this JVM joins it "
            + "(--seed-nodes) as the aggregator node; the clients are its client nodes (fedprune node --role client "
            + "--serve), which stay for the next run")
    boolean cluster;

    @Option(names = "--seed-nodes", split = ",", paramLabel = "HOST:PORT", description = "--cluster: the cluster's seed nodes")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--host", description = "--cluster: this node's address (default 127.0.0.1)")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "--cluster: this node's port (default: any free one)")
    int port;

    @Option(names = "--clients", description = "--cluster: clients to wait for before starting (default data.clients)")
    Integer clients;

    @Option(names = "--tls", paramLabel = "DIR", description = "--cluster: mutual TLS with this node's folder from "
            + "scripts/make-certs.sh (the cluster's nodes need it too)")
    Path tls;

    @Option(names = "--timeout-s", description = "--cluster: give up after this many seconds of wall time (default 86400)")
    long timeoutS = 86_400;

    @Mixin
    UiOptions ui = new UiOptions();

    @Override
    public Integer call() throws Exception {
        if (cluster) {
            return clusterRun();
        }
        if (!seeds.isEmpty() || clients != null || tls != null) {
            throw new UsageException("--seed-nodes, --clients, --tls: options of a run across a cluster (--cluster)");
        }
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

    private int clusterRun() throws Exception {
        if (seeds.isEmpty()) {
            throw new UsageException("--cluster needs --seed-nodes HOST:PORT (a node of the running cluster)");
        }
        if (journal) {
            throw new UsageException("--cluster --journal: a restartable aggregator node is "
                    + "'fedprune node PRESET --role aggregator --journal DIR' (docs/DURABILITY.md)");
        }
        if (ui.port != null) {
            throw new UsageException("--cluster --ui: the live page of a cluster run is 'fedprune node --role aggregator --ui'");
        }
        if (port < 0 || port > 65_535) {
            throw new UsageException("--port: expected 0..65535, got " + port);
        }
        List<String> sets = new ArrayList<>(overrides);
        if (clients != null) {
            sets.add("data.clients=" + clients); // the run's client count, as summary.json reports it
        }
        RunJob job = RunJob.load(source, sets, out);
        return ClusterRun.run(job, OutputDir.prepare(job.dir(), force),
                new ClusterRun.Options(host, port, seeds, clients, tls, timeoutS), cli.stop);
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
