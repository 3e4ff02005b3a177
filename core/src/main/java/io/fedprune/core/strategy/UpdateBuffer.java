package io.fedprune.core.strategy;

import io.fedprune.core.prune.Mask;
import java.util.function.LongToDoubleFunction;

/**
 * PR-FL's per-client latest-update store (ALGORITHMS.md §6) as a strategy sees it: offer an
 * update, aggregate the whole buffer with staleness weights, read its counts. {@code ClientBuffer}
 * is the store itself, in the strategy's own memory; a run of actors puts the store in a buffer
 * actor of its own and hands the strategy a client of it (see {@link UpdateBuffers}), with the same
 * results bit for bit.
 *
 * <p>Called by one strategy, one call at a time.
 */
public interface UpdateBuffer {

    /** What an offer did: stored (added, or replacing its client's older update) or ignored. */
    enum Outcome {
        ADDED, REPLACED, DUPLICATE, OUT_OF_ORDER;

        /** True if the update is now in the buffer. */
        public boolean stored() {
            return this == ADDED || this == REPLACED;
        }
    }

    /**
     * Offers client {@code clientId}'s update: stored unless its client's slot already holds one
     * from the same base version ({@link Outcome#DUPLICATE}) or a newer one ({@link Outcome#OUT_OF_ORDER}).
     *
     * @param params      the trained model, full length (not kept: the store copies it)
     * @param mask        the entries the client held; null for the whole model
     * @param samples     samples it trained on (&gt;= 0)
     * @param baseVersion the global version it started from (&gt;= 0)
     */
    UpdateBuffer.Outcome offer(int clientId, float[] params, Mask mask, long samples, long baseVersion);

    /**
     * The next global model: MaskFedAvg over every slot with weights p_i n_i, where
     * p_i = s(version - n'_i) / sum_j s(version - n'_j) and n_i is the slot's sample count.
     *
     * @param global  the current global model (not changed)
     * @param version its version, n
     * @throws IllegalStateException if the buffer is empty or cannot aggregate (every weight 0)
     */
    Aggregate aggregate(float[] global, long version, Rule rule);

    /** Clients held and counts so far, with staleness measured at {@code version}. */
    Summary summary(long version);

    /**
     * How to aggregate.
     *
     * @param staleness     s, the weight of an update {@code version - n'} versions old
     * @param stalenessSpec s as its configuration text (e.g. {@code polynomial(0.6)}), which is what
     *                      travels to a buffer actor
     * @param maskAware     MaskFedAvg (true), or plain FedAvg with pruned entries averaged as zeros (the ablation)
     * @param globalLr      η_g: the next model is global + η_g (average - global)
     */
    record Rule(LongToDoubleFunction staleness, String stalenessSpec, boolean maskAware, double globalLr) {
        public Rule {
            if (staleness == null || stalenessSpec == null) {
                throw new IllegalArgumentException("a staleness function and its text are required");
            }
            if (!(globalLr > 0 && globalLr <= 1)) {
                throw new IllegalArgumentException("global learning rate must be in (0, 1], got " + globalLr);
            }
        }
    }

    /** The aggregated model, the clients it averaged and their mean staleness. */
    record Aggregate(float[] params, int clients, double meanStaleness) {
    }

    /**
     * @param clients       clients with a slot
     * @param meanStaleness mean of version - n'_i over the slots (0 when empty)
     * @param stored        updates stored so far (added or replacing)
     * @param duplicates    updates ignored as duplicates so far
     * @param outOfOrder    updates ignored as out of order so far
     */
    record Summary(int clients, double meanStaleness, long stored, long duplicates, long outOfOrder) {
    }
}
