package io.fedprune.examples.cli;

import com.typesafe.config.Config;
import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.embed.FederatedAggregator;
import io.fedprune.actors.embed.VersionReport;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.metrics.UpdatesPerClient;
import io.fedprune.examples.report.PlotWriter;
import io.fedprune.examples.report.ResultWriter;
import io.fedprune.examples.report.RoundsCsvWriter;
import io.fedprune.serialization.FedpruneConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * {@code fedprune run PRESET --cluster --seed-nodes HOST:PORT}: the experiment across a running
 * cluster, in real time. This JVM joins the cluster as its aggregator node, waits for the preset's
 * clients on the client nodes there ({@code fedprune node --role client --serve}, which stay for the
 * next run), runs the preset's strategy to {@code stop.max-rounds}, and writes the output folder a
 * run writes: config.conf, rounds.csv (a row per scored version, virtual time = wall time),
 * summary.json, the plot and final-model.bin. Ctrl-C writes what it has ("interrupted").
 */
final class ClusterRun {
    private static final Duration ASK = Duration.ofSeconds(30);

    /** Where this node joins, and how long it waits. */
    record Options(String host, int port, List<String> seeds, Integer clients, Path tls, long timeoutS) {
    }

    private ClusterRun() {
    }

    static int run(RunJob job, OutputDir out, Options o, StopSignal stop) throws Exception {
        ExperimentSettings s = job.settings();
        Dataset test = Experiment.testSet(s);
        Dataset validation = s.data().validationSamples() > 0
                ? Experiment.validationSet(s, Experiment.trainingSet(s)) : null;
        int n = o.clients() != null ? o.clients() : s.data().clients();
        Config node = FedpruneConfig.cluster(o.host(), o.port(), o.seeds(), List.of("aggregator"));
        node = NodeCommand.withTls(node, o.tls());
        Path dir = out.path();
        ResultWriter.writeConfig(dir, job.config());
        List<RoundRecord> history = new CopyOnWriteArrayList<>();
        String reason;
        Aggregator.Totals totals;
        byte[] model;
        long started = System.nanoTime();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "fedprune", node);
        try (RoundsCsvWriter rounds = new RoundsCsvWriter(dir.resolve("rounds.csv"));
             FederatedAggregator agg = NodeCommand.aggregatorBuilder(job, test, validation, n, v -> {
                 RoundRecord r = new RoundRecord(v.version(), v.wallSeconds(), v.wallSeconds(), v.accuracy(), v.loss(),
                         v.bytesUp(), v.bytesDown(), Map.of("participants", (double) v.participants()));
                 rounds.onRound(r); // the file first: it is what survives
                 history.add(r);
                 System.out.println(v.describe());
             }).build()) {
            agg.spawn(system);
            System.out.printf("fedprune: %s — %s across the cluster of %s: aggregator node at %s:%d, waiting for "
                    + "%d client(s)%n", s.name(), s.algorithm().name(), String.join(",", o.seeds()), o.host(),
                    system.address().getPort().orElse(0), n);
            Object end;
            try {
                end = CompletableFuture.anyOf(agg.finished().toCompletableFuture(), stop.whenRequested()).get(o.timeoutS(),
                        TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new RunFailedException(e.getCause().getMessage());
            } catch (TimeoutException e) {
                throw new RunFailedException("no end within --timeout-s " + o.timeoutS());
            }
            reason = end instanceof VersionReport ? "max-rounds" : "interrupted";
            totals = agg.stop(ASK).toCompletableFuture().get(ASK.toSeconds() + 5, TimeUnit.SECONDS);
            model = agg.model(ASK).toCompletableFuture().get(ASK.toSeconds() + 5, TimeUnit.SECONDS).model();
            rounds.finish();
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
        double wall = (System.nanoTime() - started) / 1e9;
        RunSummary summary = RunSummary.of(s.algorithm().name(), s.data().dataset(), n, s.seed(),
                s.stop().targetAccuracy(), history, wall, wall, totals.bytesUp(), totals.bytesDown(), reason,
                totals.stats().accepted(), totals.stats().rejected(), 0, UpdatesPerClient.of(totals.updatesPerClient()),
                totals.traffic());
        ResultWriter.writeSummary(dir, summary, PeakMemory.peakRssMb());
        ResultWriter.writeModel(dir, model);
        PlotWriter.write(dir, s.name(), Map.of(s.algorithm().name(), summary));
        System.out.printf("fedprune: %s after %d versions: final accuracy %.4f (best %.4f), wall %.1f s, "
                        + "up %.1f MB, down %.1f MB; updates accepted %d, rejected %d, stale %d%n", reason,
                summary.rounds(), summary.finalAccuracy(), summary.bestAccuracy(), wall, summary.bytesUp() / 1e6,
                summary.bytesDown() / 1e6, totals.stats().accepted(), totals.stats().rejected(), totals.stats().stale());
        System.out.println("fedprune: results in " + dir.toAbsolutePath());
        return end(reason);
    }

    private static int end(String reason) {
        return "interrupted".equals(reason) ? FedpruneCli.INTERRUPTED : FedpruneCli.OK;
    }
}
