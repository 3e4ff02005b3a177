package io.fedprune.core.split;

/**
 * What the main server does with the server part, from the bytes that came up to the bytes that
 * go down: {@link ServerSide} (SplitFed V2, one shared part) or {@link ServerCopies} (V1, a copy
 * per client averaged at each round's end). Not thread-safe: one step at a time.
 */
public interface ServerTraining extends AutoCloseable {

    /**
     * One step on client {@code client}'s activations; a payload that does not decode, or whose
     * values the part refuses, leaves every part untouched.
     *
     * @throws io.fedprune.core.compress.PayloadFormatException if the payload is not this step's activations
     * @throws IllegalArgumentException if the decoded values are unusable (non-finite, bad batch)
     */
    ServerSide.Result step(int client, long round, long step, int batch, byte[] payload);

    /** Round {@code round} is over (no more of its batches will come). */
    void endRound(long round);

    /** The server part a whole model is evaluated with now. */
    float[] parameters();

    /** The server part's layout fingerprint (its payloads are refused by any other part). */
    long layoutFingerprint();

    /** V1: every client's batches run on a copy of their own, so in clock time they overlap. */
    boolean perClientCopies();

    @Override
    void close();
}
