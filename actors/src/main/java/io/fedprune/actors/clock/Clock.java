package io.fedprune.actors.clock;

import org.apache.pekko.actor.typed.ActorRef;

/**
 * How a behaviour lets time pass. Every message that models a delay (a download, local compute,
 * an upload) goes through {@link #send}; every timer of the protocol itself (a round deadline, a
 * tick, a time limit) through {@link #after}. So the same behaviours run in virtual time (one
 * JVM, results a function of the seed) or in real time (cluster, embedding).
 *
 * <p>Contract in virtual mode: a behaviour that receives a message through the clock calls
 * {@link #handled()} exactly once when it has finished with it — possibly later, after work it
 * started (training) is done. Until every delivered message is handled, virtual time does not
 * move; that is what "no actor has work in hand" means. An actor that stops is never waited
 * for. Real-time clocks ignore {@code handled}.
 *
 * <p>One instance per actor; use it only from that actor's thread.
 */
public interface Clock {

    /** Current time in microseconds since the experiment started. */
    long nowMicros();

    /**
     * Delivers {@code message} after a modelled latency of {@code delayMicros} (0 = now). In real
     * time the latency is scaled by the clock's emulation factor (0: real networks and devices
     * supply their own).
     */
    <T> void send(ActorRef<T> target, T message, long delayMicros);

    /**
     * Delivers {@code message} after {@code delayMicros} of the run's own time: a deadline, a
     * tick, a limit. In real time that is wall-clock time, never scaled.
     */
    <T> void after(ActorRef<T> target, T message, long delayMicros);

    /**
     * The message this actor was delivered through the clock is fully processed. Call it after
     * sending whatever the message leads to: once every delivered message is handled, time may
     * move on, and an event sent afterwards could find the run already over.
     */
    void handled();

    default double nowSeconds() {
        return nowMicros() / 1e6;
    }
}
