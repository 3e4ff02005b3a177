package io.fedprune.core.server;

/**
 * A client's upload as it arrived: the wire bytes and the claims that came with them.
 *
 * @param deviceAccuracy the accuracy the client measured on its own test split of the model it
 *                       received (with its personal part), NaN when it measured none
 */
public record IncomingUpdate(int clientId, long baseVersion, long round, byte[] bytes, long samples,
                             double trainLoss, double deviceAccuracy) {

    /** Without a device-side measurement. */
    public IncomingUpdate(int clientId, long baseVersion, long round, byte[] bytes, long samples, double trainLoss) {
        this(clientId, baseVersion, round, bytes, samples, trainLoss, Double.NaN);
    }
}
