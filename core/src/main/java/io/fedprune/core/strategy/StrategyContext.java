package io.fedprune.core.strategy;

import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.ParameterLayout;

/**
 * What a strategy factory may need to know about the run, beyond its own settings.
 *
 * @param layout       the model's parameter layout (segments, kinds; masks are built over it)
 * @param seed         the run's seed, for strategies with their own randomness
 * @param clients      registered clients at the start
 * @param model        the full-width model's spec (width-scaled sub-models are cut from it); null
 *                     when the caller does not say
 * @param roundSeconds per client id, the seconds its device needs for one local round on the
 *                     whole model (download, compute, upload) as the run's device model has it —
 *                     what a server would learn by profiling its clients (TiFL); null when unknown
 * @param validation   scores models on held-out training data; null when the run holds none out
 * @param buffers      where a buffering strategy keeps its per-client updates (a run of actors: a
 *                     buffer actor); null means in the strategy's own memory
 * @param devices      per client id, the parts of that round (download, compute), for strategies
 *                     that plan bandwidth themselves (TT-Prune); null when unknown
 * @param computeTimes how long each client's device computes for a local round of a given number
 *                     of steps, as the run's device model has it (what a server learns by profiling);
 *                     null when unknown
 */
public record StrategyContext(ParameterLayout layout, long seed, int clients, ModelSpec model, double[] roundSeconds,
                              Validation validation, UpdateBuffers buffers, DeviceTimes devices,
                              ComputeTimes computeTimes) {

    /**
     * What each client's device needs for one local round on the whole model, in seconds: the
     * dense model's download and the local work's compute, and its mean uplink rate in bit/s (the
     * upload's time depends on the bandwidth a planning strategy grants).
     */
    public record DeviceTimes(double[] downloadSeconds, double[] computeSeconds, double[] uplinkBps) {
        public DeviceTimes {
            if (downloadSeconds.length != computeSeconds.length || uplinkBps.length != computeSeconds.length) {
                throw new IllegalArgumentException("download times for " + downloadSeconds.length
                        + " clients, compute times for " + computeSeconds.length + ", uplink rates for "
                        + uplinkBps.length);
            }
        }
    }

    /** Seconds client {@code clientId}'s device computes for {@code steps} mini-batch steps on its whole model. */
    @FunctionalInterface
    public interface ComputeTimes {
        double seconds(int clientId, int steps);
    }

    public StrategyContext {
        if (roundSeconds != null && roundSeconds.length != clients) {
            throw new IllegalArgumentException("round seconds for " + roundSeconds.length + " clients, expected "
                    + clients);
        }
        if (devices != null && devices.computeSeconds().length != clients) {
            throw new IllegalArgumentException("device times for " + devices.computeSeconds().length
                    + " clients, expected " + clients);
        }
    }

    /** Without the devices' round parts or compute times. */
    public StrategyContext(ParameterLayout layout, long seed, int clients, ModelSpec model, double[] roundSeconds,
                           Validation validation, UpdateBuffers buffers) {
        this(layout, seed, clients, model, roundSeconds, validation, buffers, null, null);
    }

    /** Without the model's spec, the clients' speeds or validation data. */
    public StrategyContext(ParameterLayout layout, long seed, int clients) {
        this(layout, seed, clients, null, null, null, null);
    }

    /** Without validation data. */
    public StrategyContext(ParameterLayout layout, long seed, int clients, ModelSpec model, double[] roundSeconds) {
        this(layout, seed, clients, model, roundSeconds, null, null);
    }
}
