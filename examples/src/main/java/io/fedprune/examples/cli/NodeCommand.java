package io.fedprune.examples.cli;

import io.fedprune.actors.embed.ClientData;
import io.fedprune.actors.embed.FederatedAggregator;
import io.fedprune.actors.embed.FederatedClient;
import io.fedprune.actors.embed.VersionReport;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.actors.monitor.RunEvent;
import io.fedprune.actors.monitor.RunMonitor;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.server.ServerStats;
import com.typesafe.config.Config;
import io.fedprune.serialization.FedpruneConfig;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code fedprune node PRESET --role aggregator|client ...}: one node of a Pekko Cluster running a
 * preset in real time, on the embedding API. The aggregator node is the seed by default, runs the
 * preset's strategy once {@code --clients} clients joined, scores every version on the preset's test
 * set and exits at {@code stop.max-rounds}. A client node trains client {@code --id} (or several) on its own IDX
 * folder ({@code --data}) or, by default, on the shard an experiment of the preset would give it,
 * and exits when the aggregator is gone. {@code scripts/local-cluster.sh} starts one of each kind.
 */
@Command(name = "node", mixinStandardHelpOptions = true,
        description = {"Run one node of a cluster experiment in real time: the aggregator, or one client.",
                "Nodes find each other through the cluster (seed nodes) and the Receptionist. A client node "
                        + "that stops is a dropout; the aggregator node's end stops every client node."})
public final class NodeCommand implements Callable<Integer>, FedpruneCli.UsesData {

    enum Role { aggregator, client }

