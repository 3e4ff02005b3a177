package io.fedprune.core.prfl;

import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.core.density.RestorationSchedule;
import io.fedprune.core.strategy.Pacing;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything {@code fedprune.prfl} sets (defaults and meanings in core's
 * {@code fedprune-algorithms/prfl.conf}): how the buffer is aggregated, how sub-models are sized
 * and how recovery restores them. The switches that turn a part off are the ablations of the
 * PR-FL paper.
 */
public record PrflSettings(Aggregation aggregation, Density density, Recovery recovery) {

    public PrflSettings {
        Objects.requireNonNull(aggregation, "aggregation");
        Objects.requireNonNull(density, "density");
        Objects.requireNonNull(recovery, "recovery");
        if (recovery.enabled() && !density.pruning()) {
            throw new IllegalArgumentException("recovery restores pruned sub-models: with pruning = false set "
                    + "recovery = none");
        }
    }

    /**
     * @param staleness      s(n - n'); PR-FL's default is {@code polynomial(0.6)}
     * @param globalLr       eta_g in (0, 1]: W = (1 - eta_g) W_prev + eta_g W_new
     * @param aggregateEvery stored updates per aggregation (&gt;= 1), when not time-triggered
     * @param intervalMicros clock time between aggregations; 0 = aggregate on arrivals
     * @param buffer         false (ablation "no cache"): each update is mixed in alone, on the entries
     *                       it kept, with weight {@code noBufferAlpha × s(staleness)}
     * @param noBufferAlpha  that mixing weight's scale, in (0, 1]
     * @param maskAware      false (ablation): plain FedAvg over the buffer, pruned entries count as 0
     * @param synchronous    true (ablation): rounds of every client, one aggregation per round
     */
    public record Aggregation(StalenessFunction staleness, double globalLr, int aggregateEvery, long intervalMicros,
                              boolean buffer, double noBufferAlpha, boolean maskAware, boolean synchronous) {
        public Aggregation {
            Objects.requireNonNull(staleness, "staleness");
            if (!(globalLr > 0 && globalLr <= 1)) {
                throw new IllegalArgumentException("PR-FL global learning rate eta_g must be in (0, 1], got " + globalLr);
            }
            if (aggregateEvery < 1) {
                throw new IllegalArgumentException("PR-FL aggregate-every must be >= 1, got " + aggregateEvery);
            }
            if (intervalMicros < 0 || intervalMicros > Pacing.MAX_MICROS) {
                throw new IllegalArgumentException("PR-FL interval must be in [0, " + Pacing.MAX_MICROS / 1_000_000
                        + "] s, got " + intervalMicros / 1e6 + " s");
            }
            if (intervalMicros > 0 && aggregateEvery != 1) {
                throw new IllegalArgumentException("PR-FL aggregates either every aggregate-every updates or every "
                        + "interval-s seconds, not both: got aggregate-every = " + aggregateEvery + " and interval-s = "
                        + intervalMicros / 1e6);
            }
            if (!(noBufferAlpha > 0 && noBufferAlpha <= 1)) {
                throw new IllegalArgumentException("PR-FL no-buffer-alpha must be in (0, 1], got " + noBufferAlpha);
            }
            if (synchronous && (intervalMicros > 0 || aggregateEvery != 1)) {
                throw new IllegalArgumentException("synchronous PR-FL aggregates once per round: leave interval-s = 0 "
                        + "and aggregate-every = 1");
            }
            if (synchronous && !buffer) {
                throw new IllegalArgumentException("synchronous PR-FL aggregates the round's buffer: keep buffer = true");
            }
        }

        /** PR-FL's defaults: polynomial(0.6), eta_g = 1, an aggregation per arrival over the whole buffer. */
        public static Aggregation defaults() {
            return new Aggregation(StalenessFunction.polynomial(0.6), 1.0, 1, 0, true, 0.6, true, false);
        }

        boolean timeTriggered() {
            return intervalMicros > 0;
        }
    }

