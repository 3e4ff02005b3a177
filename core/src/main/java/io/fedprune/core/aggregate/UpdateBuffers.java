package io.fedprune.core.aggregate;

/**
 * Where a strategy gets its {@link UpdateBuffer}: in its own memory ({@link #inProcess()}) or, in
 * a run of actors, a buffer actor the run spawns for it. Call only while the strategy is being
 * built (a run spawns actors on its own thread then).
 */
@FunctionalInterface
public interface UpdateBuffers {

    /** A new, empty buffer for models of {@code modelSize} parameters. */
    UpdateBuffer create(int modelSize);

    /** A {@link ClientBuffer} in the strategy's own memory. */
    static UpdateBuffers inProcess() {
        return ClientBuffer::new;
    }
}
