package io.fedprune.actors.client;

import io.fedprune.actors.distributor.Distributor;
import io.fedprune.core.compress.PayloadFormatException;
import io.fedprune.core.compress.ResidualIncrement;
import io.fedprune.core.compress.SubModelAssembler;
import io.fedprune.core.model.ParameterLayout;

/**
 * A client's side of PR-FL's residual download: the request whose increments are on their way,
 * and the increments of one split it holds, from which it rebuilds its sub-model. After a bad
 * answer it holds nothing rather than something unknown (the server then assumes the same: the
 * failed round makes it forget what the client holds).
 */
final class IncrementFetcher {

    /** A rebuilt sub-model and the bytes its increments took on the downlink. */
    record Rebuilt(float[] start, long bytes) {
    }

    private final ParameterLayout layout;
    private SubModelAssembler assembler; // on first use
    private Client.TrainFromIncrements pending;
    private long pendingTask = -1;

    IncrementFetcher(ParameterLayout layout) {
        this.layout = layout;
    }

    /** Task {@code task} asked the distributor for {@code request}'s increments. */
    void asked(long task, Client.TrainFromIncrements request) {
        pending = request;
        pendingTask = task;
    }

    /** The request task {@code task} is waiting for, or null (superseded, or never asked). */
    Client.TrainFromIncrements waiting(long task) {
        return task == pendingTask ? pending : null;
    }

    /** The fetch under way will never be answered: forget it and everything held. */
    void abandon() {
        pending = null;
        pendingTask = -1;
        assembler = null;
    }

    /**
     * Overlays the answer on what is held and rebuilds the request's sub-model.
     *
     * @throws PayloadFormatException if the answer is an error, does not continue what is held, or
     *                                its bytes are damaged
     */
    Rebuilt rebuild(Client.TrainFromIncrements r, Distributor.Fetched answer) {
        pending = null;
        pendingTask = -1;
        try {
            if (!answer.ok()) {
                throw new PayloadFormatException(answer.error());
            }
            if (assembler == null) {
                assembler = new SubModelAssembler(layout);
            }
            if (r.from() > 0 && (assembler.splitId() != r.splitId() || assembler.held() < r.from())) {
                throw new PayloadFormatException("told to fetch from increment " + r.from() + " of a split it does "
                        + "not hold");
            }
            assembler.add(answer.increments());
            long bytes = 0;
            for (ResidualIncrement i : answer.increments()) {
                bytes += i.size();
            }
            return new Rebuilt(assembler.subModel(r.level()), bytes);
        } catch (PayloadFormatException | IllegalArgumentException e) {
            assembler = null;
            throw e instanceof PayloadFormatException p ? p : new PayloadFormatException(e.getMessage());
        }
    }
}
