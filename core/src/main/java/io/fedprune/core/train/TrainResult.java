package io.fedprune.core.train;

/**
 * What a local round produced.
 *
 * @param params    the trained parameters (a fresh array owned by the caller)
 * @param samples   samples processed (sample-weighted aggregation uses it)
 * @param steps     mini-batch steps run
 * @param meanLoss  mean training loss over the steps
 * @param wallNanos real time spent training (for throughput reports, never for virtual time)
 */
public record TrainResult(float[] params, long samples, int steps, double meanLoss, long wallNanos) {
}
