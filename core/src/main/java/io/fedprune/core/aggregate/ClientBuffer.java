package io.fedprune.core.aggregate;

import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.UpdateBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.TreeMap;
import java.util.function.LongToDoubleFunction;

/**
 * PR-FL's server cache (ALGORITHMS.md §6): the latest update of <em>every</em> client heard from,
 * one slot per client, kept until that client sends a newer one (a client that stops keeps its
 * slot, growing staler). Aggregation runs over the whole buffer with staleness weights
 * {@code s_i = s(n - n'_i)}, {@code p_i = s_i / sum_j s_j} at the current version n.
 *
 * <p>An offered update is, against the slot its client already holds:
 * <ul>
 * <li>{@link UpdateBuffer.Outcome#ADDED} if there is no slot, {@link UpdateBuffer.Outcome#REPLACED} if its base version is
 * newer than the slot's: it is stored;</li>
 * <li>{@link UpdateBuffer.Outcome#DUPLICATE} if its base version is the slot's: ignored. The server rejects
 * replayed messages before any strategy sees them, so this is a second local run from the same
 * global model (possible only when a version outlives one local round: {@code aggregate-every > 1}
 * or time-triggered aggregation). It is exactly as stale as the run already held, so keeping the
 * first loses only that run's compute, and a fast client cannot trigger aggregations without
 * adding information;</li>
 * <li>{@link UpdateBuffer.Outcome#OUT_OF_ORDER} if its base version is older than the slot's: ignored (a newer
 * run of that client is already held).</li>
 * </ul>
 * Every offer has exactly one outcome and is counted once, in {@link #stored()},
 * {@link #duplicates()} or {@link #outOfOrder()}.
 *
 * <p>Memory: one {@code float[]} of the model's length per client slot (0.64 MB for the
 * 159k-parameter MLP, so 1000 clients hold 640 MB), allocated on the client's first update and
 * overwritten in place afterwards; the caller's arrays are copied, never kept. Not thread-safe
 * (strategies are called one at a time).
 */
public final class ClientBuffer implements UpdateBuffer {

    /**
     * One client's latest update. {@link #params()} is the buffer's own array: read it, never
     * write it (it is overwritten when the client's next update is stored).
     */
    public static final class Slot {
        private final int clientId;
        private final float[] params;
        private Mask mask;
        private long samples;
        private long baseVersion;

        private Slot(int clientId, int modelSize) {
            this.clientId = clientId;
            this.params = new float[modelSize];
        }

        public int clientId() {
            return clientId;
        }

        /** The trained sub-model, full length, zero outside {@link #mask()}. */
        public float[] params() {
            return params;
        }

        /** The entries the client held and trained; null for the whole model. */
        public Mask mask() {
            return mask;
        }

        public long samples() {
            return samples;
        }

        /** The global version the client started from (n'). */
        public long baseVersion() {
            return baseVersion;
        }
    }

    private final int modelSize;
    private final TreeMap<Integer, Slot> slots = new TreeMap<>();
    private final Collection<Slot> view = Collections.unmodifiableCollection(slots.values());
    private long stored;
    private long duplicates;
    private long outOfOrder;

    /** @param modelSize the length of every model (the global model's parameter count) */
    public ClientBuffer(int modelSize) {
        if (modelSize < 1) {
            throw new IllegalArgumentException("model size must be >= 1, got " + modelSize);
        }
        this.modelSize = modelSize;
    }

    /**
     * Offers client {@code clientId}'s update; stores a copy of it (with the entries outside
     * {@code mask} set to 0) unless its client already holds one from the same or a newer base.
     *
     * @param params      the trained model, full length
     * @param mask        the entries the client held; null for the whole model
     * @param samples     samples it trained on (&gt;= 0)
     * @param baseVersion the global version it started from (&gt;= 0)
     */
    @Override
    public UpdateBuffer.Outcome offer(int clientId, float[] params, Mask mask, long samples, long baseVersion) {
        if (params.length != modelSize) {
            throw new IllegalArgumentException("client " + clientId + " sent " + params.length
                    + " parameters to a buffer of " + modelSize);
        }
        if (mask != null && mask.size() != modelSize) {
            throw new IllegalArgumentException("client " + clientId + "'s mask has " + mask.size()
                    + " entries, the model " + modelSize);
        }
        if (samples < 0 || baseVersion < 0) {
            throw new IllegalArgumentException("client " + clientId + ": samples and base version must be >= 0, got "
                    + samples + " and " + baseVersion);
        }
        Slot slot = slots.get(clientId);
        UpdateBuffer.Outcome outcome;
        if (slot == null) {
            slot = new Slot(clientId, modelSize);
            slots.put(clientId, slot);
            outcome = UpdateBuffer.Outcome.ADDED;
        } else if (baseVersion > slot.baseVersion) {
            outcome = UpdateBuffer.Outcome.REPLACED;
        } else if (baseVersion == slot.baseVersion) {
            duplicates++;
            return UpdateBuffer.Outcome.DUPLICATE;
        } else {
            outOfOrder++;
            return UpdateBuffer.Outcome.OUT_OF_ORDER;
        }
        System.arraycopy(params, 0, slot.params, 0, modelSize);
        if (mask != null) {
            mask.applyTo(slot.params);
        }
        slot.mask = mask;
        slot.samples = samples;
        slot.baseVersion = baseVersion;
        stored++;
        return outcome;
    }

