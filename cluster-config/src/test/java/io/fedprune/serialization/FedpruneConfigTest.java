package io.fedprune.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import java.util.List;
import org.junit.jupiter.api.Test;

class FedpruneConfigTest {

    @Test
    void localProfile() {
        Config c = FedpruneConfig.local();
        assertEquals("local", c.getString("pekko.actor.provider"));
        assertEquals("io.fedprune.serialization.KryoSerializer", c.getString("pekko.actor.serializers.fedprune-kryo"));
        assertEquals("fedprune-kryo",
                c.getString("pekko.actor.serialization-bindings.\"io.fedprune.serialization.WireMessage\""));
        assertEquals(64L * 1024 * 1024, c.getBytes("fedprune.serialization.max-message-bytes"));
        assertFalse(c.getBoolean("pekko.actor.serialize-messages"));
    }

    @Test
    void testingProfileSerializesMessagesButNotCreators() {
        Config c = FedpruneConfig.testing();
        assertEquals("local", c.getString("pekko.actor.provider"));
        assertTrue(c.getBoolean("pekko.actor.serialize-messages"));
        assertFalse(c.getBoolean("pekko.actor.serialize-creators"));
    }

    @Test
    void clusterProfile() {
        Config c = FedpruneConfig.cluster("10.0.0.5", 2552, List.of("10.0.0.1:2552", "pekko://other@h:1"),
                List.of("aggregator"));
        assertEquals("cluster", c.getString("pekko.actor.provider"));
        assertEquals("tcp", c.getString("pekko.remote.artery.transport"));
        assertEquals("10.0.0.5", c.getString("pekko.remote.artery.canonical.hostname"));
        assertEquals(2552, c.getInt("pekko.remote.artery.canonical.port"));
        assertEquals(List.of("pekko://fedprune@10.0.0.1:2552", "pekko://other@h:1"),
                c.getStringList("pekko.cluster.seed-nodes"));
        assertEquals(List.of("aggregator"), c.getStringList("pekko.cluster.roles"));
        assertEquals("org.apache.pekko.cluster.sbr.SplitBrainResolverProvider",
                c.getString("pekko.cluster.downing-provider-class"));
        // the aggregator's side survives whatever crashes or partitions (keep-majority could down it),
        // unless it is alone: then the client nodes down it and wait for its restart from a journal
        assertEquals("keep-oldest", c.getString("pekko.cluster.split-brain-resolver.active-strategy"));
        assertEquals("aggregator", c.getString("pekko.cluster.split-brain-resolver.keep-oldest.role"));
        assertTrue(c.getBoolean("pekko.cluster.split-brain-resolver.keep-oldest.down-if-alone"));
        assertTrue(c.getBoolean("pekko.cluster.jmx.multi-mbeans-in-same-jvm"));
        // one place defines the model-carrying paths: where the driver spawns them, and top-level
        assertEquals(ActorPaths.largeMessageDestinations(),
                c.getStringList("pekko.remote.artery.large-message-destinations"));
        assertTrue(c.getStringList("pekko.remote.artery.large-message-destinations").containsAll(List.of(
                "/user/fedprune/aggregator", "/user/fedprune/aggregator/**", "/user/fedprune/client-*")));
        assertEquals(16L * 1024 * 1024, c.getBytes("pekko.remote.artery.advanced.maximum-large-frame-size"));
        assertEquals(256L * 1024, c.getBytes("pekko.remote.artery.advanced.maximum-frame-size"));
        // The serializer binding from reference.conf applies to the cluster profile as well.
        assertEquals("fedprune-kryo",
                c.getString("pekko.actor.serialization-bindings.\"io.fedprune.serialization.WireMessage\""));
    }

    @Test
    void clusterFromEnvironmentUsesProfileDefaults() {
        // The build does not set FEDPRUNE_* variables; the defaults of fedprune-cluster.conf apply.
        if (System.getenv("FEDPRUNE_HOST") == null && System.getenv("FEDPRUNE_SEEDS") == null
                && System.getenv("FEDPRUNE_PORT") == null) {
            Config c = FedpruneConfig.cluster();
            assertEquals("127.0.0.1", c.getString("pekko.remote.artery.canonical.hostname"));
            assertEquals(25520, c.getInt("pekko.remote.artery.canonical.port"));
            assertEquals(List.of(), c.getStringList("pekko.cluster.seed-nodes"));
        }
    }

    @Test
    void seedParsing() {
        assertEquals(List.of("a:1", "b:2"), FedpruneConfig.splitList(" a:1 , ,b:2 "));
        assertEquals(List.of(), FedpruneConfig.splitList(""));
        assertEquals("pekko://fedprune@h:1", FedpruneConfig.seedAddress("fedprune", " h:1 "));
    }
}
