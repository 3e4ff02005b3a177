package io.fedprune.core.server;

import io.fedprune.core.strategy.LocalWork;

/**
 * Work for one client, ready to send.
 *
 * @param model the encoded (sub-)model; shared with every client sent the same bytes
 * @param mask  the sub-model's mask as little-endian bit words, empty for the whole model
 * @param codec the downlink codec chain's canonical text, empty for the configured one
 * @param work  local work, null for the configured default
 * @param computeScale the local round's compute as a fraction of the dense model's, in (0, 1]
 */
public record Assignment(int clientId, long version, long round, byte[] model, byte[] mask, String codec,
                         LocalWork work, double computeScale) {

    /** Bytes this assignment puts on the downlink. */
    public long bytes() {
        return (long) model.length + mask.length;
    }
}
