package io.fedprune.core.compress;

/**
 * Client-side error feedback (error compensation) for lossy update compression: what the codec
 * dropped this round is added to next round's upload, so nothing is lost for good, only delayed.
 * The cumulative sum of what was sent then differs from the cumulative sum of the true updates by
 * exactly the current residual, which stays bounded, instead of accumulating the codec's bias
 * round after round. That argument is about <em>updates</em> (sums of them are meaningful); see
 * {@link UplinkPayload#UPDATE}.
 *
 * <p>Usage per round: {@code c = compensate(u); sent = codec.encode(c); r = residualAfter(c,
 * codec.decode(sent));} and, once {@code sent} has really gone out, {@code commit(r)}. Splitting
 * the last step lets a client drop a round that was superseded before its upload without
 * touching the residual. The residual array is replaced on commit, never written in place, so a
 * {@link #compensate} running on another thread sees either the old or the new residual whole.
 */
public final class ErrorFeedback {
    private volatile float[] residual;

    public ErrorFeedback(int length) {
        if (length < 0) {
            throw new IllegalArgumentException("length must be >= 0, got " + length);
        }
        this.residual = new float[length];
    }

    public int length() {
        return residual.length;
    }

    /** {@code update + residual}, as a new array. */
    public float[] compensate(float[] update) {
        float[] r = residual;
        check(update, r, "update");
        float[] out = new float[update.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = update[i] + r[i];
        }
        return out;
    }

    /** {@code compensated - decodedWhatWasSent}: the residual to {@link #commit} once the bytes are sent. */
    public float[] residualAfter(float[] compensated, float[] decodedWhatWasSent) {
        float[] r = residual;
        check(compensated, r, "compensated");
        check(decodedWhatWasSent, r, "decoded");
        float[] next = new float[r.length];
        for (int i = 0; i < next.length; i++) {
            next[i] = compensated[i] - decodedWhatWasSent[i];
        }
        return next;
    }

    /** Makes {@code next} (from {@link #residualAfter}) the residual; the array is taken, not copied. */
    public void commit(float[] next) {
        check(next, residual, "residual");
        residual = next;
    }

    /** {@code commit(residualAfter(compensated, decodedWhatWasSent))}. */
    public void recordSent(float[] compensated, float[] decodedWhatWasSent) {
        commit(residualAfter(compensated, decodedWhatWasSent));
    }

    /** A copy of the current residual. */
    public float[] residual() {
        return residual.clone();
    }

    public void reset() {
        residual = new float[residual.length];
    }

    private static void check(float[] v, float[] r, String what) {
        if (v.length != r.length) {
            throw new IllegalArgumentException(what + " has " + v.length + " entries, the residual " + r.length);
        }
    }
}
