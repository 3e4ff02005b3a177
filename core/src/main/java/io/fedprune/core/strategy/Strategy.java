package io.fedprune.core.strategy;

import java.util.List;

/**
 * The server seam: how an algorithm turns client work into global models. Like Flower's
 * Strategy a pure object that knows nothing of transport, actors or time sources; unlike it,
 * asynchronous and per client. The aggregator actor decides <em>when</em> (rounds, arrivals,
 * clock ticks, deadlines, dropouts) and calls the strategy; the strategy decides <em>what</em>:
 * what each client is sent ({@link #configure}) and whether a new global model results
 * ({@link Decision}).
 *
 * <p>Calls are made one at a time, in a deterministic order, but not necessarily on the same
 * thread (they run off the actor threads): implementations keep plain fields and need no locks.
 * The {@link ModelState} passed in is read-only.
 */
public interface Strategy {

    /** Short name for logs and result files; also the algorithm's config block. */
    String name();

    /** How the server paces this strategy: synchronous rounds or continuous work, and ticks. */
    Pacing pacing();

    /**
     * Names of the metrics this strategy reports in its decisions, in column order; they become
     * extra columns of {@code rounds.csv}, so they are fixed for a run.
     */
    default List<String> metricNames() {
        return List.of();
    }

    /**
     * What client {@code clientId}, about to start work, receives: the global model or a masked
     * sub-model, its local work and codec. The default sends everyone the global model.
     */
    default Dispatch configure(int clientId, ModelState global) {
        return Dispatch.global();
    }

    /** An update arrived and passed validation. */
    Decision onUpdate(ArrivedUpdate update, ModelState global);

    /** A clock tick (every {@link Pacing#tickMicros()}); {@code nowMicros} is clock time. */
    default Decision onTick(long nowMicros, ModelState global) {
        return Decision.keep();
    }

    /** A synchronous round closed: every participant answered, failed, dropped out or timed out. */
    default Decision onRoundEnd(RoundOutcome round, ModelState global) {
        return Decision.keep();
    }

    /**
     * Client {@code clientId} will not answer the dispatch it holds (it failed, stopped or was
     * superseded); strategies that reserve state per outstanding client release it here.
     */
    default void onClientGone(int clientId) {
    }

    /**
     * True if {@link ArrivedUpdate#base()} must hold the model the client started from even when
     * clients upload whole models (FedBuff works on the change {@code trained - start}). The server
     * then keeps each version in flight until its clients have answered.
     */
    default boolean needsBaseModels() {
        return false;
    }

    /**
     * How many full-length models this strategy keeps in memory with {@code clients} clients
     * (accumulators, buffers), so a run that cannot fit is refused before it starts.
     */
    default long modelsHeld(int clients) {
        return 2; // an accumulator in double
    }

    /**
     * Parameters each client keeps across rounds because of this strategy (a personal part that
     * never leaves the device), so a run's memory estimate counts them per client.
     */
    default long clientStateParams() {
        return 0;
    }

    /**
     * True if clients must upload their trained models, not updates: a client-side pruned model
     * sent as an update would carry every pruned entry's change (-w) and save nothing.
     */
    default boolean requiresModelUploads() {
        return false;
    }
}