    @Parameters(index = "0", paramLabel = "PRESET|FILE.conf", description = "the experiment's preset or config file")
    String source;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a setting")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--role", required = true, description = "aggregator or client")
    Role role;

    @Option(names = "--host", description = "this node's address (default 127.0.0.1)")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "this node's port (default: 25520 for the aggregator, any free one for a client)")
    Integer port;

    @Option(names = "--seed-nodes", split = ",", paramLabel = "HOST:PORT",
            description = "the cluster's seed nodes (default for the aggregator: itself; required for a client)")
    List<String> seeds = new ArrayList<>();

    @Option(names = "--clients", description = "aggregator: clients to wait for before starting (default data.clients)")
    Integer clients;

    @Option(names = "--id", split = ",", paramLabel = "N", description = "client: its id, 0..data.clients-1; "
            + "several (--id 0,1,2) put several clients on this node (each with its own trainer)")
    List<Integer> ids = new ArrayList<>();

    @Option(names = "--data", paramLabel = "DIR", description = "client: its own IDX folder (default: its shard of the preset's data)")
    Path data;

    @Option(names = "--timeout-s", description = "give up after this many seconds of wall time (default 86400)")
    long timeoutS = 86_400;

    @Option(names = "--tls", paramLabel = "DIR", description = "mutual TLS between nodes with this node's folder "
            + "from scripts/make-certs.sh (keystore.p12, truststore.p12, password); every node of the cluster needs it")
    Path tls;

    @Option(names = "--management-port", paramLabel = "PORT", description = "serve Pekko Management's health "
            + "endpoints (/alive, /ready, /cluster/members) on --host:PORT (default: off; 0: any free port)")
    Integer managementPort;

    @Option(names = "--journal", paramLabel = "DIR", description = "aggregator: journal every input of the server "
            + "before acting on it (H2 in DIR/journal unless fedprune.journal names PostgreSQL); started again with "
            + "the same DIR after a crash, it carries on from the journal (fedasync, fedbuff, fedfix)")
    Path journal;

    @Option(names = "--serve", description = "client: stay up when the aggregator is gone and serve the next one "
            + "(a restarted aggregator, or the next 'fedprune run --cluster'); stop it with Ctrl-C or SIGTERM")
    boolean serve;

    @Mixin
    UiOptions ui = new UiOptions();

    @ParentCommand
    FedpruneCli parent;

    /** Completes on Ctrl-C / SIGTERM (never without the CLI around it). */
    private CompletableFuture<Void> stopped = new CompletableFuture<>();

    @Override
    public List<ExperimentSettings> experiments() {
        return data != null ? List.of() : List.of(RunJob.load(source, overrides, null).settings());
    }

    @Override
    public Integer call() throws Exception {
        List<String> settings = new ArrayList<>(overrides);
        if (role == Role.aggregator && clients != null) {
            settings.add("data.clients=" + clients); // the run's client count, as the live page lists it
        }
        RunJob job = RunJob.load(source, settings, null);
        if (role == Role.client && (ids.isEmpty() || seeds.isEmpty())) {
            throw new UsageException("node --role client needs --id N and --seed-nodes HOST:PORT");
        }
        if (role == Role.client && journal != null) {
            throw new UsageException("--journal: the journal is the aggregator node's (node --role aggregator --journal DIR)");
        }
        if (role == Role.aggregator && serve) {
            throw new UsageException("--serve: a client node's option (the aggregator node ends with its run)");
        }
        NodeJournal durable = null;
        if (journal != null) {
            job = job.journalIn(journal);
            String refusal = job.journal().nodeRefusal(job.settings());
            if (refusal != null) {
                throw new SettingsException(refusal);
            }
            durable = NodeJournal.open(journal, job);
        }
        if (role == Role.client && ui.port != null) {
            throw new UsageException("--ui: the live page is the aggregator node's (node --role aggregator --ui)");
        }
        ExperimentSettings s = job.settings();
        // the data first: a bad id or folder is an error before this node joins anything
        List<ClientData> own = new ArrayList<>();
        Dataset test = null;
        Dataset validation = null;
        if (role == Role.client) {
            if (data != null && ids.size() > 1) {
                throw new UsageException("--data: one client's folder; with several --id each trains its shard");
            }
            if (ids.stream().distinct().count() < ids.size()) {
                throw new UsageException("--id: each client once, got " + ids);
            }
            Dataset all = data != null ? null : Experiment.trainingSet(s);
            for (int id : ids) {
                own.add(data != null ? ClientData.idxFolder(data) : ClientData.of(Experiment.clientShard(s, all, id)));
            }
        } else {
            test = Experiment.testSet(s);
            // held out of the training set as an experiment would, for strategies that steer by it (PR-FL)
            validation = s.data().validationSamples() > 0 ? Experiment.validationSet(s, Experiment.trainingSet(s))
                    : null;
        }
        int p = port != null ? port : role == Role.aggregator ? 25520 : 0;
        List<String> seedNodes = !seeds.isEmpty() ? seeds : List.of(host + ":" + p);
        Config node = FedpruneConfig.cluster(host, p, seedNodes, List.of(role.name()));
        if (durable != null) {
            node = job.journal().pekkoConfig().withFallback(node);
        }
        node = withTls(node, tls);
        Integer mport = managementPort;
        if (mport != null && (mport < 0 || mport > 65_535)) {
            throw new UsageException("--management-port: expected 0..65535, got " + mport);
        }
        if (mport != null) {
            node = NodeManagement.config(node, host, mport);
        }
        UiOptions.LivePage page = role == Role.aggregator ? ui.open(job) : null; // a taken port: before joining
        if (parent != null) {
            stopped = parent.stop.whenRequested();
        }
        ActorSystem<Void> system;
        try {
            system = ActorSystem.create(Behaviors.empty(), "fedprune", node);
        } catch (IllegalStateException e) {
            if (stopped.isDone()) { // Ctrl-C while starting: the JVM's shutdown refuses the system's hook
                System.err.println("fedprune: stopped before joining the cluster");
                return FedpruneCli.RUN_FAILED;
            }
            throw e;
        }
        try {
            if (mport != null) {
                URI at = NodeManagement.start(system);
                System.out.printf("fedprune: health endpoints at %sready and %salive%n", at, at);
            }
            return role == Role.aggregator ? aggregator(job, system, test, validation, page, durable)
                    : client(job, system, own);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            if (page != null) {
                page.close();
            }
        }
    }

    private int aggregator(RunJob job, ActorSystem<Void> system, Dataset test, Dataset validation,
                           UiOptions.LivePage page, NodeJournal durable) throws Exception {
        ExperimentSettings s = job.settings();
        int n = clients != null ? clients : s.data().clients();
        NodePage live = page == null ? null : new NodePage(page.state(), s, test.name(), n);
        if (live != null) {
            // what this node sees of the clients: work sent, answers, dropouts (training happens on theirs)
            RunMonitor.get(system).attach(page.state().runEvents());
        }
        FederatedAggregator.Builder builder = aggregatorBuilder(job, test, validation, n, v -> {
            System.out.println(v.describe());
            if (live != null) {
                live.onVersion(v);
            }
        });
        if (durable != null) {
            builder.journal(durable.persistenceId(), durable.fingerprint(), NodeJournal.DEADLINE);
        }
        try (FederatedAggregator agg = builder.build()) {
            try {
                agg.spawn(system);
            } catch (IllegalStateException e) {
                if (durable == null) {
                    throw e;
                }
                // another run's journal, a database that does not answer, a journal this code cannot fold
                System.err.println("fedprune: --journal " + durable.dir() + ": " + e.getMessage());
                return FedpruneCli.RUN_FAILED;
            }
            if (durable != null) {
                System.out.println(durable.describe(agg.recovered()));
            }
            System.out.printf("fedprune: %s aggregator at %s:%d, waiting for %d client(s)%n", s.name(), host,
                    system.address().getPort().orElse(0), n);
            Object end = CompletableFuture.anyOf(agg.finished().toCompletableFuture(), stopped).get(timeoutS,
                    TimeUnit.SECONDS);
            if (!(end instanceof VersionReport last)) {
                System.err.println("fedprune: aggregator stopped before its last version"
                        + (durable != null ? "; start it again with the same --journal to carry on" : ""));
                return FedpruneCli.RUN_FAILED;
            }
            if (live != null) {
                live.finish(last);
            }
            System.out.printf("fedprune: finished at version %d: test accuracy %.4f, up %.1f MB, down %.1f MB, "
                    + "wall %.1f s%n", last.version(), last.accuracy(), last.bytesUp() / 1e6, last.bytesDown() / 1e6,
                    last.wallSeconds());
            System.out.printf("fedprune: stopped taking updates at %d ms%n", System.currentTimeMillis());
            ServerStats st = agg.stop(NodeJournal.DEADLINE).toCompletableFuture()
                    .get(NodeJournal.DEADLINE.toSeconds() + 5, TimeUnit.SECONDS).stats();
            System.out.printf("fedprune: updates accepted %d, rejected %d, stale %d, failed %d; dropouts holding work %d%n",
                    st.accepted(), st.rejected(), st.stale(), st.failed(), st.dropped());
            return FedpruneCli.OK;
        } catch (ExecutionException e) {
            System.err.println("fedprune: " + e.getCause().getMessage());
            return FedpruneCli.RUN_FAILED;
        } catch (TimeoutException e) {
            System.err.println("fedprune: no end within --timeout-s " + timeoutS);
            return FedpruneCli.RUN_FAILED;
        }
    }

    /** {@code node} with mutual TLS from the folder {@code tls} (scripts/make-certs.sh), or as it is if null. */
    static Config withTls(Config node, Path tls) {
        if (tls == null) {
            return node;
        }
        try {
            return FedpruneConfig.withTls(node, tls);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--tls: " + e.getMessage());
        }
    }

    /** The preset's aggregator for {@code n} clients, scored on {@code test} every eval.every versions. */
    static FederatedAggregator.Builder aggregatorBuilder(RunJob job, Dataset test, Dataset validation, int n,
                                                         java.util.function.Consumer<VersionReport> onVersion) {
        return FederatedAggregator.builder(test.channels(), test.height(), test.width(), test.numClasses())
                .config(job.config()).evaluateOn(test).evaluateEvery(job.settings().eval().every())
                .validateOn(validation).minClients(n).expectedClients(n).onVersion(onVersion);
    }

    private int client(RunJob job, ActorSystem<Void> system, List<ClientData> own) throws Exception {
        List<FederatedClient> clients = new ArrayList<>();
        try {
            RunMonitor.get(system).attach(e -> {
                if (e instanceof RunEvent.UpdateSent u) { // what the fault drills count against the journal
                    System.out.printf("fedprune: client %d sent update v%d %d B at %d ms%n", u.clientId(), u.version(),
                            u.bytes(), System.currentTimeMillis());
                }
            });
            List<CompletableFuture<Void>> gone = new ArrayList<>();
            List<CompletableFuture<String>> refusals = new ArrayList<>();
            for (int i = 0; i < ids.size(); i++) {
                FederatedClient client = FederatedClient.builder(ids.get(i), own.get(i)).config(job.config()).build();
                clients.add(client);
                client.spawn(system);
                gone.add(client.aggregatorGone().toCompletableFuture());
                refusals.add(client.refused().toCompletableFuture());
                System.out.printf("fedprune: client %d (%d samples) looking for the aggregator%n", ids.get(i),
                        own.get(i).size());
            }
            CompletableFuture<Void> allGone = serve ? new CompletableFuture<>()
                    : CompletableFuture.allOf(gone.toArray(CompletableFuture[]::new));
            Object why = CompletableFuture.anyOf(allGone, stopped,
                    CompletableFuture.anyOf(refusals.toArray(CompletableFuture[]::new))).get(timeoutS, TimeUnit.SECONDS);
            if (why instanceof String refused) {
                System.err.println("fedprune: client(s) " + ids + " refused: " + refused);
                return FedpruneCli.RUN_FAILED;
            }
            if (stopped.isDone()) {
                System.out.printf("fedprune: client(s) %s: stopping%n", ids);
                return FedpruneCli.OK;
            }
            System.out.printf("fedprune: client(s) %s: the aggregator is gone%n", ids);
            return FedpruneCli.OK;
        } catch (TimeoutException e) {
            System.err.println("fedprune: no end within --timeout-s " + timeoutS);
            return FedpruneCli.RUN_FAILED;
        } finally {
            clients.forEach(FederatedClient::close);
        }
    }
}
