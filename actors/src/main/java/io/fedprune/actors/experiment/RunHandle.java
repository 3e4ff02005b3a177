package io.fedprune.actors.experiment;

import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * A way, from outside the actors (a JVM shutdown hook, a test), to stop one running experiment
 * cleanly: {@link #interrupt()} asks its driver to stop as on any other stop condition, so the
 * runner still returns a summary, with stop reason {@code interrupted} and the versions evaluated
 * so far. An interrupt that comes before the driver has started (data still loading) is kept and
 * delivered as soon as it starts. Thread-safe; interrupting twice, or after the end, is harmless.
 */
public final class RunHandle {
    private volatile boolean interrupted;
    private final AtomicReference<Runnable> driver = new AtomicReference<>();

    /** Asks the experiment to stop with reason {@code interrupted}; returns at once. */
    public void interrupt() {
        interrupted = true;
        Runnable d = driver.get();
        if (d != null) {
            d.run();
        }
    }

    public boolean interrupted() {
        return interrupted;
    }

    /** Called by the runner once the driver exists. */
    void attach(ActorRef<ExperimentDriver.Command> d) {
        attach(() -> d.tell(new ExperimentDriver.Interrupt()));
    }

    /** As {@link #attach(ActorRef)}, for a driver of another protocol (a split run's): how to tell it to stop. */
    void attach(Runnable interrupter) {
        driver.set(interrupter);
        if (interrupted) {
            interrupter.run();
        }
    }
}
