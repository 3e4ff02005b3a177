package io.fedprune.core.strategy;

import io.fedprune.core.compress.CodecChainSpec;
import io.fedprune.core.prune.Mask;

/**
 * What one client receives when it starts work: the global model or a masked sub-model (the
 * entries outside {@code mask} are zero and stay zero while it trains), how much local work, and
 * the downlink codec. Different clients may get different dispatches, hence different bytes.
 *
 * @param mask  the entries the client holds and trains; null for the whole model
 * @param work  local epochs / steps; null for the experiment's configured local work
 * @param codec the downlink codec chain; null for the configured one
 */
public record Dispatch(Mask mask, LocalWork work, CodecChainSpec codec) {

    private static final Dispatch GLOBAL = new Dispatch(null, null, null);

    public Dispatch {
        if (mask != null && mask.cardinality() == 0) {
            throw new IllegalArgumentException("a sub-model must keep at least one entry");
        }
    }

    /** The whole global model, configured work and codec. */
    public static Dispatch global() {
        return GLOBAL;
    }

    /** The global model restricted to {@code mask}. */
    public static Dispatch masked(Mask mask) {
        return new Dispatch(java.util.Objects.requireNonNull(mask, "mask"), null, null);
    }

    public Dispatch withWork(LocalWork newWork) {
        return new Dispatch(mask, newWork, codec);
    }

    public Dispatch withCodec(CodecChainSpec newCodec) {
        return new Dispatch(mask, work, newCodec);
    }

    /** Fraction of the model's entries the client holds. */
    public double density() {
        return mask == null ? 1.0 : mask.density();
    }

    /** True if this is the whole model with the configured codec: every such client gets the same bytes. */
    public boolean isPlainGlobal() {
        return mask == null && codec == null;
    }
}
