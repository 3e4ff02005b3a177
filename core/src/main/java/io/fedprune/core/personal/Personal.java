package io.fedprune.core.personal;

import io.fedprune.core.optimize.PayloadModel;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.LocalAltRound;
import io.fedprune.core.strategy.LocalWork;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;
import io.fedprune.core.strategy.UniformSelector;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adaptive model pruning with personalization (arXiv 2309.01816, ALGORITHMS.md §3) as a server
 * strategy: synchronous rounds of every device; each round the {@link RoundPlanner} gives every
 * device its pruning ratio rho_n and uplink (bandwidth, power, rate) under the latency threshold;
 * each device is dispatched the global part (the personal entries are not sent: they are outside
 * the dispatch's mask) and a {@link LocalAltRound}; the arrived pruned global parts are averaged
 * per entry over the devices that kept the entry, weighted by samples, and an entry nobody kept,
 * like the whole personal segment, keeps its value.
 *
 * <p>"Kept" is read from the upload: the sparse codec sends the non-zero entries, so a device that
 * pruned (rho_n &gt; 0) kept exactly its non-zero global entries (a surviving weight that is exactly
 * 0.0 after training is indistinguishable from a pruned one and is treated as pruned, as in the
 * PR-FL authors' code); a device that did not prune kept its whole global part.
 *
 * <p>Metrics: the devices' accuracies of their personalized models (what each measured on its own
 * test split for the global version it received, with its personal part) as mean, std, min, max;
 * the allocation (mean and max rho, the threshold, the planned latency, late devices, bandwidth);
 * and the measured round latency (the slowest arrival's download + compute + upload in clock time).
 */
public final class Personal implements Strategy {
    private static final List<String> METRICS = List.of("device_acc_mean", "device_acc_std", "device_acc_min",
            "device_acc_max", "devices_measured", "rho_mean", "rho_max", "threshold_s", "planned_latency_s",
            "round_latency_s", "late_devices", "bandwidth_used_hz");

    private final PersonalSettings settings;
    private final PersonalParts parts;
    private final RoundPlanner planner;
    private final Pacing pacing;
    private final double[] num;
    private final double[] den;
    private long round;
    private long plannedRound = -1;
    private RoundPlanner.Plan plan;
    private int arrived;
    private double accSum;
    private double accSqSum;
    private double accMin = Double.POSITIVE_INFINITY;
    private double accMax = Double.NEGATIVE_INFINITY;
    private int measured;
    private long slowestMicros;

    public Personal(PersonalSettings settings, StrategyContext context) {
        this.settings = settings;
        this.parts = PersonalParts.of(context.layout(), settings.personalLayers());
        PayloadModel payload = new PayloadModel(parts.globalLength(), parts.globalLength(), 32,
                settings.indexOverhead());
        double[] dense = new double[context.clients()];
        double unpruned = settings.computeScale(0);
        for (int n = 0; n < dense.length; n++) {
            dense[n] = context.computeTimes().seconds(n, settings.totalSteps()) * unpruned;
        }
        this.planner = new RoundPlanner(settings, payload, dense, context.seed());
        this.pacing = Pacing.rounds(new UniformSelector(1.0), settings.roundDeadlineMicros());
        int length = context.layout().totalLength();
        this.num = new double[length];
        this.den = new double[length];
    }

    @Override
    public String name() {
        return "personal";
    }

    @Override
    public Pacing pacing() {
        return pacing;
    }

    @Override
    public List<String> metricNames() {
        return METRICS;
    }

    /** The split this run uses (the clients learn it from the dispatch's mask). */
    public PersonalParts parts() {
        return parts;
    }

    @Override
    public Dispatch configure(int clientId, ModelState global) {
        if (plannedRound != round) { // the channels of a new round: re-solve the allocation
            plan = planner.plan(round);
            plannedRound = round;
        }
        RoundPlanner.Grant g = plan.grants()[clientId];
        LocalAltRound alt = new LocalAltRound(settings.tauV(), settings.tauU(), settings.tauHatU(), g.ratio(),
                g.rateBps());
        return new Dispatch(parts.global(), LocalWork.steps(settings.totalSteps()), null,
                settings.computeScale(g.ratio()), null, alt);
    }

    @Override
    public Decision onUpdate(ArrivedUpdate update, ModelState global) {
        float[] p = update.params();
        double w = update.samples();
        boolean pruned = update.dispatch().localAlt() != null && update.dispatch().localAlt().pruneRatio() > 0;
        for (int j : parts.globalIndices()) {
            if (!pruned || p[j] != 0f) {
                num[j] += w * p[j];
                den[j] += w;
            }
        }
        arrived++;
        slowestMicros = Math.max(slowestMicros, update.roundMicros());
        double acc = update.deviceAccuracy();
        if (Double.isFinite(acc)) {
            measured++;
            accSum += acc;
            accSqSum += acc * acc;
            accMin = Math.min(accMin, acc);
            accMax = Math.max(accMax, acc);
        }
        return Decision.keep();
    }

    @Override
    public Decision onRoundEnd(RoundOutcome outcome, ModelState global) {
        round++;
        if (arrived == 0) {
            reset();
            return Decision.keep();
        }
        float[] next = global.params().clone(); // the personal segment and unkept entries keep their values
        for (int j : parts.globalIndices()) {
            if (den[j] > 0) {
                next[j] = (float) (num[j] / den[j]);
            }
        }
        Map<String, Double> m = metrics();
        reset();
        return Decision.publish(next, m);
    }

    private Map<String, Double> metrics() {
        Map<String, Double> m = new LinkedHashMap<>();
        if (measured > 0) {
            double mean = accSum / measured;
            m.put("device_acc_mean", mean);
            m.put("device_acc_std", Math.sqrt(Math.max(0, accSqSum / measured - mean * mean)));
            m.put("device_acc_min", accMin);
            m.put("device_acc_max", accMax);
        }
        m.put("devices_measured", (double) measured);
        double rhoSum = 0;
        double rhoMax = 0;
        double latency = 0;
        for (RoundPlanner.Grant g : plan.grants()) {
            rhoSum += g.ratio();
            rhoMax = Math.max(rhoMax, g.ratio());
            latency = Math.max(latency, g.latencyS());
        }
        m.put("rho_mean", rhoSum / plan.grants().length);
        m.put("rho_max", rhoMax);
        m.put("threshold_s", plan.thresholdS());
        m.put("planned_latency_s", latency);
        m.put("round_latency_s", slowestMicros / 1e6);
        m.put("late_devices", (double) plan.late());
        m.put("bandwidth_used_hz", plan.bandwidthUsedHz());
        return m;
    }

    private void reset() {
        java.util.Arrays.fill(num, 0);
        java.util.Arrays.fill(den, 0);
        arrived = 0;
        measured = 0;
        accSum = 0;
        accSqSum = 0;
        accMin = Double.POSITIVE_INFINITY;
        accMax = Double.NEGATIVE_INFINITY;
        slowestMicros = 0;
    }

    /** The pruned global part is what is sent: as an update its pruned entries would cost as much as kept ones. */
    @Override
    public boolean requiresModelUploads() {
        return true;
    }

    /** Every client keeps its personal part: the personal layers' parameters. */
    @Override
    public long clientStateParams() {
        return parts.personalLength();
    }

    /** num and den in double: four float models' worth, plus the published copy. */
    @Override
    public long modelsHeld(int clients) {
        return 5;
    }

}
