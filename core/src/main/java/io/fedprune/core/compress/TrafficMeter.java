package io.fedprune.core.compress;

import java.util.EnumMap;
import java.util.Map;

/**
 * Bytes and message counts per direction and message kind, from the lengths of the arrays that
 * were actually sent. Owned by one actor (not thread-safe).
 */
public final class TrafficMeter {
    private final Map<Direction, Map<MessageKind, long[]>> counts = new EnumMap<>(Direction.class);

    public TrafficMeter() {
        for (Direction d : Direction.values()) {
            Map<MessageKind, long[]> m = new EnumMap<>(MessageKind.class);
            for (MessageKind k : MessageKind.values()) {
                m.put(k, new long[2]);
            }
            counts.put(d, m);
        }
    }

    public void record(Direction direction, MessageKind kind, long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative byte count " + bytes);
        }
        long[] c = counts.get(direction).get(kind);
        c[0] += bytes;
        c[1]++;
    }

    public long bytes(Direction direction) {
        return counts.get(direction).values().stream().mapToLong(c -> c[0]).sum();
    }

    public long bytes(Direction direction, MessageKind kind) {
        return counts.get(direction).get(kind)[0];
    }

    public long messages(Direction direction, MessageKind kind) {
        return counts.get(direction).get(kind)[1];
    }
}
