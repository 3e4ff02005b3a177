package io.fedprune.actors.clock;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * Hands out clocks backed by one {@link VirtualClock} actor. Each actor's sends are tagged with
 * its path and a per-actor counter; the clock orders simultaneous events by that tag, so the
 * order of events never depends on thread scheduling.
 */
public final class VirtualClockService implements ClockService {
    private final ActorRef<VirtualClock.Command> clock;
    private final AtomicLong now;

    /** @param now the clock's published time (written by the clock only between waves) */
    public VirtualClockService(ActorRef<VirtualClock.Command> clock, AtomicLong now) {
        this.clock = clock;
        this.now = now;
    }

    public ActorRef<VirtualClock.Command> clockRef() {
        return clock;
    }

    @Override
    public Clock forActor(ActorContext<?> context) {
        ActorRef<?> self = context.getSelf();
        String source = self.path().toStringWithoutAddress();
        clock.tell(new VirtualClock.Register(self));
        return new Clock() {
            private long sequence;

            @Override
            public long nowMicros() {
                return now.get();
            }

            @Override
            public <T> void send(ActorRef<T> target, T message, long delayMicros) {
                if (delayMicros < 0) {
                    throw new IllegalArgumentException("negative delay " + delayMicros + " us from " + source
                            + " (an overflowing latency?)");
                }
                clock.tell(new VirtualClock.Schedule<>(Math.addExact(now.get(), delayMicros), source, sequence++,
                        target, message));
            }

            @Override
            public <T> void after(ActorRef<T> target, T message, long delayMicros) {
                send(target, message, delayMicros);
            }

            @Override
            public void handled() {
                clock.tell(new VirtualClock.Handled(self));
            }
        };
    }

    @Override
    public boolean isVirtual() {
        return true;
    }
}
