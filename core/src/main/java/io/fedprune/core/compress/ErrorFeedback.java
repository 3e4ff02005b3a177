package io.fedprune.core.compress;

/**
 * Client-side error feedback (error compensation) for lossy update compression: what the codec
 * dropped this round is added to next round's update, so nothing is lost for good, only delayed.
 * The cumulative sum of what was sent then differs from the cumulative sum of the true updates by
 * exactly the current residual, which stays bounded, instead of accumulating the codec's bias
 * round after round. Usage per round: {@code c = compensate(u); sent = codec.encode(c);
 * recordSent(c, codec.decode(sent));}. One instance per client; not thread-safe.
 */
public final class ErrorFeedback {
    private final float[] residual;

    public ErrorFeedback(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        this.residual = new float[length];
    }

    /** {@code update + residual}, as a new array. */
    public float[] compensate(float[] update) {
        check(update, "update");
        float[] out = new float[update.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = update[i] + residual[i];
        }
        return out;
    }

    /** Keeps {@code residual = compensated - decodedWhatWasSent}. */
    public void recordSent(float[] compensated, float[] decodedWhatWasSent) {
        check(compensated, "compensated");
        check(decodedWhatWasSent, "decoded");
        for (int i = 0; i < residual.length; i++) {
            residual[i] = compensated[i] - decodedWhatWasSent[i];
        }
    }

    /** A copy of the current residual. */
    public float[] residual() {
        return residual.clone();
    }

    public void reset() {
        java.util.Arrays.fill(residual, 0f);
    }

    private void check(float[] v, String what) {
        if (v.length != residual.length) {
            throw new IllegalArgumentException(what + " has " + v.length + " entries, the residual " + residual.length);
        }
    }
}
