package io.fedprune.core.metrics;

import io.fedprune.core.compress.Direction;
import io.fedprune.core.compress.MessageKind;
import java.util.Arrays;
import java.util.StringJoiner;

/**
 * A run's server traffic split by direction and message kind (from the payloads actually sent),
 * and the bytes of distinct residual increments: with residual download, the downlink's
 * {@link MessageKind#RESIDUAL_INCREMENT} bytes count every client's fetch, while the distinct bytes
 * count each increment of a split once — what the server uploads if a distributor serves every
 * client of a level. Both together answer "downlink bytes with and without the residual split".
 * Kept as one flat array in {@link #index} order so it crosses the wire as a {@code long[]}. Immutable.
 */
public final class TrafficByKind {
    private static final int KINDS = MessageKind.values().length;
    /** Entries of the flat array: every direction × every kind. */
    public static final int SIZE = Direction.values().length * KINDS;
    private static final TrafficByKind NONE = new TrafficByKind(null, 0);

    /** Bytes of one direction and kind, e.g. {@code TrafficMeter::bytes}. */
    @FunctionalInterface
    public interface Source {
        long bytes(Direction direction, MessageKind kind);
    }

    private final long[] bytes; // null: not counted
    private final long residualDistinct;

    private TrafficByKind(long[] bytes, long residualDistinct) {
        this.bytes = bytes;
        this.residualDistinct = residualDistinct;
    }

    /** Position of ({@code direction}, {@code kind}) in {@link #toArray()}. */
    public static int index(Direction direction, MessageKind kind) {
        return direction.ordinal() * KINDS + kind.ordinal();
    }

    /** A copy of {@code bytes}, laid out by {@link #index}. */
    public static TrafficByKind of(long[] bytes, long residualDistinct) {
        if (bytes.length != SIZE) {
            throw new IllegalArgumentException("expected " + SIZE + " byte counts (direction × kind), got "
                    + bytes.length);
        }
        for (long b : bytes) {
            if (b < 0) {
                throw new IllegalArgumentException("negative byte count " + b);
            }
        }
        if (residualDistinct < 0) {
            throw new IllegalArgumentException("negative residual distinct bytes " + residualDistinct);
        }
        return new TrafficByKind(bytes.clone(), residualDistinct);
    }

    public static TrafficByKind of(Source source, long residualDistinct) {
        long[] b = new long[SIZE];
        for (Direction d : Direction.values()) {
            for (MessageKind k : MessageKind.values()) {
                b[index(d, k)] = source.bytes(d, k);
            }
        }
        return of(b, residualDistinct);
    }

    /** Not counted (a run stopped before the aggregator answered, or read from an older summary). */
    public static TrafficByKind none() {
        return NONE;
    }

    public boolean counted() {
        return bytes != null;
    }

    /** 0 when not counted. */
    public long bytes(Direction direction, MessageKind kind) {
        return bytes == null ? 0 : bytes[index(direction, kind)];
    }

    /** All kinds of one direction; 0 when not counted. */
    public long total(Direction direction) {
        long sum = 0;
        for (MessageKind k : MessageKind.values()) {
            sum += bytes(direction, k);
        }
        return sum;
    }

    /** Bytes of distinct residual increments handed out; 0 without residual download or when not counted. */
    public long residualDistinct() {
        return residualDistinct;
    }

    /** The flat counts in {@link #index} order; empty when not counted. */
    public long[] toArray() {
        return bytes == null ? new long[0] : bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TrafficByKind t && Arrays.equals(bytes, t.bytes) && residualDistinct == t.residualDistinct;
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(bytes) + Long.hashCode(residualDistinct);
    }

    @Override
    public String toString() {
        if (bytes == null) {
            return "not counted";
        }
        StringJoiner j = new StringJoiner(", ", "{", "}");
        for (Direction d : Direction.values()) {
            for (MessageKind k : MessageKind.values()) {
                if (bytes(d, k) > 0) {
                    j.add(d + " " + k + " " + bytes(d, k));
                }
            }
        }
        return j + ", residual distinct " + residualDistinct;
    }
}
