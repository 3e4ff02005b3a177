package io.fedprune.core.split;

import io.fedprune.core.compress.CutLayerCodec;
import io.fedprune.core.prune.Mask;

/**
 * The server's half of one split step, from the bytes that came up to the bytes that go down:
 * regenerate the step's keep-mask, decode the kept activations and labels, train the server part
 * on them, and encode the gradient of the kept activations. A payload that does not decode, or
 * whose values the part refuses, leaves the part untouched. Not thread-safe (one part).
 */
public final class ServerSide implements ServerTraining {
    private final ServerPart part;
    private final CutPoint cut;
    private final ActivationDropout dropout;
    private final CutLayerCodec down;

    /** What a step produced. @param gradients the payload to send down */
    public record Result(byte[] gradients, int kept, double loss) {
    }

    public ServerSide(ServerPart part, CutPoint cut, ActivationDropout dropout, CutLayerCodec down) {
        this.part = part;
        this.cut = cut;
        this.dropout = dropout;
        this.down = down;
    }

    public ServerPart part() {
        return part;
    }

    @Override
    public Result step(int client, long round, long step, int batch, byte[] payload) {
        if (batch < 1 || batch > (Integer.MAX_VALUE / cut.activationSize())) {
            throw new IllegalArgumentException("batch of " + batch + " samples is out of range");
        }
        long key = StepKey.of(dropout.seed(), client, round, step);
        Mask keep = dropout.keepMask(client, round, step, batch * cut.activationSize());
        CutLayerCodec.Activations up = CutLayerCodec.decodeActivations(payload, keep.cardinality(), batch,
                cut.spec().numClasses(), key);
        ServerPart.Step s = part.step(dropout.serverInput(up.kept(), keep), up.labels());
        byte[] bytes = down.encodeGradients(dropout.keptGradient(s.activationGradient(), keep), key);
        return new Result(bytes, keep.cardinality(), s.loss());
    }

    /** V2: the shared part goes on; nothing happens at a round's end. */
    @Override
    public void endRound(long round) {
    }

    @Override
    public float[] parameters() {
        return part.parameters();
    }

    @Override
    public long layoutFingerprint() {
        return part.layoutFingerprint();
    }

    @Override
    public boolean perClientCopies() {
        return false;
    }

    @Override
    public void close() {
        part.close();
    }
}
