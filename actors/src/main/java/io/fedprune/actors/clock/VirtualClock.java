package io.fedprune.actors.clock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ActorPath;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Discrete-event time for actors in one JVM. Events wait in a queue ordered by (time, sender
 * path, sender sequence). The clock releases the events due at the earliest time as one wave
 * (at most {@code maxWave} of them, the first in that order), then waits until every receiver has
 * reported {@link Handled}; only then does it take the next wave from the queue, and time jumps
 * when none is left at the current time. Bounding a wave bounds what a simulation holds when
 * thousands of clients finish at the same instant: what the first wave's receivers send at that
 * instant is delivered before the rest of the crowd. Work that an actor starts and finishes later (training on the trainer pool)
 * keeps time from passing it by deferring the report. So compute and transfer delays come from
 * the device model, never from how long the JVM took, and a run is a function of its seed.
 *
 * <p>The clock watches every actor that takes part ({@link Register}, sent when an actor makes its
 * clock) and every other actor it delivers to. An actor that stops is never waited for: what it
 * held is written off, and events still queued for it or its message adapters are dropped without
 * moving time. A message adapter counts as its owning actor (its path is a child of the owner's);
 * adapters themselves cannot be watched, their owners are.
 *
 * <p>The clock is local by design (a simulation lives in one JVM); its messages are exempt from
 * serialization checks. The messages it delivers are checked as usual.
 */
public final class VirtualClock extends AbstractBehavior<VirtualClock.Command> {

    public sealed interface Command extends NoSerializationVerificationNeeded {
    }

    /** Deliver {@code message} to {@code target} at virtual time {@code atMicros}. */
    public record Schedule<T>(long atMicros, String source, long sequence, ActorRef<T> target, T message)
            implements Command {
        void deliver() {
            target.tell(message);
        }

        Schedule<T> at(long micros) {
            return new Schedule<>(micros, source, sequence, target, message);
        }
    }

    /**
     * {@code actor} takes part in virtual time (it made a {@link Clock}): the clock watches it, so
     * that neither it nor its message adapters are waited for once it stops.
     */
    public record Register(ActorRef<?> actor) implements Command {
    }

    /** {@code from} has finished with one message the clock delivered to it. */
    public record Handled(ActorRef<?> from) implements Command {
    }

    /**
     * Start releasing events. The clock starts paused so that a set-up burst (registrations, the
     * first timers) is fully queued before the earliest event goes out.
     */
    public record Resume() implements Command {
    }

    /** Stop releasing events; replies with the final time. */
    public record Stop(ActorRef<Stopped> replyTo) implements Command {
    }

    /** @param events messages delivered, @param waves distinct times at which they were */
    public record Stopped(long atMicros, long events, long waves) implements NoSerializationVerificationNeeded {
    }

    /** Told when nothing is queued and nobody has work in hand: the simulation cannot go on. */
    public record Quiescent(long atMicros) implements NoSerializationVerificationNeeded {
    }

    /**
     * Told when virtual time has been held for {@code ticks} watchdog periods in a row with
     * delivered messages not reported handled: {@code waitingFor} names their actors. Either they
     * are still working (a long local round), or a message was lost and nothing will ever move
     * time again; the listener tells which.
     */
    public record Stalled(long atMicros, List<String> waitingFor) implements NoSerializationVerificationNeeded {
    }

    private enum WatchdogTick implements Command {
        INSTANCE
    }

    private static final Comparator<Schedule<?>> ORDER = Comparator.<Schedule<?>>comparingLong(Schedule::atMicros)
            .thenComparing(Schedule::source)
            .thenComparingLong(Schedule::sequence);

    private final PriorityQueue<Schedule<?>> queue = new PriorityQueue<>(ORDER);
    // Delivered, not yet handled, per owning actor (an adapter's messages count for its owner).
    private final Map<ActorPath, Integer> inHand = new HashMap<>();
    private final Set<ActorRef<?>> watched = new HashSet<>();
    // The current incarnation of each registered actor, by path.
    private final Map<ActorPath, ActorRef<?>> registered = new HashMap<>();
    // Refs (path and incarnation) known to have stopped: events for them are dropped.
    private final Set<ActorRef<?>> deadRefs = new HashSet<>();
    // Registered actors that stopped (and no new incarnation registered): events for them or their
    // adapters are dropped, and a Handled they sent just before stopping is expected.
    private final Set<ActorPath> deadOwners = new HashSet<>();
    private final AtomicLong now;
    private final ActorRef<Quiescent> quiescenceListener;
    private final ActorRef<Stalled> stallListener; // null: the watchdog only logs
    private final int stallTicks;
    private int heldTicks;
    private final int maxWave;
    private int outstanding;
    private boolean paused = true;
    private boolean stopped;
    private long wavesAtLastTick = -1;
    private long waves;
    private long events;
    private long late;

    /** Events released at once by default: plenty of parallel work, a bounded amount held. */
    public static final int DEFAULT_MAX_WAVE = 64;

    public static Behavior<Command> create(AtomicLong now, ActorRef<Quiescent> quiescenceListener, Duration watchdog) {
        return create(now, quiescenceListener, watchdog, DEFAULT_MAX_WAVE);
    }

    public static Behavior<Command> create(AtomicLong now, ActorRef<Quiescent> quiescenceListener, Duration watchdog,
                                           int maxWave) {
        return create(now, quiescenceListener, watchdog, maxWave, null, 0);
    }

    /**
     * @param stallListener told {@link Stalled} after {@code stallTicks} watchdog periods in a row
     *                      without progress (and again after each further {@code stallTicks})
     */
    public static Behavior<Command> create(AtomicLong now, ActorRef<Quiescent> quiescenceListener, Duration watchdog,
                                           int maxWave, ActorRef<Stalled> stallListener, int stallTicks) {
        if (maxWave < 1) {
            throw new IllegalArgumentException("a wave must hold at least one event, got " + maxWave);
        }
        if (stallListener != null && (stallTicks < 1 || watchdog.isZero())) {
            throw new IllegalArgumentException("stall reports need a watchdog period and stallTicks >= 1, got "
                    + watchdog + " and " + stallTicks);
        }
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new VirtualClock(ctx, timers, now,
                quiescenceListener, watchdog, maxWave, stallListener, stallTicks)));
    }

    private VirtualClock(ActorContext<Command> context, TimerScheduler<Command> timers, AtomicLong now,
                         ActorRef<Quiescent> quiescenceListener, Duration watchdog, int maxWave,
                         ActorRef<Stalled> stallListener, int stallTicks) {
        super(context);
        this.now = now;
        this.quiescenceListener = quiescenceListener;
        this.stallListener = stallListener;
        this.stallTicks = stallTicks;
        this.maxWave = maxWave;
        if (!watchdog.isZero()) {
            timers.startTimerWithFixedDelay(WatchdogTick.INSTANCE, watchdog);
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Schedule.class, this::onSchedule)
                .onMessage(Handled.class, this::onHandled)
                .onMessage(Register.class, this::onRegister)
                .onMessage(Resume.class, this::onResume)
                .onMessage(Stop.class, this::onStop)
                .onMessageEquals(WatchdogTick.INSTANCE, this::onWatchdog)
                .onSignal(Terminated.class, this::onTerminated)
                .build();
    }

    private Behavior<Command> onSchedule(Schedule<?> event) {
        if (event.atMicros() < now.get()) {
            // Only an actor reacting to something outside the clock (a death-watch signal) can
            // read the time before a wave and send after it: deliver as soon as possible.
            late++;
            getContext().getLog().debug("event for {} from {} was due at {} us, now {} us: delivered now",
                    event.target(), event.source(), event.atMicros(), now.get());
            event = event.at(now.get());
        }
        queue.add(event);
        releaseIfIdle();
        return this;
    }

    private Behavior<Command> onHandled(Handled h) {
        ActorPath owner = h.from().path();
        Integer held = inHand.get(owner);
        if (held == null) {
            if (deadOwners.contains(owner)) {
                return this; // its death was processed first; what it held is already written off
            }
            throw new IllegalStateException(h.from() + " reported a message handled but holds none: "
                    + "a behaviour calls Clock.handled() for a message that did not come through the clock");
        }
        if (held == 1) {
            inHand.remove(owner);
        } else {
            inHand.put(owner, held - 1);
        }
        outstanding--;
        releaseIfIdle();
        return this;
    }

    private Behavior<Command> onRegister(Register r) {
        ActorPath path = r.actor().path();
        registered.put(path, r.actor());
        deadOwners.remove(path); // a new incarnation at a path that had stopped
        watch(r.actor());
        return this;
    }

    private void watch(ActorRef<?> ref) {
        if (watched.add(ref)) {
            getContext().watch(ref);
        }
    }

    private Behavior<Command> onTerminated(Terminated t) {
        ActorRef<?> ref = t.getRef();
        watched.remove(ref);
        deadRefs.add(ref);
        ActorPath owner = ref.path();
        if (ref.equals(registered.get(owner))) {
            registered.remove(owner);
        }
        deadOwners.add(owner);
        Integer held = inHand.remove(owner);
        if (held != null) {
            outstanding -= held;
            getContext().getLog().debug("{} stopped holding {} message(s): not waiting for it", owner, held);
        }
        releaseIfIdle();
        return this;
    }

    private Behavior<Command> onResume(Resume r) {
        paused = false;
        releaseIfIdle();
        return this;
    }

    private Behavior<Command> onStop(Stop stop) {
        stopped = true;
        queue.clear();
        if (late > 0) {
            getContext().getLog().debug("{} event(s) arrived after their due time and were delivered late", late);
        }
        stop.replyTo().tell(new Stopped(now.get(), events, waves));
        return this;
    }

    private Behavior<Command> onWatchdog() {
        if (!stopped && outstanding > 0 && waves == wavesAtLastTick) {
            getContext().getLog().warn("virtual time held at {} s: waiting for {} to report messages handled",
                    now.get() / 1e6, inHand.keySet());
            heldTicks++;
            if (stallListener != null && heldTicks % stallTicks == 0) {
                stallListener.tell(new Stalled(now.get(), inHand.keySet().stream().map(ActorPath::toString)
                        .sorted().toList()));
            }
        } else {
            heldTicks = 0;
        }
        wavesAtLastTick = waves;
        return this;
    }

    private void releaseIfIdle() {
        while (!paused && !stopped && outstanding == 0) {
            if (queue.isEmpty()) {
                quiescenceListener.tell(new Quiescent(now.get()));
                return;
            }
            long t = queue.peek().atMicros();
            List<Schedule<?>> wave = new ArrayList<>();
            while (!queue.isEmpty() && queue.peek().atMicros() == t && wave.size() < maxWave) {
                Schedule<?> e = queue.poll();
                if (!deadRefs.contains(e.target()) && !deadOwners.contains(ownerOf(e.target().path()))) {
                    wave.add(e); // events for stopped actors vanish without moving time
                }
            }
            if (wave.isEmpty()) {
                continue;
            }
            now.set(t);
            waves++;
            events += wave.size();
            outstanding = wave.size();
            for (Schedule<?> e : wave) {
                ActorPath owner = ownerOf(e.target().path());
                inHand.merge(owner, 1, Integer::sum);
                if (!isAdapter(e.target().path())) {
                    watch(e.target()); // actors without a clock of their own (probes, listeners)
                }
            }
            for (Schedule<?> e : wave) {
                e.deliver();
            }
        }
    }

    /** The actor a path belongs to: message adapters ({@code $$}-named children) count as their owner. */
    private static ActorPath ownerOf(ActorPath path) {
        return isAdapter(path) ? path.parent() : path;
    }

    private static boolean isAdapter(ActorPath path) {
        return path.name().startsWith("$$");
    }
}
