package io.fedprune.actors.aggregator;

import io.fedprune.serialization.WireMessage;

/**
 * A new global model version, as the aggregator tells its listener (the experiment driver, or a
 * service embedding the aggregator). Byte counts are cumulative and come from the arrays sent.
 *
 * @param model     the encoded model, exactly the bytes clients are sent
 * @param aggregate the server's own parameters when the downlink codec is lossy (a pruned or
 *                  quantized broadcast differs from them); empty when {@code model} decodes to
 *                  exactly the server's model
 */
public record ModelPublished(long version, long round, byte[] model, float[] aggregate, long bytesUp, long bytesDown,
                             AggregatorStats stats) implements WireMessage {
}
