package io.fedprune.core.compress;

/**
 * One client's uplink: what it uploads ({@link UplinkPayload}), the codec, and optionally error
 * feedback. {@link #encode} may run on any thread (a trainer); {@link #commit} is called by the
 * owner once the bytes have really been sent, so a round superseded before its upload leaves the
 * residual as it was.
 */
public final class UplinkEncoder {
    private final WireCodec codec;
    private final UplinkPayload payload;
    private final boolean errorFeedback;
    // created on first use: its size is the model's, unknown until then
    private volatile ErrorFeedback feedback;

    /** Bytes ready to send and, with error feedback, the residual they leave behind. */
    public record Encoded(byte[] bytes, float[] residual) {
    }

    public UplinkEncoder(WireCodec codec, UplinkPayload payload, boolean errorFeedback) {
        this.codec = java.util.Objects.requireNonNull(codec, "codec");
        this.payload = java.util.Objects.requireNonNull(payload, "payload");
        this.errorFeedback = errorFeedback;
    }

    /** The plain codec on whole models: what the paper's clients send. */
    public static UplinkEncoder modelOnly(WireCodec codec) {
        return new UplinkEncoder(codec, UplinkPayload.MODEL, false);
    }

    public UplinkPayload payload() {
        return payload;
    }

    public boolean errorFeedback() {
        return errorFeedback;
    }

    /**
     * Encodes the upload for a round that started from {@code start} and ended at {@code trained}.
     * Synchronized because the codec may hold state (stochastic rounding) and a superseded round
     * can still be encoding on another thread.
     */
    public synchronized Encoded encode(float[] start, float[] trained) {
        float[] values = payload.payload(start, trained);
        if (!errorFeedback) {
            return new Encoded(codec.encode(values), null);
        }
        ErrorFeedback ef = feedback;
        if (ef == null || ef.length() != values.length) {
            ef = new ErrorFeedback(values.length);
            feedback = ef;
        }
        float[] compensated = ef.compensate(values);
        byte[] bytes = codec.encode(compensated);
        return new Encoded(bytes, ef.residualAfter(compensated, codec.decode(bytes)));
    }

    /** Call when {@code sent}'s bytes went out: its residual becomes the one added next time. */
    public void commit(Encoded sent) {
        if (sent.residual() != null) {
            feedback.commit(sent.residual());
        }
    }

    /** A copy of the residual (empty before the first upload or without error feedback). */
    public float[] residual() {
        ErrorFeedback ef = feedback;
        return ef == null ? new float[0] : ef.residual();
    }
}
