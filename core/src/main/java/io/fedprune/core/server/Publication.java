package io.fedprune.core.server;

import java.util.Map;

/**
 * A new global model version. Byte counts are cumulative over every message sent so far,
 * accepted or not.
 *
 * @param model     the encoded global model, exactly the bytes a plain-dispatch client is sent
 * @param aggregate the server's own parameters when the downlink codec is lossy, else empty
 * @param metrics   the strategy's metrics for this version (keys from its metric names)
 * @param last      the strategy finished training with this version: there will be no other
 */
public record Publication(long version, long round, byte[] model, float[] aggregate, long bytesUp, long bytesDown,
                          ServerStats stats, Map<String, Double> metrics, boolean last) {
}
