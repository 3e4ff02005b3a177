package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
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
 * Discrete-event semantics: events in time order, simultaneous events in (sender, sequence)
 * order, and time never passes an actor that still holds work in hand.
 */
class VirtualClockTest {
    static final ActorTestKit testKit = ActorTestKit.create(FedpruneConfig.testing().withFallback(ConfigFactory.load()));

    @AfterAll
    static void cleanup() {
        testKit.shutdownTestKit();
    }

    /** Records "time:message"; "fork" schedules b at +5 and a at +5; "hold" keeps time until "release". */
    static Behavior<String> recorder(VirtualClockService clocks, ActorRef<String> log) {
        return Behaviors.setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            return Behaviors.receiveMessage(m -> {
                if (m.equals("release")) { // arrives directly, not through the clock
                    clock.handled();
                    return Behaviors.same();
                }
                log.tell(clock.nowMicros() + ":" + m);
                if (m.equals("fork")) {
                    clock.send(ctx.getSelf(), "b", 5);
                    clock.send(ctx.getSelf(), "a", 5);
                }
                if (!m.equals("hold")) {
                    clock.handled();
                }
                return Behaviors.same();
            });
        });
    }

    @Test
    void deliversInTimeOrderAndWaitsForWorkInHand() {
        AtomicLong now = new AtomicLong();
        TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clockRef = testKit.spawn(VirtualClock.create(now, quiet.getRef(), Duration.ZERO));
        VirtualClockService clocks = new VirtualClockService(clockRef, now);
        TestProbe<String> log = testKit.createTestProbe();
        ActorRef<String> r = testKit.spawn(recorder(clocks, log.getRef()));
        ActorRef<String> starter = testKit.spawn(Behaviors.setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            clock.send(r, "late", 30); // queued first, delivered last: order is by time
            clock.send(r, "hold", 10);
            clock.send(r, "fork", 10);
            clockRef.tell(new VirtualClock.Resume());
            return Behaviors.<String>ignore();
        }));
        assertEquals("10:hold", log.receiveMessage());
        assertEquals("10:fork", log.receiveMessage());
        // "hold" keeps its work in hand: time must not move to 15 for a and b
        log.expectNoMessage(Duration.ofMillis(300));
        r.tell("release");
        assertEquals("15:b", log.receiveMessage()); // same time: by sequence (b was sent first)
        assertEquals("15:a", log.receiveMessage());
        assertEquals("30:late", log.receiveMessage());
        assertEquals(30, quiet.receiveMessage().atMicros());
        testKit.stop(starter);
    }

    @Test
    void aWaveHoldsAtMostTheBoundAndEventsForStoppedActorsDoNotMoveTime() {
        AtomicLong now = new AtomicLong();
        TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clockRef = testKit.spawn(VirtualClock.create(now, quiet.getRef(), Duration.ZERO,
                2));
        VirtualClockService clocks = new VirtualClockService(clockRef, now);
        TestProbe<String> log = testKit.createTestProbe();
        ActorRef<String> r = testKit.spawn(recorder(clocks, log.getRef()));
        TestProbe<String> ready = testKit.createTestProbe();
        ActorRef<String> gone = testKit.spawn(Behaviors.<String>setup(ctx -> {
            clocks.forActor(ctx); // takes part in virtual time: the clock watches it
            ready.getRef().tell("ready");
            return Behaviors.ignore();
        }));
        ready.expectMessage("ready");
        testKit.stop(gone);
        testKit.spawn(Behaviors.<String>setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            for (int i = 0; i < 5; i++) {
                clock.send(r, "m" + i, 10);
            }
            clock.send(gone, "never", 1_000); // queued for an actor that stopped: dropped, time stays at 10
            clockRef.tell(new VirtualClock.Resume());
            return Behaviors.<String>ignore();
        }));
        for (int i = 0; i < 5; i++) {
            assertEquals("10:m" + i, log.receiveMessage());
        }
        assertEquals(10, quiet.receiveMessage().atMicros());
        TestProbe<VirtualClock.Stopped> stopped = testKit.createTestProbe();
        clockRef.tell(new VirtualClock.Stop(stopped.getRef()));
        VirtualClock.Stopped s = stopped.receiveMessage();
        assertEquals(5, s.events());
        assertEquals(3, s.waves(), "five same-time events in waves of at most two");
    }

    @Test
    void aMessageNeverReportedHandledIsReportedAsAStallNamingItsActor() {
        AtomicLong now = new AtomicLong();
        TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
        TestProbe<VirtualClock.Stalled> stalls = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clockRef = testKit.spawn(VirtualClock.create(now, quiet.getRef(),
                Duration.ofMillis(50), VirtualClock.DEFAULT_MAX_WAVE, stalls.getRef(), 3));
        VirtualClockService clocks = new VirtualClockService(clockRef, now);
        TestProbe<String> log = testKit.createTestProbe();
        ActorRef<String> r = testKit.spawn(recorder(clocks, log.getRef()), "holder");
        testKit.spawn(Behaviors.<String>setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            clock.send(r, "hold", 7); // handled never comes: as if the message had been lost
            clockRef.tell(new VirtualClock.Resume());
            return Behaviors.<String>ignore();
        }));
        assertEquals("7:hold", log.receiveMessage());
        VirtualClock.Stalled s = stalls.receiveMessage(Duration.ofSeconds(5));
        assertEquals(7, s.atMicros());
        assertEquals(1, s.waitingFor().size());
        assertTrue(s.waitingFor().get(0).endsWith("/user/holder"), s.waitingFor().toString());
        r.tell("release"); // it reports after all: time moves on, no further stall reports
        assertEquals(7, quiet.receiveMessage().atMicros());
        stalls.expectNoMessage(Duration.ofMillis(300));
        testKit.stop(clockRef);
    }
}
