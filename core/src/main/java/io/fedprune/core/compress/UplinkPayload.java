package io.fedprune.core.compress;

import java.util.Locale;

/**
 * What a client's upload carries.
 *
 * <ul>
 *   <li>{@link #MODEL}: the trained model itself, as in the message-pruning paper (magnitude
 *   pruning then keeps the largest <em>weights</em>).</li>
 *   <li>{@link #UPDATE}: the update, trained model minus the model the client started from (the
 *   decoded broadcast). Pruning then keeps the largest <em>changes</em> (top-k sparsification),
 *   error feedback has its textbook meaning, and the server adds the decoded update to the very
 *   model it sent for that version.</li>
 * </ul>
 */
public enum UplinkPayload {
    MODEL, UPDATE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static UplinkPayload parse(String s) {
        for (UplinkPayload p : values()) {
            if (p.id().equals(s.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
        }
        throw new IllegalArgumentException("uplink payload must be 'model' or 'update', got '" + s + "'");
    }

    /** What the client encodes from its {@code start} model and its {@code trained} one. */
    public float[] payload(float[] start, float[] trained) {
        if (this == MODEL) {
            return trained;
        }
        checkLengths(start, trained);
        float[] delta = new float[trained.length];
        for (int i = 0; i < delta.length; i++) {
            delta[i] = trained[i] - start[i];
        }
        return delta;
    }

    /** The client's model as the server sees it: the decoded payload, plus the reference for UPDATE. */
    public float[] model(float[] reference, float[] decoded) {
        if (this == MODEL) {
            return decoded;
        }
        checkLengths(reference, decoded);
        float[] model = new float[decoded.length];
        for (int i = 0; i < model.length; i++) {
            model[i] = reference[i] + decoded[i];
        }
        return model;
    }

    private static void checkLengths(float[] reference, float[] other) {
        if (reference.length != other.length) {
            throw new PayloadFormatException("update of " + other.length + " entries for a model of "
                    + reference.length);
        }
    }
}
