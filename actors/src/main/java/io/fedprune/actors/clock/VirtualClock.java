package io.fedprune.actors.clock;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.ActorPath;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Discrete-event time for actors in one JVM. Events wait in a queue ordered by (time, sender
 * path, sender sequence). The clock releases all events due at the earliest time as one wave,
 * then waits until every receiver has reported {@link Handled}; only then does time jump to the
 * next due event. Work that an actor starts and finishes later (training on the trainer pool)
 * keeps time from passing it by deferring the report. So compute and transfer delays come from
 * the device model, never from how long the JVM took, and a run is a function of its seed.
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

    public record Stopped(long atMicros) implements NoSerializationVerificationNeeded {
    }

    /** Told when nothing is queued and nobody has work in hand: the simulation cannot go on. */
    public record Quiescent(long atMicros) implements NoSerializationVerificationNeeded {
    }

    private enum WatchdogTick implements Command {
        INSTANCE
    }

    private static final Comparator<Schedule<?>> ORDER = Comparator.<Schedule<?>>comparingLong(Schedule::atMicros)
            .thenComparing(Schedule::source)
            .thenComparingLong(Schedule::sequence);

    private final PriorityQueue<Schedule<?>> queue = new PriorityQueue<>(ORDER);
    // For diagnostics only (the count below is authoritative): which actors hold delivered
    // messages. Keyed by path; a message adapter's path is a child of its actor's.
    private final Map<ActorPath, Integer> inHand = new HashMap<>();
    private final AtomicLong now;
    private final ActorRef<Quiescent> quiescenceListener;
    private int outstanding;
    private boolean paused = true;
    private boolean stopped;
    private long wavesAtLastTick = -1;
    private long waves;

    public static Behavior<Command> create(AtomicLong now, ActorRef<Quiescent> quiescenceListener, Duration watchdog) {
        return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new VirtualClock(ctx, timers, now,
                quiescenceListener, watchdog)));
    }

    private VirtualClock(ActorContext<Command> context, TimerScheduler<Command> timers, AtomicLong now,
                         ActorRef<Quiescent> quiescenceListener, Duration watchdog) {
        super(context);
        this.now = now;
        this.quiescenceListener = quiescenceListener;
        if (!watchdog.isZero()) {
            timers.startTimerWithFixedDelay(WatchdogTick.INSTANCE, watchdog);
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Schedule.class, this::onSchedule)
                .onMessage(Handled.class, this::onHandled)
                .onMessage(Resume.class, this::onResume)
                .onMessage(Stop.class, this::onStop)
                .onMessageEquals(WatchdogTick.INSTANCE, this::onWatchdog)
                .build();
    }

    private Behavior<Command> onSchedule(Schedule<?> event) {
        if (event.atMicros() < now.get()) {
            throw new IllegalStateException("event for " + event.target() + " scheduled in the past: "
                    + event.atMicros() + " < " + now.get() + " by " + event.source());
        }
        queue.add(event);
        releaseIfIdle();
        return this;
    }

    private Behavior<Command> onHandled(Handled h) {
        if (outstanding == 0) {
            throw new IllegalStateException(h.from() + " reported a message handled but none is outstanding: "
                    + "a behaviour calls Clock.handled() for a message that did not come through the clock");
        }
        ActorPath self = h.from().path();
        ActorPath key = inHand.containsKey(self) ? self
                : inHand.keySet().stream().filter(p -> p.parent().equals(self)).findFirst().orElse(null);
        if (key != null) {
            inHand.computeIfPresent(key, (k, n) -> n == 1 ? null : n - 1);
        }
        outstanding--;
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
        stop.replyTo().tell(new Stopped(now.get()));
        return this;
    }

    private Behavior<Command> onWatchdog() {
        if (!stopped && outstanding > 0 && waves == wavesAtLastTick) {
            getContext().getLog().warn("virtual time held at {} s: waiting for {} to report messages handled",
                    now.get() / 1e6, inHand.keySet());
        }
        wavesAtLastTick = waves;
        return this;
    }

    private void releaseIfIdle() {
        if (paused || stopped || outstanding > 0) {
            return;
        }
        if (queue.isEmpty()) {
            quiescenceListener.tell(new Quiescent(now.get()));
            return;
        }
        long t = queue.peek().atMicros();
        List<Schedule<?>> wave = new ArrayList<>();
        while (!queue.isEmpty() && queue.peek().atMicros() == t) {
            wave.add(queue.poll());
        }
        now.set(t);
        waves++;
        outstanding = wave.size();
        for (Schedule<?> e : wave) {
            inHand.merge(e.target().path(), 1, Integer::sum);
        }
        for (Schedule<?> e : wave) {
            e.deliver();
        }
    }
}
