package io.fedprune.actors.embed;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
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
    void aMisspeltKeyOrAWrongShapeFailsAtBuild() {
        SettingsException e = assertThrows(SettingsException.class, () -> FederatedAggregator.builder(1, 28, 28, 10)
                .config(config("fedprune.train.lr-rate = 0.1")).build());
        assertTrue(e.getMessage().contains("fedprune.train.lr-rate"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FederatedAggregator.builder(1, 28, 28, 1));
        assertThrows(IllegalArgumentException.class, () -> FederatedClient.builder(-1,
                ClientData.of(SyntheticDataset.gaussianClusters(10, 10, 1, 28, 28, 0.3, 5))));
        assertFalse(e.getMessage().isBlank());
    }
}
