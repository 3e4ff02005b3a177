package io.fedprune.core.split;

import io.fedprune.core.compress.CutLayerCodec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.prune.Mask;

/**
 * A client's half of split steps: the forward pass of a batch to bytes going up, and the bytes
 * coming down to the backward pass and optimizer step. Holds the client part and the last forward
 * pass between the two; not thread-safe.
 */
public final class ClientSide implements AutoCloseable {
    private final ClientPart part;
    private final CutPoint cut;
    private final ActivationDropout dropout;
    private final CutLayerCodec up;
    private final Dataset data;
    private final int client;
    private long round = -1;
    private long step = -1;
    private int batch;

    public ClientSide(ClientPart part, CutPoint cut, ActivationDropout dropout, CutLayerCodec up, Dataset data, int client) {
        this.part = part;
        this.cut = cut;
        this.dropout = dropout;
        this.up = up;
        this.data = data;
        this.client = client;
    }

    public ClientPart part() {
        return part;
    }

    /** The activations and labels of samples {@code samples} (indices into the dataset), encoded. */
    public byte[] forward(long round, long step, int[] samples) {
        int d = data.featureSize();
        float[] x = new float[samples.length * d];
        int[] labels = new int[samples.length];
        for (int i = 0; i < samples.length; i++) {
            System.arraycopy(data.features(), samples[i] * d, x, i * d, d);
            labels[i] = data.label(samples[i]);
        }
        float[] acts = part.forward(x, samples.length);
        Mask keep = dropout.keepMask(client, round, step, acts.length);
        this.round = round;
        this.step = step;
        this.batch = samples.length;
        return up.encodeActivations(ActivationDropout.kept(acts, keep), labels, cut.spec().numClasses(),
                StepKey.of(dropout.seed(), client, round, step));
    }

    /**
     * Back-propagates the server's gradient payload for the last forward pass and steps the
     * optimizer.
     *
     * @throws io.fedprune.core.compress.PayloadFormatException if the bytes are not that step's gradients
     */
    public void backward(long round, long step, byte[] payload) {
        if (round != this.round || step != this.step) {
            throw new IllegalStateException("gradients for round " + round + " step " + step + ", the last forward pass was round "
                    + this.round + " step " + this.step);
        }
        Mask keep = dropout.keepMask(client, round, step, batch * cut.activationSize());
        float[] g = CutLayerCodec.decodeGradients(payload, keep.cardinality(), StepKey.of(dropout.seed(), client, round, step));
        part.backward(ActivationDropout.clientGradient(g, keep));
        this.step = -1;
    }

    @Override
    public void close() {
        part.close();
    }
}
