package io.fedprune.core.aggregate;

/**
 * A decoded, validated model update from a client.
 *
 * @param params      the client's trained parameters (full model)
 * @param numSamples  samples the client trained on (FedAvg weights by it)
 * @param baseVersion global model version the client started from (staleness = current - base)
 */
public record ClientUpdate(int clientId, float[] params, long numSamples, long baseVersion) {
}