    /**
     * @param pruning        false: every client trains the whole model (buffered aggregation alone)
     * @param minDensity     the initial floor rho_min of every client, in (0, 1]
     * @param adjustInterval I: aggregations between re-splits (densities, masks, and a validation);
     *                       also how many round times a client's mean is taken over
     * @param initial        each client's density before its first round time is known, by client
     *                       id; empty: 1 (the whole model) for everyone
     * @param sparseCompute  a sub-model of density d computes in d of the dense time (default false:
     *                       unstructured sparsity does not speed up dense kernels)
     * @param residualSplit  sub-models go out as residual increments of one split per version (PR-FL's
     *                       residual download); false (ablation): each client downloads its whole sub-model
     */
    public record Density(boolean pruning, double minDensity, int adjustInterval, List<Double> initial,
                          boolean sparseCompute, boolean residualSplit) {
        public Density {
            if (!(minDensity > 0 && minDensity <= 1)) {
                throw new IllegalArgumentException("PR-FL min-density must be in (0, 1], got " + minDensity);
            }
            if (adjustInterval < 1) {
                throw new IllegalArgumentException("PR-FL adjust-interval must be >= 1, got " + adjustInterval);
            }
            initial = List.copyOf(initial);
            for (double d : initial) {
                if (!(d > 0 && d <= 1)) {
                    throw new IllegalArgumentException("PR-FL initial densities must be in (0, 1], got " + d);
                }
            }
        }

        /** Sub-models downloaded whole. */
        public Density(boolean pruning, double minDensity, int adjustInterval, List<Double> initial,
                       boolean sparseCompute) {
            this(pruning, minDensity, adjustInterval, initial, sparseCompute, false);
        }

        public static Density defaults() {
            return new Density(true, 0.1, 50, List.of(), false, true);
        }

        /**
         * Parses {@code "1.0*2, 0.6*2, 0.3*2, 0.1*4"}: densities in client order, {@code d*k} repeating
         * d for k clients; blank for none.
         */
        public static List<Double> parseInitial(String spec) {
            List<Double> out = new ArrayList<>();
            if (spec.isBlank()) {
                return out;
            }
            for (String part : spec.split(",")) {
                String p = part.strip();
                int star = p.indexOf('*');
                try {
                    double d = Double.parseDouble(star < 0 ? p : p.substring(0, star).strip());
                    int times = star < 0 ? 1 : Integer.parseInt(p.substring(star + 1).strip());
                    if (times < 1 || times > 10_000_000) {
                        throw new IllegalArgumentException("repeat count must be in [1, 10000000] in '" + p + "'");
                    }
                    for (int i = 0; i < times; i++) {
                        out.add(d);
                    }
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("expected densities like \"1.0*2, 0.6*2, 0.1*4\", got '" + p + "'");
                }
            }
            return out;
        }
    }

    /**
     * @param schedule        how floors rise, or null for no recovery (ablation)
     * @param patience        validations without a new best before a raise (PR-FL: 10)
     * @param lastStageFactor patience multiplier once every floor is 1 (PR-FL: 5)
     */
    public record Recovery(RestorationSchedule schedule, int patience, int lastStageFactor) {
        public Recovery {
            if (patience < 1) {
                throw new IllegalArgumentException("PR-FL patience must be >= 1, got " + patience);
            }
            if (lastStageFactor < 1) {
                throw new IllegalArgumentException("PR-FL last-stage-factor must be >= 1, got " + lastStageFactor);
            }
        }

        public static Recovery defaults() {
            return new Recovery(RestorationSchedule.parse("legacy(0.2)"), 10, 5);
        }

        public static Recovery none() {
            return new Recovery(null, 10, 5);
        }

        public boolean enabled() {
            return schedule != null;
        }
    }

    public static PrflSettings defaults() {
        return new PrflSettings(Aggregation.defaults(), Density.defaults(), Recovery.defaults());
    }
}
