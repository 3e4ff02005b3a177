package io.fedprune.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.fedprune.serialization.TestMessages.Ack;
import io.fedprune.serialization.TestMessages.Blob;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.zip.CRC32;
import org.apache.pekko.actor.Address;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.remote.OversizedPayloadException;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Two cluster nodes in one JVM over loopback (port 0), using the real cluster profile: they form a
 * cluster, and a 5 MB message crosses Artery on the large-message lane.
 */
class ClusterLargeMessageTest {

    private static final String SYSTEM_NAME = "fedprune"; // both nodes must share the name

    private static ActorTestKit node1;
    private static ActorTestKit node2;

    @BeforeAll
    static void formCluster() {
        node1 = ActorTestKit.create(SYSTEM_NAME, FedpruneConfig.cluster("127.0.0.1", 0, List.of(), List.of("one")));
        node2 = ActorTestKit.create(SYSTEM_NAME, FedpruneConfig.cluster("127.0.0.1", 0, List.of(), List.of("two")));

        Address address1 = Cluster.get(node1.system()).selfMember().address();
        assertNotEquals(0, address1.getPort().get(), "port 0 must be replaced by the bound port");
        Cluster.get(node1.system()).manager().tell(Join.create(address1));
        Cluster.get(node2.system()).manager().tell(Join.create(address1));

        TestProbe<Object> waiter = node1.createTestProbe();
        waiter.awaitAssert(Duration.ofSeconds(30), Duration.ofMillis(200), () -> {
            for (ActorSystem<?> system : List.of(node1.system(), node2.system())) {
                var members = Cluster.get(system).state().getMembers();
                int up = 0;
                for (var m : members) {
                    if (m.status() == MemberStatus.up()) {
                        up++;
                    }
                }
                assertEquals(2, up, "members Up seen by " + Cluster.get(system).selfMember().address());
            }
            return null;
        });
    }

    @AfterAll
    static void shutdown() {
        if (node2 != null) {
            node2.shutdownTestKit();
        }
        if (node1 != null) {
            node1.shutdownTestKit();
        }
    }

    /** Forwards every blob to a local probe and acknowledges to the (remote) sender with a CRC. */
    private static Behavior<Blob> aggregator(ActorRef<Blob> localProbe) {
        return Behaviors.receiveMessage(blob -> {
            localProbe.tell(blob);
            blob.replyTo().tell(new Ack(blob.data().length, crc(blob.data())));
            return Behaviors.same();
        });
    }

    private static long crc(byte[] data) {
        CRC32 crc = new CRC32();
        crc.update(data);
        return crc.getValue();
    }

    /** Resolves a ref of node2 on node1 through its serialized form, as a message would. */
    private static <T> ActorRef<T> remoteRef(ActorRef<T> refOnNode2) {
        String path = ActorRefResolver.get(node2.system()).toSerializationFormat(refOnNode2);
        return ActorRefResolver.get(node1.system()).resolveActorRef(path);
    }

    @Test
    void fiveMegabyteMessageCrossesTheClusterOnTheLargeMessageLane() {
        TestProbe<Blob> received = node2.createTestProbe();
        ActorRef<Blob> onNode2 = node2.spawn(aggregator(received.getRef()), "aggregator"); // /user/aggregator
        ActorRef<Blob> remote = remoteRef(onNode2);

        byte[] data = new byte[5 * 1024 * 1024];
        new Random(1).nextBytes(data);
        TestProbe<Ack> acks = node1.createTestProbe();
        remote.tell(new Blob(data, acks.getRef()));

        Ack ack = acks.expectMessageClass(Ack.class, Duration.ofSeconds(30));
        assertEquals(new Ack(data.length, crc(data)), ack);
        Blob arrived = received.expectMessageClass(Blob.class, Duration.ofSeconds(5));
        assertArrayEquals(data, arrived.data());
        node2.stop(onNode2);
    }

    @Test
    void largeMessageToAnOrdinaryPathIsDroppedByArtery() {
        // Same message to an actor outside large-message-destinations: Artery's ordinary lane
        // (256 KiB frames) drops it, logging only on the sender. This is what the cluster
        // profile's large-message configuration prevents for the model-carrying actors.
        TestProbe<Blob> received = node2.createTestProbe();
        ActorRef<Blob> onNode2 = node2.spawn(aggregator(received.getRef()), "not-large");
        ActorRef<Blob> remote = remoteRef(onNode2);
        TestProbe<Ack> acks = node1.createTestProbe();

        LoggingTestKit.error(OversizedPayloadException.class).expect(node1.system(), () -> {
            remote.tell(new Blob(new byte[1024 * 1024], acks.getRef()));
            return null;
        });
        received.expectNoMessage(Duration.ofSeconds(1));

        // Small messages to the same actor still arrive: the connection survived.
        byte[] small = Arrays.copyOf(new byte[] {1, 2, 3}, 3);
        remote.tell(new Blob(small, acks.getRef()));
        assertEquals(new Ack(3, crc(small)), acks.expectMessageClass(Ack.class, Duration.ofSeconds(10)));
        node2.stop(onNode2);
    }
}
