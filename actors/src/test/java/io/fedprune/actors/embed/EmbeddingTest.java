package io.fedprune.actors.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.serialization.FedpruneConfig;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The embedding API in one actor system, every message serialized: clients find the aggregator themselves. */
class EmbeddingTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    static Config config(String extra) {
        return ConfigFactory.parseString("fedprune { algorithm = fedavg, stop.max-rounds = 4, train.max-steps = 10, "
                + "train.batch-size = 20, train.lr = 0.1 }\n" + extra).withFallback(ConfigFactory.load());
    }

    @Test
    @SuppressWarnings("try") // the aggregator is closed inside the block on purpose: the clients must see it go
    void clientsJoinAnAggregatorTheyFoundAndTrainItToTheCap() throws Exception {
        Dataset all = SyntheticDataset.gaussianClusters(900, 10, 1, 28, 28, 0.3, 5);
        Dataset test = SyntheticDataset.gaussianClusters(300, 10, 1, 28, 28, 0.3, 5, 6);
        List<ClientData> parts = ClientData.partition(all, "iid", 3, 1);
        List<VersionReport> reports = new CopyOnWriteArrayList<>();
        Config config = config("");
        try (FederatedAggregator agg = FederatedAggregator.builder(1, 28, 28, 10).config(config).evaluateOn(test)
                .minClients(3).onVersion(reports::add).build();
             FederatedClient c0 = FederatedClient.builder(0, parts.get(0)).config(config).build();
             FederatedClient c1 = FederatedClient.builder(1, parts.get(1)).config(config).build();
             FederatedClient c2 = FederatedClient.builder(2, parts.get(2)).config(config).build()) {
            c0.spawn(testKit.system()); // a client before the aggregator: it joins once the desk is listed
            agg.spawn(testKit.system());
            c1.spawn(testKit.system());
            c2.spawn(testKit.system());
            VersionReport last = agg.finished().toCompletableFuture().get(120, TimeUnit.SECONDS);
            assertEquals(4, last.version());
            assertTrue(last.last());
            assertEquals(List.of(0L, 1L, 2L, 3L, 4L), reports.stream().map(VersionReport::version).toList());
            for (VersionReport r : reports.subList(1, reports.size())) {
                assertEquals(3, r.participants(), "every client in every round (version " + r.version() + ")");
            }
            assertTrue(last.accuracy() > reports.get(0).accuracy() + 0.2, "training helped: " + reports);
            agg.close();
            c0.aggregatorGone().toCompletableFuture().get(30, TimeUnit.SECONDS);
            c2.aggregatorGone().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aBufferingStrategyGetsItsBufferActorBesideTheAggregator() throws Exception {
        Dataset all = SyntheticDataset.gaussianClusters(600, 10, 1, 28, 28, 0.3, 5);
        List<ClientData> parts = ClientData.partition(all, "iid", 2, 1);
        Config config = config("fedprune { algorithm = prfl, prfl { recovery = none, pruning = false } }");
        try (FederatedAggregator agg = FederatedAggregator.builder(1, 28, 28, 10).config(config).minClients(2).build();
             FederatedClient c0 = FederatedClient.builder(0, parts.get(0)).config(config).build();
             FederatedClient c1 = FederatedClient.builder(1, parts.get(1)).config(config).build()) {
            agg.spawn(testKit.system());
            c0.spawn(testKit.system());
            c1.spawn(testKit.system());
            assertEquals(4, agg.finished().toCompletableFuture().get(120, TimeUnit.SECONDS).version());
            // the PR-FL buffer is an actor of its own, a sibling of the aggregator
            testKit.system().classicSystem().actorSelection("/system/aggregator/aggregator-buffer")
                    .resolveOne(java.time.Duration.ofSeconds(5)).toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aFailingStrategyFailsFinishedInsteadOfHangingIt() throws Exception {
        Dataset all = SyntheticDataset.gaussianClusters(300, 10, 1, 28, 28, 0.3, 5);
        Config config = config("");
        try (FederatedAggregator agg = FederatedAggregator.builder(1, 28, 28, 10).config(config)
                .strategy(ctx -> new Strategy() {
                    @Override
                    public String name() {
                        return "boom";
                    }

                    @Override
                    public Pacing pacing() {
                        return Pacing.continuous();
                    }

                    @Override
                    public Decision onUpdate(ArrivedUpdate u, ModelState g) {
                        throw new IllegalStateException("boom");
                    }
                }).build();
             FederatedClient c0 = FederatedClient.builder(0, ClientData.of(all)).config(config).build()) {
            agg.spawn(testKit.system());
            c0.spawn(testKit.system());
            java.util.concurrent.ExecutionException e = assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> agg.finished().toCompletableFuture().get(60, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("stopped before its last version"), e.getMessage());
        }
    }

    @Test
    void theAllowListKeepsOutClientsItDoesNotName() throws Exception {
        Dataset all = SyntheticDataset.gaussianClusters(600, 10, 1, 28, 28, 0.3, 5);
        List<ClientData> parts = ClientData.partition(all, "iid", 3, 1);
        Config config = config("fedprune.stop.max-rounds = 2");
        List<VersionReport> reports = new CopyOnWriteArrayList<>();
        try (FederatedAggregator agg = FederatedAggregator.builder(1, 28, 28, 10).config(config).minClients(1)
                .allow(AllowList.ids(0).with(2, "10.9.9.9")).onVersion(reports::add).build();
             FederatedClient c0 = FederatedClient.builder(0, parts.get(0)).config(config).build();
             FederatedClient c1 = FederatedClient.builder(1, parts.get(1)).config(config).build();
             FederatedClient c2 = FederatedClient.builder(2, parts.get(2)).config(config).build()) {
            c1.spawn(testKit.system());
            c2.spawn(testKit.system());
            agg.spawn(testKit.system());
            assertTrue(c1.refused().toCompletableFuture().get(30, TimeUnit.SECONDS).contains("not on the allow-list"));
            assertTrue(c2.refused().toCompletableFuture().get(30, TimeUnit.SECONDS).contains("only from 10.9.9.9"),
                    "an id bound to another host is refused here");
            c0.spawn(testKit.system());
            agg.finished().toCompletableFuture().get(60, TimeUnit.SECONDS);
            assertTrue(reports.stream().skip(1).allMatch(r -> r.participants() == 1), "only client 0 trained");
            assertFalse(c0.refused().toCompletableFuture().isDone());
        }
    }

    @Test
    void aMisspeltKeyOrAWrongShapeFailsAtBuild() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FederatedAggregator.builder(1, 28, 28, 10)
                .config(config("fedprune.train.lr-rate = 0.1")).build());
        assertTrue(e.getMessage().contains("fedprune.train.lr-rate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FederatedAggregator.builder(1, 28, 28, 1));
        assertThrows(IllegalArgumentException.class, () -> FederatedClient.builder(-1,
                ClientData.of(SyntheticDataset.gaussianClusters(10, 10, 1, 28, 28, 0.3, 5))));
        assertFalse(e.getMessage().isBlank());
    }
}
