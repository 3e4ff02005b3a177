package io.fedprune.core.prfl;

import io.fedprune.core.aggregate.ClientBuffer;
import io.fedprune.core.aggregate.MaskFedAvg;
import io.fedprune.core.density.DensityController;
import io.fedprune.core.density.Restoration;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.NestedSubModels;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.UniformSelector;
import io.fedprune.core.strategy.UpdateBuffer;
import io.fedprune.core.strategy.UpdateBuffers;
import io.fedprune.core.strategy.Validation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * PR-FL (ALGORITHMS.md §6) with FedGMR's restoration schedules (§7). Clients train continuously on
 * sub-models; each arriving update overwrites its client's slot of a {@link ClientBuffer} holding
 * the latest update of every client, and the next global model is {@link MaskFedAvg} over the
 * whole buffer with w_i = p_i n_i, p_i = s(n - n'_i) / sum_j s(n - n'_j). The buffer is an
 * {@link UpdateBuffer} from the run: in a run of actors, a buffer actor of its own.
 *
 * <p>Every {@code adjust-interval} aggregations (PR-FL's I) the strategy
 * <ol>
 *   <li>scores the global model on the validation data (held-out training samples, never the
 *       test set) and tells {@link Restoration}; when its early-stopping trigger fires, every
 *       client's density floor rises and the best model so far is restored (published as the next
 *       version); when it fires with every floor at 1, training is over and the best model is the
 *       last version ({@link Decision#finish});</li>
 *   <li>re-splits: every client's density from its recent round times
 *       ({@link DensityController}), and nested masks from the importance accumulated from the
 *       uploads ({@link SubModels}). Clients are sent their level's mask until the next re-split.</li>
 * </ol>
 * The first split is made at the first aggregation, from the initial densities and magnitudes.
 *
 * <p>The ablations are switches: no recovery, no buffer (each update mixed in alone), plain FedAvg
 * instead of MaskFedAvg, synchronous rounds, no pruning at all (see {@link PrflSettings}).
 * Updates the buffer ignores (duplicates, out of order; see {@link ClientBuffer}) count towards
 * nothing, and a client that fails or stops keeps its slot, as in PR-FL's cache.
 */
public final class Prfl implements Strategy, NestedSubModels {
    public static final String BUFFER_CLIENTS = "buffer_clients";
    public static final String MEAN_BUFFER_STALENESS = "mean_buffer_staleness";
    public static final String MEAN_DENSITY = "mean_density";
    public static final String MIN_DENSITY = "min_density";
    public static final String VALIDATION_ACCURACY = "validation_accuracy";
    public static final String RAISES = "raises";

    /** A model kept by recovery: the best so far. */
    record Checkpoint(long version, float[] params) {
    }

    private final PrflSettings settings;
    private final PrflSettings.Aggregation agg;
    private final SubModels subModels; // null when pruning is off
    private final Restoration<Checkpoint> restoration; // null when recovery is off
    private final Validation validation; // null when neither needs it
    private final int modelSize;
    private final ParameterLayout layout;
    private final UpdateBuffer buffer; // null without the buffer (ablation)
    private final UpdateBuffer.Rule rule;
    private int storedSinceAggregation;
    private long aggregations;

    /**
     * @param validation required when recovery is on (it steers by validation accuracy); otherwise
     *                   used, when given, for the {@code validation_accuracy} column
     * @throws IllegalArgumentException if recovery is on and there is no validation data, or the
     *                                  initial densities do not match the clients
     */
    public Prfl(PrflSettings settings, ParameterLayout layout, int clients, Validation validation) {
        this(settings, layout, clients, validation, null);
    }

    /** @param buffers where the buffer lives (asked once, here, when the buffer is on); null: in this strategy's memory */
    public Prfl(PrflSettings settings, ParameterLayout layout, int clients, Validation validation,
                UpdateBuffers buffers) {
        this.settings = settings;
        this.agg = settings.aggregation();
        this.modelSize = layout.totalLength();
        this.layout = layout;
        PrflSettings.Density d = settings.density();
        if (!d.initial().isEmpty() && d.initial().size() != clients) {
            throw new IllegalArgumentException("initial-densities gives " + d.initial().size() + " densities for "
                    + clients + " clients");
        }
        if (d.pruning()) {
            double[] initial = new double[clients];
            for (int i = 0; i < clients; i++) {
                initial[i] = d.initial().isEmpty() ? 1.0 : d.initial().get(i);
            }
            this.subModels = new SubModels(layout, new DensityController(clients, d.adjustInterval(), d.minDensity(),
                    initial));
        } else {
            this.subModels = null;
        }
        PrflSettings.Recovery r = settings.recovery();
        if (r.enabled()) {
            if (validation == null) {
                throw new IllegalArgumentException("recovery = " + r.schedule().canonical() + " needs validation data: "
                        + "set fedprune.data.validation-samples > 0 (or recovery = none)");
            }
            this.restoration = new Restoration<>(r.schedule(), subModels.densities(), r.patience(), r.lastStageFactor());
        } else {
            this.restoration = null;
        }
        this.validation = validation;
        this.rule = new UpdateBuffer.Rule(agg.staleness()::weight, agg.staleness().describe(), agg.maskAware(),
                agg.globalLr());
        this.buffer = !agg.buffer() ? null : buffers == null ? new ClientBuffer(modelSize) : buffers.create(modelSize);
    }

    @Override
    public String name() {
        return "prfl";
    }

    @Override
    public Pacing pacing() {
        if (agg.synchronous()) {
            return Pacing.rounds(new UniformSelector(1.0), 0);
        }
        return agg.timeTriggered() ? Pacing.ticking(agg.intervalMicros()) : Pacing.continuous();
    }

    @Override
    public List<String> metricNames() {
        return List.of(BUFFER_CLIENTS, MEAN_BUFFER_STALENESS, MEAN_DENSITY, MIN_DENSITY, VALIDATION_ACCURACY, RAISES);
    }

    /** The buffer holds one model per client; importance, recovery's best model and accumulators add a few. */
    @Override
    public long modelsHeld(int clients) {
        return (agg.buffer() ? clients : 1) + 6L;
    }

    /** The change a client made is the importance signal, so its start model is needed. */
    @Override
    public boolean needsBaseModels() {
        return subModels != null;
    }

    @Override
    public Dispatch configure(int clientId, ModelState global) {
        if (subModels == null) {
            return Dispatch.global();
        }
        if (subModels.levels() == null) {
            subModels.resplit(global.params()); // the first split: initial densities, magnitudes
        }
        Mask mask = subModels.maskOf(clientId);
        if (mask == null) {
            return Dispatch.global();
        }
        // unstructured sparsity runs on dense kernels unless the run says a device exploits it
        return settings.density().sparseCompute() ? Dispatch.masked(mask).withComputeScale(mask.density())
                : Dispatch.masked(mask);
    }

    @Override
    public Decision onUpdate(ArrivedUpdate update, ModelState global) {
        if (subModels != null) {
            subModels.observe(update);
        }
        if (!agg.buffer()) {
            return mixAlone(update, global);
        }
        UpdateBuffer.Outcome outcome = buffer.offer(update.clientId(), update.params(), update.dispatch().mask(),
                update.samples(), update.baseVersion());
        if (outcome.stored()) {
            storedSinceAggregation++;
        }
        if (restoration != null && restoration.schedule().timeTriggered()) {
            Restoration.Step<Checkpoint> step = restoration.onClock(update.atMicros() / 1e6);
            if (step.action() == Restoration.Action.FINISHED) {
                return finish(global, Double.NaN);
            }
        }
        if (agg.synchronous() || agg.timeTriggered() || storedSinceAggregation < agg.aggregateEvery()) {
            return Decision.keep();
        }
        return aggregate(global);
    }

    @Override
    public Decision onTick(long nowMicros, ModelState global) {
        return storedSinceAggregation == 0 ? Decision.keep() : aggregate(global);
    }

    @Override
    public Decision onRoundEnd(RoundOutcome round, ModelState global) {
        return storedSinceAggregation == 0 ? Decision.keep() : aggregate(global);
    }

    /** Ablation "no cache": W += alpha s(staleness) (W_i - W) on the entries the update kept. */
    private Decision mixAlone(ArrivedUpdate u, ModelState global) {
        double alpha = agg.noBufferAlpha() * agg.staleness().weight(u.staleness());
        Mask mask = agg.maskAware() ? u.dispatch().mask() : null;
        float[] next = MaskFedAvg.aggregate(global.params(), List.of(u.params()), java.util.Collections.singletonList(mask),
                new double[] {1.0}, alpha);
        return afterAggregation(next, global, 1, u.staleness());
    }

    private Decision aggregate(ModelState global) {
        UpdateBuffer.Aggregate a = buffer.aggregate(global.params(), global.version(), rule);
        storedSinceAggregation = 0;
        return afterAggregation(a.params(), global, a.clients(), a.meanStaleness());
    }

    /** Every I aggregations: validation, recovery, re-split. */
    private Decision afterAggregation(float[] next, ModelState global, int bufferClients, double staleness) {
        aggregations++;
        long version = global.version() + 1;
        double accuracy = Double.NaN;
        if (aggregations % settings.density().adjustInterval() == 0) {
            if (validation != null) {
                accuracy = validation.accuracy(next);
            }
            if (restoration != null) {
                // under time(T) an evaluation only keeps the best model: the clock raises and ends
                Restoration.Step<Checkpoint> step = restoration.onEvaluation(accuracy, new Checkpoint(version, next));
                if (step.action() == Restoration.Action.FINISHED) {
                    return finish(new ModelState(next, version), accuracy);
                }
                if (step.action() == Restoration.Action.RAISED && step.restore() != null) {
                    next = step.restore().params().clone(); // PR-FL reloads its best checkpoint
                }
            }
            if (subModels != null) {
                subModels.resplit(next);
            }
        }
        return Decision.publish(next, metrics(bufferClients, staleness, accuracy));
    }

    /** Training is over: the best model so far is the last version. */
    private Decision finish(ModelState current, double accuracy) {
        float[] best = restoration.bestModel().map(c -> c.params().clone()).orElse(current.params().clone());
        UpdateBuffer.Summary b = buffer == null ? null : buffer.summary(current.version());
        return Decision.finish(best, metrics(b == null ? 0 : b.clients(), b == null ? 0 : b.meanStaleness(), accuracy));
    }

    private Map<String, Double> metrics(int bufferClients, double staleness, double accuracy) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(BUFFER_CLIENTS, (double) bufferClients);
        m.put(MEAN_BUFFER_STALENESS, staleness);
        m.put(MEAN_DENSITY, subModels == null ? 1.0 : subModels.meanDensity());
        m.put(MIN_DENSITY, subModels == null ? 1.0 : subModels.minDensity());
        m.put(VALIDATION_ACCURACY, accuracy);
        m.put(RAISES, restoration == null ? 0.0 : restoration.raises());
        return m;
    }

    @Override
    public List<Mask> nestedMasks() {
        return subModels == null || subModels.levels() == null ? null : subModels.levels().masks();
    }

    @Override
    public boolean residualDownload() {
        return subModels != null && settings.density().residualSplit();
    }

    @Override
    public ParameterLayout layout() {
        return layout;
    }

    /** The buffer, for inspection (null without one); do not offer to it. */
    public UpdateBuffer buffer() {
        return buffer;
    }

    /** The current densities and masks, for inspection (null when pruning is off). */
    SubModels subModels() {
        return subModels;
    }

    /** Recovery's state, for inspection (null when recovery is off). */
    Restoration<Checkpoint> restoration() {
        return restoration;
    }
}
