package io.fedprune.core.compress;

import java.util.function.LongFunction;

/**
 * One client's uplink: what it uploads ({@link UplinkPayload}), the codec, and optionally error
 * feedback. {@link #encode} may run on any thread (a trainer); {@link #commit} is called by the
 * owner once the bytes have really been sent, so a round superseded before its upload leaves the
 * residual as it was.
 *
 * <p>The codec comes per task from {@code codecForTask}: a stochastic codec seeded by the task
 * gives the same bytes whichever thread encodes first, even when a superseded round and its
 * successor encode at once.
 */
public final class UplinkEncoder {
    private final LongFunction<WireCodec> codecForTask;
    private final UplinkPayload payload;
    private final boolean errorFeedback;
    private final Forgery forgery;
    // created on first use: its size is the model's, unknown until then
    private volatile ErrorFeedback feedback;

    /**
     * What a malicious client sends instead of its trained model (see {@code core.attack.Attack}),
     * applied before the payload is formed, so the codec, error feedback and the server see the
     * forged values as they would see honest ones.
     */
    @FunctionalInterface
    public interface Forgery {
        /** The values to send for task {@code task}, which started from {@code start} and ended at {@code trained}. */
        float[] forge(long task, float[] start, float[] trained);
    }

    /** Bytes ready to send and, with error feedback, the residual they leave behind. */
    public record Encoded(byte[] bytes, float[] residual) {
    }

    /** One (deterministic) codec for every task. */
    public UplinkEncoder(WireCodec codec, UplinkPayload payload, boolean errorFeedback) {
        this(task -> codec, payload, errorFeedback);
        java.util.Objects.requireNonNull(codec, "codec");
    }

    /** @param codecForTask the codec for task {@code t} (a stochastic one seeded by {@code t}) */
    public UplinkEncoder(LongFunction<WireCodec> codecForTask, UplinkPayload payload, boolean errorFeedback) {
        this(codecForTask, payload, errorFeedback, null);
    }

    private UplinkEncoder(LongFunction<WireCodec> codecForTask, UplinkPayload payload, boolean errorFeedback,
                          Forgery forgery) {
        this.codecForTask = java.util.Objects.requireNonNull(codecForTask, "codecForTask");
        this.payload = java.util.Objects.requireNonNull(payload, "payload");
        this.errorFeedback = errorFeedback;
        this.forgery = forgery;
    }

    /**
     * This uplink for a malicious client: every upload's trained values are replaced by what
     * {@code forgery} makes of them (a fresh encoder: use it before the first upload).
     */
    public UplinkEncoder forging(Forgery forgery) {
        return new UplinkEncoder(codecForTask, payload, errorFeedback,
                java.util.Objects.requireNonNull(forgery, "forgery"));
    }

    /** True if this uplink forges what it sends ({@link #forging}). */
    public boolean forges() {
        return forgery != null;
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

    /** {@link #encode(long, float[], float[])} as task 0. */
    public Encoded encode(float[] start, float[] trained) {
        return encode(0, start, trained);
    }

    /**
     * Encodes the upload for task {@code task}, which started from {@code start} and ended at
     * {@code trained}. Synchronized: codecs are not required to be thread-safe, and a superseded
     * round may still be encoding on another trainer thread.
     */
    public synchronized Encoded encode(long task, float[] start, float[] trained) {
        WireCodec codec = codecForTask.apply(task);
        float[] sent = forgery == null ? trained : forgery.forge(task, start, trained);
        float[] values = payload.payload(start, sent);
        if (!errorFeedback) {
            return new Encoded(codec.encode(values), null);
        }
        ErrorFeedback ef = feedbackFor(values.length);
        float[] compensated = ef.compensate(values);
        byte[] bytes = codec.encode(compensated);
        return new Encoded(bytes, ef.residualAfter(compensated, codec.decode(bytes)));
    }

    private ErrorFeedback feedbackFor(int length) {
        if (feedback == null || feedback.length() != length) {
            feedback = new ErrorFeedback(length);
        }
        return feedback;
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
