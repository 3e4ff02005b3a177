package io.fedprune.core.server;

/** A client's upload as it arrived: the wire bytes and the claims that came with them. */
public record IncomingUpdate(int clientId, long baseVersion, long round, byte[] bytes, long samples,
                             double trainLoss) {
}
