package io.fedprune.actors.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.experiment.JournalSettings;
import io.fedprune.actors.journal.JournalStore;
import io.fedprune.actors.journal.ServerRecovery;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.server.ServerInput;
import io.fedprune.serialization.FedpruneConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.InvalidActorNameException;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real-time durable aggregator (what {@code fedprune node --journal} runs): a journaled
 * FedAsync aggregator, real clock, clients found through the Receptionist, every message
 * serialized. Closed in the middle of its run (its clients stay), a new aggregator on the same
 * journal carries on from the version the first one had reached (nothing it showed is lost),
 * the clients join it by themselves, it finishes the run, and no update is in the journal twice.
 */
class DurableAggregatorTest {
    private static final String ID = "fedprune-run|durable-test";

    static Config config(String extra) {
        return ConfigFactory.parseString("fedprune { algorithm = fedasync, stop.max-rounds = 24, train.max-steps = 5, "
                + "train.batch-size = 20, train.lr = 0.1 }\n" + extra).withFallback(ConfigFactory.load());
    }

    static Config system(Path journal) {
        return new JournalSettings(JournalSettings.Store.H2, journal.toString(), "", "", "").pekkoConfig()
                .withFallback(FedpruneConfig.testing()).withFallback(ConfigFactory.load());
    }

    static FederatedAggregator aggregator(Config config, String fingerprint, List<VersionReport> reports) {
        return FederatedAggregator.builder(1, 28, 28, 10).config(config).minClients(3).onVersion(reports::add)
                .journal(ID, fingerprint, Duration.ofSeconds(30)).build();
    }

    @Test
    void aRestartedAggregatorCarriesOnFromItsJournalAndNoUpdateIsTakenTwice(@TempDir Path tmp) throws Exception {
        Dataset all = SyntheticDataset.gaussianClusters(600, 10, 1, 28, 28, 0.3, 5);
        List<ClientData> parts = ClientData.partition(all, "iid", 3, 1);
        Config config = config("");
        ActorTestKit kit = ActorTestKit.create("fedprune", system(tmp));
        try (FederatedClient c0 = FederatedClient.builder(0, parts.get(0)).config(config).build();
             FederatedClient c1 = FederatedClient.builder(1, parts.get(1)).config(config).build();
             FederatedClient c2 = FederatedClient.builder(2, parts.get(2)).config(config).build()) {
            c0.spawn(kit.system());
            c1.spawn(kit.system());
            c2.spawn(kit.system());

            List<VersionReport> first = new CopyOnWriteArrayList<>();
            FederatedAggregator one = aggregator(config, "run-a", first);
            ServerRecovery.Recovered fresh;
            try {
                one.spawn(kit.system());
                fresh = one.recovered();
                kit.createTestProbe().awaitAssert(Duration.ofSeconds(120), Duration.ofMillis(50), () -> {
                    assertTrue(first.size() > 8, "versions so far: " + first.size());
                    return null;
                });
            } finally {
                one.close(); // mid-run: the clients stay up and wait for the next desk
            }
            assertEquals(0, fresh.inputs(), "a new journal");
            long shown = first.stream().mapToLong(VersionReport::version).max().orElseThrow();
            assertTrue(shown < 24, "closed before the end: " + shown);

            for (FederatedClient c : List.of(c0, c1, c2)) {
                c.aggregatorGone().toCompletableFuture().get(30, TimeUnit.SECONDS);
            }
            List<VersionReport> second = new CopyOnWriteArrayList<>();
            try (FederatedAggregator two = spawnWhenTheNameIsFree(kit, config, second)) {
                ServerRecovery.Recovered back = two.recovered();
                assertTrue(back.inputs() > 0, "the journal held the first aggregator's inputs");
                assertTrue(back.version() >= shown, "every version the first one showed is restored: showed "
                        + shown + ", restored " + back.version());
                assertEquals(back.version(), back.stats().accepted(), "FedAsync: one version per accepted update");
                VersionReport last = two.finished().toCompletableFuture().get(120, TimeUnit.SECONDS);
                assertEquals(24, last.version());
                assertEquals(back.version(), second.get(0).version(), "it starts where the journal left off");
            }

            List<ServerInput> journal = JournalStore.read(system(tmp), ID).inputs();
            Map<String, Integer> updates = new HashMap<>();
            for (ServerInput i : journal) {
                if (i instanceof ServerInput.Update u) {
                    updates.merge(u.clientId() + "/" + u.baseVersion() + "/" + u.round(), 1, Integer::sum);
                }
            }
            assertTrue(updates.size() >= 24, "every accepted update is journaled: " + updates.size());
            assertTrue(updates.values().stream().allMatch(n -> n == 1), "an update journaled twice: " + updates);
            assertTrue(journal.stream().anyMatch(i -> i instanceof ServerInput.Dropped),
                    "the first aggregator's in-flight work was released as dropouts");
        } finally {
            kit.shutdownTestKit();
        }
    }

    /** The closed aggregator's top-level actor may still be stopping: its name is taken until it has. */
    static FederatedAggregator spawnWhenTheNameIsFree(ActorTestKit kit, Config config, List<VersionReport> reports)
            throws InterruptedException {
        for (int attempt = 0; ; attempt++) {
            FederatedAggregator agg = aggregator(config, "run-a", reports);
            try {
                agg.spawn(kit.system());
                return agg;
            } catch (InvalidActorNameException e) {
                agg.close();
                if (attempt == 100) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    @Test
    void aRoundsRunIsJournaledButNotRestartedYet(@TempDir Path tmp) throws Exception {
        Config config = config("fedprune.algorithm = fedavg");
        Dataset all = SyntheticDataset.gaussianClusters(200, 10, 1, 28, 28, 0.3, 5);
        ActorTestKit kit = ActorTestKit.create("fedprune", system(tmp));
        try (FederatedClient c0 = FederatedClient.builder(0, ClientData.of(all)).config(config).build()) {
            c0.spawn(kit.system());
            List<VersionReport> reports = new CopyOnWriteArrayList<>();
            try (FederatedAggregator one = FederatedAggregator.builder(1, 28, 28, 10).config(config).minClients(1)
                    .onVersion(reports::add).journal(ID, "run-a", Duration.ofSeconds(30)).build()) {
                one.spawn(kit.system());
                kit.createTestProbe().awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(50), () -> {
                    assertTrue(reports.size() > 1, "a round closed");
                    return null;
                });
            }
            c0.aggregatorGone().toCompletableFuture().get(30, TimeUnit.SECONDS);
            try (FederatedAggregator two = FederatedAggregator.builder(1, 28, 28, 10).config(config).minClients(1)
                    .journal(ID, "run-a", Duration.ofSeconds(30)).build()) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> two.spawn(kit.system()));
                assertTrue(e.getMessage().contains("continuous pacing only"), e.getMessage());
            }
        } finally {
            kit.shutdownTestKit();
        }
    }

    @Test
    void aJournalOfAnotherRunIsRefused(@TempDir Path tmp) {
        Config config = config("");
        ActorTestKit kit = ActorTestKit.create("fedprune", system(tmp));
        try {
            try (FederatedAggregator one = aggregator(config, "run-a", new CopyOnWriteArrayList<>())) {
                one.spawn(kit.system());
            }
            try (FederatedAggregator other = aggregator(config, "run-b", new CopyOnWriteArrayList<>())) {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> other.spawn(kit.system()));
                assertTrue(e.getMessage().contains("belongs to another run"), e.getMessage());
            }
        } finally {
            kit.shutdownTestKit();
        }
    }
}
