package io.fedprune.core.compress;

/**
 * One increment of a {@link ResidualSplit}: the global model's values on the entries that level
 * {@code level} adds to level {@code level - 1}, as a {@link SparseFloat32Codec} payload whose
 * header fingerprint is bound to the split and the level ({@link ResidualSplit#fingerprint}), so
 * the bytes themselves say which split and level they belong to.
 *
 * @param splitId {@link ResidualSplit#id()} of the split it was cut from
 * @param level   0 for the smallest sub-model
 * @param payload the wire bytes (not copied: do not modify)
 */
public record ResidualIncrement(long splitId, int level, byte[] payload) {

    public ResidualIncrement {
        if (level < 0) {
            throw new IllegalArgumentException("increment level must be >= 0, got " + level);
        }
        if (payload == null) {
            throw new IllegalArgumentException("increment " + level + " has no payload");
        }
    }

    /** Bytes on the wire. */
    public int size() {
        return payload.length;
    }

    @Override
    public String toString() {
        return "ResidualIncrement[split " + Long.toHexString(splitId) + ", level " + level + ", " + payload.length
                + " bytes]";
    }
}
