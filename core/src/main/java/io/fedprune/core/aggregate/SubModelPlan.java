package io.fedprune.core.aggregate;

import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.ModelState;

/**
 * Which sub-model a client of {@link PrflBuffered} is sent: the hook for PR-FL's density control
 * and nested masks (ALGORITHMS.md §6, stages 1–2), which live outside the aggregation. The mask
 * a client was sent comes back with its update ({@code ArrivedUpdate.dispatch().mask()}) and is
 * what MaskFedAvg averages over, so a plan never has to remember what it handed out.
 */
@FunctionalInterface
public interface SubModelPlan {

    /** Everyone gets the whole model. */
    SubModelPlan FULL = (clientId, global) -> null;

    /**
     * @return the entries client {@code clientId}, about to start work from {@code global}, holds
     *         and trains (at least one, of the model's length), or null for the whole model
     */
    Mask maskFor(int clientId, ModelState global);
}