    @Override
    public Aggregate aggregate(float[] global, long version, Rule rule) {
        if (slots.isEmpty()) {
            throw new IllegalStateException("nothing to aggregate: the buffer is empty");
        }
        if (global.length != modelSize) {
            throw new IllegalArgumentException("a global model of " + global.length + " parameters for a buffer of "
                    + modelSize);
        }
        double[] w;
        try {
            w = weights(version, rule.staleness());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
        List<float[]> params = new ArrayList<>(w.length);
        List<Mask> masks = new ArrayList<>(w.length);
        int i = 0;
        for (Slot s : slots.values()) {
            w[i++] *= s.samples;
            params.add(s.params);
            // plain FedAvg (ablation): every entry averaged over every update, pruned ones as zeros
            masks.add(rule.maskAware() ? s.mask : null);
        }
        float[] next = MaskFedAvg.aggregate(global, params, masks, w, rule.globalLr());
        return new Aggregate(next, slots.size(), meanStaleness(version));
    }

    @Override
    public Summary summary(long version) {
        return new Summary(slots.size(), meanStaleness(version), stored, duplicates, outOfOrder);
    }

    /** Clients with a slot. */
    public int size() {
        return slots.size();
    }

    public boolean isEmpty() {
        return slots.isEmpty();
    }

    /** Every slot in ascending client id (deterministic summation order); a read-only live view. */
    public Collection<Slot> slots() {
        return view;
    }

    /** Client {@code clientId}'s slot, or null. */
    public Slot slot(int clientId) {
        return slots.get(clientId);
    }

    /**
     * PR-FL's staleness weights at global version {@code version}: p_i = s(version - n'_i) /
     * sum_j s(version - n'_j), in {@link #slots()} order; they sum to 1 (empty if the buffer is).
     *
     * @throws IllegalArgumentException if a slot started from a version newer than {@code version},
     *                                  or every s_i is 0
     */
    public double[] stalenessWeights(long version, StalenessFunction staleness) {
        return weights(version, staleness::weight);
    }

    private double[] weights(long version, LongToDoubleFunction staleness) {
        double[] p = new double[slots.size()];
        double sum = 0;
        int i = 0;
        for (Slot s : slots.values()) {
            p[i] = staleness.applyAsDouble(stalenessOf(s, version));
            sum += p[i++];
        }
        if (p.length > 0 && !(sum > 0)) {
            throw new IllegalArgumentException("every buffered update has staleness weight 0 at version " + version);
        }
        for (int k = 0; k < p.length; k++) {
            p[k] /= sum;
        }
        return p;
    }

    /** Mean of {@code version - n'_i} over the buffer (0 if it is empty). */
    public double meanStaleness(long version) {
        if (slots.isEmpty()) {
            return 0;
        }
        double sum = 0;
        for (Slot s : slots.values()) {
            sum += stalenessOf(s, version);
        }
        return sum / slots.size();
    }

    private static long stalenessOf(Slot s, long version) {
        long staleness = version - s.baseVersion;
        if (staleness < 0) {
            throw new IllegalArgumentException("client " + s.clientId + " started from version " + s.baseVersion
                    + ", newer than version " + version);
        }
        return staleness;
    }

    /** Updates stored (added or replacing their client's slot) so far. */
    public long stored() {
        return stored;
    }

    /** Updates ignored so far because their client's slot already held the same base version. */
    public long duplicates() {
        return duplicates;
    }

    /** Updates ignored so far because their client's slot already held a newer base version. */
    public long outOfOrder() {
        return outOfOrder;
    }
}
