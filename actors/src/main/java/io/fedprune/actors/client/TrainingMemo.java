package io.fedprune.actors.client;

import io.fedprune.core.server.ServerInput;

/**
 * Local rounds already done in an earlier, killed run of the same experiment: a resumed run's
 * client takes the journaled update in place of training (docs/DURABILITY.md). Training is seeded
 * by client and task, so the journaled bytes are exactly what it would make again.
 */
public interface TrainingMemo {

    /** The journaled update client {@code clientId} makes next, if it answers {@code version} of {@code round}; else null. */
    ServerInput.Update recall(int clientId, long version, long round);

    /** Nothing journaled: every round trains. */
    TrainingMemo NONE = (clientId, version, round) -> null;
}
