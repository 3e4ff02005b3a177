package io.fedprune.core.split;

import io.fedprune.core.compress.CutLayerCodec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.prune.Mask;

/**
 * A client's half of split steps: the forward pass of a batch to bytes going up, and the bytes
 * coming down to the backward pass and optimizer step. The client's state is floats only (its
 * part's parameters, optimizer state and step count, its pruning mask); each pass borrows the
 * calling thread's network from {@link ClientParts}. So that no network is held while the
 * server computes, the backward pass first repeats the step's forward pass on the same samples
 * (the client layers are deterministic: same values as the first pass) — a simulation cost in
 * wall time, not in the device's modelled time. Not thread-safe (one client).
 */
public final class ClientSide {
    private final ClientParts parts;
    private final CutPoint cut;
    private final ActivationDropout dropout;
    private final CutLayerCodec up;
    private final Dataset data;
    private final int client;
    private final ClientPruning pruning; // null: none
    private float[] params;
    private float[] optimizerState = new float[0]; // empty: zero state
    private int iterations;
    private Mask mask; // null: dense
    private long round = -1;
    private long step = -1;
    private int[] samples;

    /** @param pruning client-side pruning, or null for a dense client part */
    public ClientSide(ClientParts parts, float[] initial, ActivationDropout dropout, CutLayerCodec up, Dataset data,
                      int client, ClientPruning pruning) {
        this.parts = parts;
        this.cut = parts.cut();
        this.dropout = dropout;
        this.up = up;
        this.data = data;
        this.client = client;
        this.pruning = pruning != null && pruning.rate() > 0 ? pruning : null;
        setParameters(initial);
    }

    public int parameterCount() {
        return parts.parameterCount();
    }

    public long layoutFingerprint() {
        return parts.layoutFingerprint();
    }

    /** A copy of the client part's parameters (pruned entries are 0). */
    public float[] parameters() {
        return params.clone();
    }

    /**
     * Replaces the client part (e.g. with the fed server's average); the current pruning mask is
     * applied, so pruned weights stay zero.
     *
     * @throws IllegalArgumentException on a wrong length or a non-finite value (nothing changes)
     */
    public void setParameters(float[] values) {
        if (values.length != parts.parameterCount()) {
            throw new IllegalArgumentException("the client part has " + parts.parameterCount() + " parameters, got "
                    + values.length);
        }
        Finite.check(values, "parameters");
        float[] p = values.clone();
        if (mask != null) {
            mask.applyTo(p);
        }
        params = p;
    }

    /** Starts round {@code round}: a round that refreshes the pruning mask recomputes it from the weights now. */
    public void beginRound(long round) {
        if (pruning != null && (mask == null || pruning.refreshes(round))) {
            mask = pruning.select(params);
            mask.applyTo(params);
        }
    }

    /** The pruning mask in force, or null when the part is dense. */
    public Mask mask() {
        return mask;
    }

    /** The client's compute relative to the dense part (1 - ρ_f with pruning). */
    public double computeFactor() {
        return pruning == null ? 1 : pruning.computeFactor();
    }

    /** The activations and labels of samples {@code samples} (indices into the dataset), encoded. */
    public byte[] forward(long round, long step, int[] samples) {
        int[] labels = new int[samples.length];
        for (int i = 0; i < samples.length; i++) {
            labels[i] = data.label(samples[i]);
        }
        float[] acts = load().forward(features(samples), samples.length);
        Mask keep = dropout.keepMask(client, round, step, acts.length);
        byte[] out = up.encodeActivations(ActivationDropout.kept(acts, keep), labels, cut.spec().numClasses(),
                StepKey.of(dropout.seed(), client, round, step));
        this.round = round;
        this.step = step;
        this.samples = samples.clone();
        return out;
    }

    /**
     * Back-propagates the server's gradient payload for the last forward pass and steps the
     * optimizer; pruned weights are zeroed again after the step.
     *
     * @throws io.fedprune.core.compress.PayloadFormatException if the bytes are not that step's gradients
     */
    public void backward(long round, long step, byte[] payload) {
        if (round != this.round || step != this.step) {
            throw new IllegalStateException("gradients for round " + round + " step " + step + ", the last forward pass was round "
                    + this.round + " step " + this.step);
        }
        Mask keep = dropout.keepMask(client, round, step, samples.length * cut.activationSize());
        float[] g = CutLayerCodec.decodeGradients(payload, keep.cardinality(), StepKey.of(dropout.seed(), client, round, step));
        ClientPart part = load();
        part.forward(features(samples), samples.length); // the layer inputs the backward pass reads
        part.backward(ActivationDropout.clientGradient(g, keep));
        float[] after = part.parameters();
        if (mask != null) {
            mask.applyTo(after);
        }
        params = after;
        optimizerState = part.optimizerState();
        iterations = part.iterationCount();
        this.step = -1;
    }

    private ClientPart load() {
        ClientPart part = parts.get();
        part.setParameters(params);
        part.setOptimizerState(optimizerState);
        part.setIterationCount(iterations);
        return part;
    }

    private float[] features(int[] samples) {
        int d = data.featureSize();
        float[] x = new float[samples.length * d];
        for (int i = 0; i < samples.length; i++) {
            System.arraycopy(data.features(), samples[i] * d, x, i * d, d);
        }
        return x;
    }
}
