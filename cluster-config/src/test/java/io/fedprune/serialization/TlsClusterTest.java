package io.fedprune.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.serialization.TestMessages.Ping;
import io.fedprune.serialization.TestMessages.Pong;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.Member;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.cluster.typed.Leave;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code tls-tcp} profile with certificates from {@code scripts/make-certs.sh}: two nodes whose
 * certificates the cluster's CA signed form a cluster over loopback and exchange messages; a node
 * whose certificate another CA signed (though it trusts the cluster's CA itself) is refused in the
 * handshake: it never becomes a member and its messages never arrive.
 */
class TlsClusterTest {
    @TempDir
    static Path certs;

    private static ActorTestKit a;
    private static ActorTestKit b;

    @BeforeAll
    static void formTlsCluster() throws Exception {
        makeCerts(certs.resolve("cluster"), "a", "b");
        a = node(certs.resolve("cluster/a"), "a");
        b = node(certs.resolve("cluster/b"), "b");
        Address first = address(a);
        Cluster.get(a.system()).manager().tell(Join.create(first));
        Cluster.get(b.system()).manager().tell(Join.create(first));
        a.createTestProbe().awaitAssert(Duration.ofSeconds(60), Duration.ofMillis(200), () -> {
            assertEquals(2, up(a), "members Up seen by a");
            assertEquals(2, up(b), "members Up seen by b");
            return null;
        });
    }

    /**
     * Leaves the cluster before stopping, and gives the stop 60 s without failing the class on it: every
     * assertion is in the tests; a TLS stream still closing on a loaded CI machine once took the
     * test kit's 10 s default and failed the build after all four tests had passed.
     */
    @AfterAll
    static void shutdown() {
        for (ActorTestKit kit : new ActorTestKit[] {b, a}) {
            if (kit != null) {
                Cluster cluster = Cluster.get(kit.system());
                cluster.manager().tell(Leave.create(cluster.selfMember().address()));
                try {
                    kit.createTestProbe().awaitAssert(Duration.ofSeconds(15), Duration.ofMillis(200), () -> {
                        assertTrue(cluster.selfMember().status() == MemberStatus.removed(), "left");
                        return null;
                    });
                } catch (AssertionError notYet) {
                    // stopping anyway: the system's own shutdown downs and removes it
                }
                ActorTestKit.shutdown(kit.system(), Duration.ofSeconds(60), false);
            }
        }
    }

    @Test
    void theProfileIsMutualTls13() {
        var ssl = a.system().settings().config().getConfig("pekko.remote.artery");
        assertEquals("tls-tcp", ssl.getString("transport"));
        assertTrue(ssl.getBoolean("ssl.config-ssl-engine.require-mutual-authentication"));
        assertEquals("TLSv1.3", ssl.getString("ssl.config-ssl-engine.protocol"));
        assertTrue(ssl.getString("ssl.config-ssl-engine.key-store").endsWith("a/keystore.p12"));
    }

    @Test
    void nodesSignedByTheCaExchangeMessages() {
        TestProbe<Ping> seen = b.createTestProbe();
        ActorRef<Ping> onB = b.spawn(echo(seen.getRef()), "echo");
        ActorRef<Ping> fromA = ActorRefResolver.get(a.system())
                .resolveActorRef(ActorRefResolver.get(b.system()).toSerializationFormat(onB));
        TestProbe<Pong> replies = a.createTestProbe();
        fromA.tell(new Ping("over TLS", replies.getRef()));
        assertEquals(new Pong("echo: over TLS"), replies.expectMessageClass(Pong.class, Duration.ofSeconds(30)));
        seen.expectMessageClass(Ping.class);
        b.stop(onB);
    }

    @Test
    void aNodeSignedByAnotherCaIsRefused() throws Exception {
        makeCerts(certs.resolve("rogue"), "c");
        Path c = certs.resolve("rogue/c");
        trustAlso(c, certs.resolve("cluster/ca/ca.crt")); // c would accept the cluster; the cluster must not accept c
        ActorTestKit rogue = node(c, "c");
        try {
            TestProbe<Ping> seen = a.createTestProbe();
            ActorRef<Ping> onA = a.spawn(echo(seen.getRef()), "guarded");
            ActorRef<Ping> fromC = ActorRefResolver.get(rogue.system())
                    .resolveActorRef(ActorRefResolver.get(a.system()).toSerializationFormat(onA));
            Cluster.get(rogue.system()).manager().tell(Join.create(address(a)));
            TestProbe<Pong> replies = rogue.createTestProbe();
            fromC.tell(new Ping("let me in", replies.getRef()));
            seen.expectNoMessage(Duration.ofSeconds(8));
            replies.expectNoMessage(Duration.ZERO);
            Address rogueAddress = address(rogue);
            for (Member m : Cluster.get(a.system()).state().getMembers()) {
                assertNotEquals(rogueAddress, m.address(), "the rogue node became a member");
            }
            assertFalse(Cluster.get(rogue.system()).selfMember().status() == MemberStatus.up(), "the rogue node is Up");
            a.stop(onA);
        } finally {
            rogue.shutdownTestKit();
        }
    }

    @Test
    void aFolderWithoutItsFilesIsRefusedNamingTheFile() throws Exception {
        Path empty = Files.createDirectories(certs.resolve("empty"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FedpruneConfig.withTls(FedpruneConfig.cluster("127.0.0.1", 0, List.of(), List.of()), empty));
        assertTrue(e.getMessage().contains("keystore.p12"), e.getMessage());
    }

    private static Behavior<Ping> echo(ActorRef<Ping> seen) {
        return Behaviors.receiveMessage(ping -> {
            seen.tell(ping);
            ping.replyTo().tell(new Pong("echo: " + ping.payload()));
            return Behaviors.same();
        });
    }

    private static ActorTestKit node(Path tls, String role) {
        return ActorTestKit.create("fedprune",
                FedpruneConfig.withTls(FedpruneConfig.cluster("127.0.0.1", 0, List.of(), List.of(role)), tls));
    }

    private static Address address(ActorTestKit kit) {
        return Cluster.get(kit.system()).selfMember().address();
    }

    private static int up(ActorTestKit kit) {
        int n = 0;
        for (Member m : Cluster.get(kit.system()).state().getMembers()) {
            n += m.status() == MemberStatus.up() ? 1 : 0;
        }
        return n;
    }

    /** Runs the real script, as a user would. */
    private static void makeCerts(Path out, String... nodes) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", Path.of("../scripts/make-certs.sh").toAbsolutePath().toString(),
                out.toString()));
        cmd.addAll(List.of(nodes));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "make-certs.sh finished");
        assertEquals(0, p.exitValue(), "make-certs.sh: " + output);
    }

    /** Adds {@code caCert} to the node's trust store. */
    private static void trustAlso(Path node, Path caCert) throws Exception {
        char[] password = Files.readString(node.resolve("password")).strip().toCharArray();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        Path store = node.resolve("truststore.p12");
        try (InputStream in = Files.newInputStream(store)) {
            trust.load(in, password);
        }
        try (InputStream in = Files.newInputStream(caCert)) {
            trust.setCertificateEntry("cluster-ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        try (OutputStream out = Files.newOutputStream(store)) {
            trust.store(out, password);
        }
    }
}
