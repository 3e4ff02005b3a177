package io.fedprune.examples.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedprune.core.compress.Direction;
import io.fedprune.core.compress.MessageKind;
import io.fedprune.core.metrics.TrafficByKind;
import java.util.Locale;

/**
 * summary.json's {@code bytes_by_kind} and {@code residual_distinct_bytes}, written and read in one
 * place so the key names cannot drift apart. Kinds with no bytes are left out (a FedAvg run has no
 * mask or residual traffic, and a column of zeros says nothing); a run whose totals never arrived
 * writes an empty {@code bytes_by_kind} and a null {@code residual_distinct_bytes}.
 */
final class TrafficJson {
    static final String BY_KIND = "bytes_by_kind";
    static final String RESIDUAL_DISTINCT = "residual_distinct_bytes";

    private TrafficJson() {
    }

    static void write(ObjectNode summary, TrafficByKind t) {
        ObjectNode byKind = summary.putObject(BY_KIND);
        if (t.counted()) {
            // downlink first: it is where the kinds differ between methods
            for (Direction d : new Direction[] {Direction.DOWNLINK, Direction.UPLINK}) {
                ObjectNode dir = byKind.putObject(key(d));
                for (MessageKind k : MessageKind.values()) {
                    if (t.bytes(d, k) > 0) {
                        dir.put(key(k), t.bytes(d, k));
                    }
                }
            }
        }
        summary.put(RESIDUAL_DISTINCT, t.counted() ? t.residualDistinct() : null);
    }

    /** Not counted when the summary has no directions (written before they were, or totals missing). */
    static TrafficByKind read(JsonNode summary) {
        JsonNode byKind = summary.path(BY_KIND);
        if (!byKind.isObject() || byKind.isEmpty()) {
            return TrafficByKind.none();
        }
        long[] bytes = new long[TrafficByKind.SIZE];
        for (Direction d : Direction.values()) {
            JsonNode dir = byKind.path(key(d));
            for (MessageKind k : MessageKind.values()) {
                bytes[TrafficByKind.index(d, k)] = dir.path(key(k)).asLong(0);
            }
        }
        return TrafficByKind.of(bytes, summary.path(RESIDUAL_DISTINCT).asLong(0));
    }

    static String key(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
