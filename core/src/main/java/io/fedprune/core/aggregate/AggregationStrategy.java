package io.fedprune.core.aggregate;

import java.util.Optional;

/**
 * How updates become a new global model. Like Flower's Strategy a pure object that knows nothing
 * of transport; unlike it, asynchronous: it is told of each arriving update (with the version
 * the client started from) and decides whether a new global model results. Timing, deadlines and
 * failures belong to the aggregator actor, which calls {@link #onRoundEnd} when a round closes.
 *
 * <p>Implementations may keep state between calls (buffers, accumulators); they are used by one
 * aggregator at a time and need not be thread-safe.
 */
public interface AggregationStrategy {

    /** Short name for logs and result files. */
    String name();

    /**
     * An update has arrived and passed validation.
     *
     * @return a new global model if this update produces one (asynchronous rules), else empty
     */
    Optional<float[]> onUpdate(ClientUpdate update, ModelState global);

    /**
     * The aggregator closed a round (all expected replies arrived or the deadline passed).
     *
     * @return a new global model from what was gathered, or empty if nothing was
     */
    Optional<float[]> onRoundEnd(ModelState global);
}
