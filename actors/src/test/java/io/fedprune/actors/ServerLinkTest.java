package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
import io.fedprune.actors.link.ServerLink;
import io.fedprune.core.system.LinkRedraw;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The shared server link on the virtual clock, every message through the Kryo serializer:
 * concurrent uploads share the server's download capacity (two equal ones each get half the rate),
 * downloads share its upload capacity independently, and a device that stops mid-transfer gives its
 * share back at once and never holds time.
 */
class ServerLinkTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));

    /** 1000 B/s each way, no redraw: 5000 bytes alone take 5 s. */
    static final ServerLink.Capacity CAPACITY = new ServerLink.Capacity(1_000, 1_000, LinkRedraw.NONE);
    static final double UNCAPPED = 1e9;

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    /** What arrives, as "time:what", from the link through the clock. */
    static Behavior<Object> recorder(VirtualClockService clocks, ActorRef<String> log) {
        return Behaviors.setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            return Behaviors.receiveMessage(m -> {
                String what = m instanceof Client.Trained t ? "upload of client " + t.clientId()
                        : m instanceof Client.Downloaded d ? "download " + d.task() : m.toString();
                log.tell(clock.nowMicros() + ":" + what);
                clock.handled();
                return Behaviors.same();
            });
        });
    }

    /**
     * A stand-in device: "up" (through the clock) starts an upload of 5000 bytes, "down" a download;
     * "leave" drops its transfers and stops, as a client does when it stops.
     */
    static Behavior<String> device(int id, VirtualClockService clocks, ActorRef<ServerLink.Command> link,
                                   ActorRef<Object> server) {
        return Behaviors.setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            return Behaviors.receiveMessage(m -> {
                switch (m) {
                    case "up" -> clock.send(link, new ServerLink.Transfer<>(true, ctx.getSelf(), 5_000, UNCAPPED,
                            server.<Client.Response>unsafeUpcast(), new Client.Trained(id, 0, 0, new byte[4], 1, 0)), 0);
                    case "down" -> clock.send(link, new ServerLink.Transfer<>(false, ctx.getSelf(), 5_000, UNCAPPED,
                            server, new Client.Downloaded(id)), 0);
                    case "leave" -> {
                        clock.send(link, new ServerLink.Drop(ctx.getSelf()), 0);
                        return Behaviors.stopped(); // the message in hand is written off by the clock
                    }
                    default -> throw new IllegalArgumentException(m);
                }
                clock.handled();
                return Behaviors.same();
            });
        });
    }

    record Setup(ActorRef<VirtualClock.Command> clock, VirtualClockService clocks, TestProbe<VirtualClock.Quiescent> quiet,
                 TestProbe<String> log, ActorRef<ServerLink.Command> link, ActorRef<Object> server) {
    }

    static Setup setup() {
        AtomicLong now = new AtomicLong();
        TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clock = testKit.spawn(VirtualClock.create(now, quiet.getRef(), Duration.ZERO));
        VirtualClockService clocks = new VirtualClockService(clock, now);
        TestProbe<String> log = testKit.createTestProbe();
        ActorRef<ServerLink.Command> link = testKit.spawn(ServerLink.create(CAPACITY, clocks));
        ActorRef<Object> server = testKit.spawn(recorder(clocks, log.getRef()));
        return new Setup(clock, clocks, quiet, log, link, server);
    }

    /** Sends each (device, message, time) through the clock from one starter, then resumes the clock. */
    static void script(Setup s, Object... steps) {
        testKit.spawn(Behaviors.<String>setup(ctx -> {
            Clock clock = s.clocks().forActor(ctx);
            for (int i = 0; i < steps.length; i += 3) {
                @SuppressWarnings("unchecked")
                ActorRef<String> target = (ActorRef<String>) steps[i];
                clock.send(target, (String) steps[i + 1], (Long) steps[i + 2]);
            }
            s.clock().tell(new VirtualClock.Resume());
            return Behaviors.ignore();
        }));
    }

    @Test
    void twoConcurrentUploadsEachGetHalfTheRateAndDownloadsShareTheOtherDirection() {
        Setup s = setup();
        ActorRef<String> a = testKit.spawn(device(1, s.clocks(), s.link(), s.server()));
        ActorRef<String> b = testKit.spawn(device(2, s.clocks(), s.link(), s.server()));
        ActorRef<String> c = testKit.spawn(device(3, s.clocks(), s.link(), s.server()));
        ActorRef<String> d = testKit.spawn(device(4, s.clocks(), s.link(), s.server()));
        // a alone first: 5 s; then b and c upload together from 10 s while d downloads
        script(s, a, "up", 0L, b, "up", 10_000_000L, c, "up", 10_000_000L, d, "down", 10_000_000L);
        assertEquals("5000000:upload of client 1", s.log().receiveMessage());
        // d has the server's upload capacity to itself: 5 s
        assertEquals("15000000:download 4", s.log().receiveMessage());
        // b and c at 500 B/s each: twice the solo time, and both at once
        assertEquals("20000000:upload of client 2", s.log().receiveMessage());
        assertEquals("20000000:upload of client 3", s.log().receiveMessage());
        assertEquals(20_000_000, s.quiet().receiveMessage().atMicros());
    }

    @Test
    void aDeviceThatLeavesMidTransferGivesItsShareBackAndNeverHoldsTime() {
        Setup s = setup();
        ActorRef<String> a = testKit.spawn(device(1, s.clocks(), s.link(), s.server()));
        ActorRef<String> b = testKit.spawn(device(2, s.clocks(), s.link(), s.server()));
        // both upload from 0 at 500 B/s; a leaves at 2 s with 4000 bytes to go
        script(s, a, "up", 0L, b, "up", 0L, a, "leave", 2_000_000L);
        // b moved 1000 bytes by 2 s and has the whole 1000 B/s for its last 4000: 6 s, not 10
        assertEquals("6000000:upload of client 2", s.log().receiveMessage());
        assertEquals(6_000_000, s.quiet().receiveMessage().atMicros());
        s.log().expectNoMessage(Duration.ofMillis(200)); // a's upload never arrives
    }
}
