package io.fedprune.core.strategy;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.prune.Mask;
import java.util.List;

/**
 * A strategy whose masked dispatches are levels of one nested family (PR-FL): the server may then
 * send a sub-model as the residual increments of a split of the global model (ALGORITHMS.md §6,
 * "Residual split download") rather than whole. Every masked {@link Dispatch} of such a strategy
 * must be one of {@link #nestedMasks()}.
 */
public interface NestedSubModels {

    /** The current levels, ascending (each a subset of the next); null or empty when there are none. */
    List<Mask> nestedMasks();

    /** True: sub-models go out as residual increments; false: each client downloads its whole sub-model. */
    boolean residualDownload();

    /** The layout the masks are over (increments are encoded against it). */
    ParameterLayout layout();
}
