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
 * @param computeScale the local round's compute as a fraction of the dense model's, in (0, 1]: a
 *                     client's compute time is its device's time for the samples times this. 1 for
 *                     a masked sub-model that still trains dense tensors (unstructured pruning);
 *                     below 1 for a structurally smaller network (HeteroFL's width slices)
 * @param uplink what the client does to its upload and over which rate it sends it (TT-Prune's
 *               per-tier pruning ratio and per-user bandwidth); null for the configured uplink
 * @param localAlt     when not null the client runs this LocalAlt round (personalization,
 *                     ALGORITHMS.md §3) instead of plain local training: the entries outside
 *                     {@code mask} are then its own personal part, which it keeps and never sends
 */
public record Dispatch(Mask mask, LocalWork work, CodecChainSpec codec, double computeScale, Uplink uplink,
                       LocalAltRound localAlt) {

    private static final Dispatch GLOBAL = new Dispatch(null, null, null);

    /**
     * A server's plan for one client's upload (ALGORITHMS.md §2): prune the fraction
     * {@code pruneRatio} of the hidden fully connected weights with the smallest local change
     * |w_local − w_received| (the rest of the model is sent whole), and send over a channel of
     * {@code rateBps} bits per second (the Shannon rate of the bandwidth and power the server
     * granted) instead of the device's own uplink rate.
     *
     * @param pruneRatio in [0, 1)
     * @param rateBps    &gt; 0, finite
     */
    public record Uplink(double pruneRatio, double rateBps) {
        public Uplink {
            if (!(pruneRatio >= 0 && pruneRatio < 1)) {
                throw new IllegalArgumentException("uplink pruning ratio must be in [0, 1), got " + pruneRatio);
            }
            if (!(rateBps > 0 && Double.isFinite(rateBps))) {
                throw new IllegalArgumentException("uplink rate must be a finite number > 0 bit/s, got " + rateBps);
            }
        }
    }

    public Dispatch {
        if (mask != null && mask.cardinality() == 0) {
            throw new IllegalArgumentException("a sub-model must keep at least one entry");
        }
        checkComputeScale(computeScale);
        if (localAlt != null && mask == null) {
            throw new IllegalArgumentException("a LocalAlt round needs the mask of the global part");
        }
    }


    /** Dense compute. */
    public Dispatch(Mask mask, LocalWork work, CodecChainSpec codec) {
        this(mask, work, codec, 1.0);
    }

    /** The configured uplink, plain local training. */
    public Dispatch(Mask mask, LocalWork work, CodecChainSpec codec, double computeScale) {
        this(mask, work, codec, computeScale, null, null);
    }

    /** Refuses a compute scale outside (0, 1] (or NaN) with a message naming it. */
    public static double checkComputeScale(double computeScale) {
        if (!(computeScale > 0 && computeScale <= 1)) {
            throw new IllegalArgumentException("compute scale must be in (0, 1], got " + computeScale);
        }
        return computeScale;
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
        return new Dispatch(mask, newWork, codec, computeScale, uplink, localAlt);
    }

    public Dispatch withCodec(CodecChainSpec newCodec) {
        return new Dispatch(mask, work, newCodec, computeScale, uplink, localAlt);
    }

    /** The same dispatch whose local round costs {@code scale} of the dense model's compute. */
    public Dispatch withComputeScale(double scale) {
        return new Dispatch(mask, work, codec, scale, uplink, localAlt);
    }

    /** The same dispatch with the upload planned as {@code plan} (null: the configured uplink). */
    public Dispatch withUplink(Uplink plan) {
        return new Dispatch(mask, work, codec, computeScale, plan, localAlt);
    }

    /** The same dispatch as a LocalAlt round (null: plain local training). */
    public Dispatch withLocalAlt(LocalAltRound round) {
        return new Dispatch(mask, work, codec, computeScale, uplink, round);
    }

    /** Fraction of the model's entries the client holds. */
    public double density() {
        return mask == null ? 1.0 : mask.density();
    }

    /** True if this is the whole model with the configured codec: every such client gets the same bytes. */
    public boolean isPlainGlobal() {
        // neither the compute scale nor the upload plan changes the bytes sent down
        return mask == null && codec == null;
    }
}
