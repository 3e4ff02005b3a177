package io.fedprune.core.aggregate;

import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * PR-FL's buffered aggregation (ALGORITHMS.md §6, per-round loop steps 2–3): clients train
 * continuously; each arriving update overwrites its client's slot of a {@link ClientBuffer}
 * holding the latest update of every client, and the next global model is {@link MaskFedAvg}
 * over the <em>whole</em> buffer with w_i = p_i n_i, p_i = s(n - n'_i) / sum_j s(n - n'_j).
 *
 * <p>Aggregation happens after every {@code aggregateEvery} stored updates (1, the default, is
 * PR-FL's aggregation of the whole cache each round, here each arrival) or, when
 * {@code intervalMicros > 0}, on each clock tick instead. Updates the buffer ignores (duplicates,
 * out of order; see {@link ClientBuffer}) count towards neither, and a tick with nothing new stored
 * since the last aggregation publishes nothing: re-averaging an unchanged buffer adds no
 * information. A client that fails or stops keeps its slot, as in PR-FL's cache.
 *
 * <p>What each client is sent comes from a {@link SubModelPlan} (default: the whole model); the
 * density control, recovery and nested masks of PR-FL are not here.
 */
public final class PrflBuffered implements Strategy {
    public static final String BUFFER_CLIENTS = "buffer_clients";
    public static final String MEAN_BUFFER_STALENESS = "mean_buffer_staleness";

    /**
     * @param staleness      s(n - n'); PR-FL's default is {@code polynomial(0.6)}, its hinge {@code hinge(a, 2)}
     * @param globalLr       eta_g in (0, 1]: W = (1 - eta_g) W_prev + eta_g W_new
     * @param aggregateEvery stored updates per aggregation (&gt;= 1), when not time-triggered
     * @param intervalMicros clock time between aggregations; 0 = aggregate on arrivals
     */
    public record Settings(StalenessFunction staleness, double globalLr, int aggregateEvery, long intervalMicros) {
        public Settings {
            java.util.Objects.requireNonNull(staleness, "staleness");
            if (!(globalLr > 0 && globalLr <= 1)) {
                throw new IllegalArgumentException("PR-FL global learning rate eta_g must be in (0, 1], got "
                        + globalLr);
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
        }

        /** PR-FL's defaults: polynomial(0.6), eta_g = 1, an aggregation per arrival. */
        public static Settings defaults() {
            return new Settings(StalenessFunction.polynomial(0.6), 1.0, 1, 0);
        }

        boolean timeTriggered() {
            return intervalMicros > 0;
        }
    }

    private final Settings settings;
    private final SubModelPlan plan;
    private ClientBuffer buffer;
    private int storedSinceAggregation;

    public PrflBuffered(Settings settings, SubModelPlan plan) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        this.plan = java.util.Objects.requireNonNull(plan, "plan");
    }

    /** Every client gets the whole model. */
    public PrflBuffered(Settings settings) {
        this(settings, SubModelPlan.FULL);
    }

    /** The buffer holds one model per client, plus the aggregation's accumulators. */
    @Override
    public long modelsHeld(int clients) {
        return clients + 4L;
    }

    @Override
    public String name() {
        return "prfl";
    }

    @Override
    public Pacing pacing() {
        return settings.timeTriggered() ? Pacing.ticking(settings.intervalMicros()) : Pacing.continuous();
    }

    @Override
    public List<String> metricNames() {
        return List.of(BUFFER_CLIENTS, MEAN_BUFFER_STALENESS);
    }

    @Override
    public Dispatch configure(int clientId, ModelState global) {
        Mask mask = plan.maskFor(clientId, global);
        return mask == null ? Dispatch.global() : Dispatch.masked(mask);
    }

    @Override
    public Decision onUpdate(ArrivedUpdate update, ModelState global) {
        if (buffer == null) {
            buffer = new ClientBuffer(global.params().length);
        }
        ClientBuffer.Outcome outcome = buffer.offer(update.clientId(), update.params(), update.dispatch().mask(),
                update.samples(), update.baseVersion());
        if (outcome.stored()) {
            storedSinceAggregation++;
        }
        if (settings.timeTriggered() || storedSinceAggregation < settings.aggregateEvery()) {
            return Decision.keep();
        }
        return aggregate(global);
    }

    @Override
    public Decision onTick(long nowMicros, ModelState global) {
        return storedSinceAggregation == 0 ? Decision.keep() : aggregate(global);
    }

    private Decision aggregate(ModelState global) {
        long n = global.version();
        double[] w = buffer.stalenessWeights(n, settings.staleness());
        List<float[]> params = new ArrayList<>(w.length);
        List<Mask> masks = new ArrayList<>(w.length);
        int i = 0;
        for (ClientBuffer.Slot s : buffer.slots()) {
            w[i++] *= s.samples();
            params.add(s.params());
            masks.add(s.mask());
        }
        float[] next = MaskFedAvg.aggregate(global.params(), params, masks, w, settings.globalLr());
        storedSinceAggregation = 0;
        return Decision.publish(next, Map.of(BUFFER_CLIENTS, (double) buffer.size(),
                MEAN_BUFFER_STALENESS, buffer.meanStaleness(n)));
    }

    /** The buffer, for inspection (null before the first update); do not offer to it. */
    public ClientBuffer buffer() {
        return buffer;
    }
}
