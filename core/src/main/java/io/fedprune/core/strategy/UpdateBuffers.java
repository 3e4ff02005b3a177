package io.fedprune.core.strategy;

/**
 * Where a strategy gets its {@link UpdateBuffer} in a run of actors: a buffer actor the run spawns
 * for it ({@link StrategyContext#buffers()}; null there means the strategy keeps one in its own
 * memory). Call only while the strategy is being built (a run spawns actors on its own thread then).
 */
@FunctionalInterface
public interface UpdateBuffers {

    /** A new, empty buffer for models of {@code modelSize} parameters. */
    UpdateBuffer create(int modelSize);
}
