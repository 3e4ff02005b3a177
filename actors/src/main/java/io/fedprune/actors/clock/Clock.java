package io.fedprune.actors.clock;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * How a behaviour lets time pass. Every message that models a delay (a download, local compute,
 * an upload, a round deadline) is sent through the clock, so the same behaviours run in virtual
 * time (one JVM, results a function of the seed) or in real time (cluster, embedding).
 *
 * <p>Contract in virtual mode: a behaviour that receives a message through {@link #send} calls
 * {@link #handled()} exactly once when it has finished with it — possibly later, after work it
 * started (training) is done. Until every delivered message is handled, virtual time does not
 * move; that is what "no actor has work in hand" means. Real-time clocks ignore {@code handled}.
 *
 * <p>One instance per actor; use it only from that actor's thread.
 */
public interface Clock {

    /** Current time in microseconds since the experiment started. */
    long nowMicros();

    /** Delivers {@code message} to {@code target} after {@code delayMicros} (0 = at the current time). */
    <T> void send(ActorRef<T> target, T message, long delayMicros);

    /** The message this actor was delivered through the clock is fully processed. */
    void handled();

    default double nowSeconds() {
        return nowMicros() / 1e6;
    }
}
