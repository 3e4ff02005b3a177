package io.fedprune.actors.aggregator;

import io.fedprune.core.server.Publication;
import io.fedprune.core.server.ServerStats;
import java.util.Map;

/**
 * A new global model version. Byte counts are cumulative over every message sent so far,
 * accepted or not, and come from the arrays sent.
 *
 * @param model     the encoded model, exactly the bytes plain-dispatch clients are sent
 * @param aggregate the server's own parameters when the downlink codec is lossy (a pruned or
 *                  quantized broadcast differs from them); empty when {@code model} decodes to
 *                  exactly the server's model
 * @param metrics   the strategy's own metrics, in its column order
 * @param last      the strategy finished training with this version: no other will follow
 */
public record ModelPublished(long version, long round, byte[] model, float[] aggregate, long bytesUp, long bytesDown,
                             ServerStats stats, Map<String, Double> metrics, boolean last) implements AggregatorEvent {

    static ModelPublished of(Publication p) {
        return new ModelPublished(p.version(), p.round(), p.model(), p.aggregate(), p.bytesUp(), p.bytesDown(),
                p.stats(), new java.util.LinkedHashMap<>(p.metrics()), p.last());
    }
}
