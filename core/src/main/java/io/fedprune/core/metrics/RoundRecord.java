package io.fedprune.core.metrics;

import java.util.Map;

/**
 * One evaluated global model version: a row of rounds.csv. Byte counts are cumulative.
 *
 * @param extra algorithm-specific columns in a stable order (e.g. participants, rejected)
 */
public record RoundRecord(long version, double virtualTimeS, double wallTimeS, double testAccuracy, double testLoss,
                          long bytesUp, long bytesDown, Map<String, Double> extra) {

    public RoundRecord {
        extra = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(extra));
    }
}
