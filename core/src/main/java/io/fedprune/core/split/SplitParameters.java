package io.fedprune.core.split;

import java.util.Arrays;

/** The flat parameter vectors of a split model's two parts (client first in the unsplit vector). */
public record SplitParameters(float[] client, float[] server) {

    /** Splits the unsplit network's vector {@code all} after the client's {@code clientCount} values. */
    public static SplitParameters of(float[] all, int clientCount) {
        if (clientCount < 0 || clientCount > all.length) {
            throw new IllegalArgumentException("client part of " + clientCount + " parameters in a model of " + all.length);
        }
        return new SplitParameters(Arrays.copyOfRange(all, 0, clientCount), Arrays.copyOfRange(all, clientCount, all.length));
    }

    /** The unsplit network's vector: evaluation runs the whole model. */
    public float[] joined() {
        float[] all = Arrays.copyOf(client, client.length + server.length);
        System.arraycopy(server, 0, all, client.length, server.length);
        return all;
    }
}
