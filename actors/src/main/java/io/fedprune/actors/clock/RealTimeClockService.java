package io.fedprune.actors.clock;

import java.time.Duration;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * Wall-clock time for cluster runs and services. Modelled latencies ({@link Clock#send}) are
 * multiplied by {@code latencyScale}: 0 sends at once (real networks supply their own latency), 1
 * emulates the device model in real time. Protocol timers ({@link Clock#after}: deadlines, ticks,
 * limits) are wall-clock durations and never scaled. Scheduling uses the actor system's
 * scheduler, so protocol tests drive it deterministically with Pekko's ManualTime.
 */
public final class RealTimeClockService implements ClockService {
    private final double latencyScale;
    private final long startNanos = System.nanoTime();

    public RealTimeClockService(double latencyScale) {
        if (!(latencyScale >= 0) || Double.isInfinite(latencyScale)) {
            throw new IllegalArgumentException("latency scale must be >= 0, got " + latencyScale);
        }
        this.latencyScale = latencyScale;
    }

    @Override
    public Clock forActor(ActorContext<?> context) {
        return new Clock() {
            @Override
            public long nowMicros() {
                return (System.nanoTime() - startNanos) / 1000;
            }

            @Override
            public <T> void send(ActorRef<T> target, T message, long delayMicros) {
                after(target, message, (long) (delayMicros * latencyScale));
            }

            @Override
            public <T> void after(ActorRef<T> target, T message, long delayMicros) {
                if (delayMicros <= 0) {
                    target.tell(message);
                } else {
                    context.scheduleOnce(Duration.ofNanos(Math.multiplyExact(delayMicros, 1000L)), target, message);
                }
            }

            @Override
            public void handled() {
                // real time moves by itself
            }
        };
    }

    @Override
    public boolean isVirtual() {
        return false;
    }
}
