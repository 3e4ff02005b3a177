package io.fedprune.core.server;

import io.fedprune.core.strategy.LocalWork;

/**
 * The most samples a client can have trained on in one local round: its shard and local work in
 * a simulation, a configured bound in a deployment. A claim above it is rejected, so one lying
 * client cannot dominate a sample-weighted average.
 */
@FunctionalInterface
public interface SampleBound {

    /** @param work the work it was dispatched (null = the configured default) */
    long maxSamples(int clientId, LocalWork work);

    /** No bound beyond "positive" (only for tests and trusted deployments). */
    SampleBound NONE = (clientId, work) -> Long.MAX_VALUE;

    /** The same bound for every client. */
    static SampleBound atMost(long samples) {
        if (samples < 1) {
            throw new IllegalArgumentException("a sample bound must be >= 1, got " + samples);
        }
        return (clientId, work) -> samples;
    }
}
