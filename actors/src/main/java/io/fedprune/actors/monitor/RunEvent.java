package io.fedprune.actors.monitor;

/**
 * What the actors of a run tell a watcher (a live page) about clients, stamped with the clock's
 * time. Published through {@link RunMonitor}, never through the clock: watching a run must not
 * change it. Local only: a node publishes to its own system's monitor.
 */
public sealed interface RunEvent {

    int clientId();

    /** Clock time of the event, in microseconds (virtual or real, as the run's clock is). */
    long atMicros();

    /** The aggregator sent {@code clientId} work on {@code version}. */
    record WorkSent(int clientId, long version, long atMicros) implements RunEvent {
    }

    /**
     * The client started its local round: it downloaded {@code modelBytes} of model,
     * {@code maskBytes} of mask and {@code incrementBytes} of residual increments, trains a
     * {@code density} fraction of the model's entries, and its compute ends at
     * {@code computeEndMicros} (-1 when not yet known: on a shared link the download's end is not).
     */
    record RoundStarted(int clientId, long version, double density, long modelBytes, long maskBytes,
                        long incrementBytes, long atMicros, long computeEndMicros) implements RunEvent {
    }

    /** The client's compute ends at {@code computeEndMicros}, learned when its shared-link download ended. */
    record ComputeScheduled(int clientId, long version, long atMicros, long computeEndMicros) implements RunEvent {
    }

    /** The client handed its update of {@code bytes} to the network. */
    record UpdateSent(int clientId, long version, long bytes, long atMicros) implements RunEvent {
    }

    /**
     * The aggregator received the client's answer on {@code baseVersion} while its newest version
     * was {@code serverVersion}; {@code trained} is false for a failed local round.
     */
    record Answered(int clientId, long baseVersion, long serverVersion, boolean trained, long atMicros)
            implements RunEvent {
    }

    /** The client stopped: a dropout. */
    record Dropped(int clientId, long atMicros) implements RunEvent {
    }
}
