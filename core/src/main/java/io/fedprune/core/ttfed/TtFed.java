package io.fedprune.core.ttfed;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.optimize.Allocation;
import io.fedprune.core.optimize.PayloadModel;
import io.fedprune.core.optimize.TierDemotion;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.prune.SegmentFilter;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.StrategyContext;
import io.fedprune.core.strategy.TieredStrategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * TT-Fed and TT-Prune (ALGORITHMS.md §2, §8.6). Clients are in tiers m = ⌈T_u/ΔT⌉ by their
 * latency; a client of tier m starting at tick k trains from the model published at k and must
 * answer before tick k + m, where its tier's uploads are averaged (masked, sample-weighted:
 * {@link TierAggregation}) and the global model becomes the α-weighted sum of every tier's latest
 * model. So tier m joins the aggregation every m ticks from a model m ticks old; ΔT → 0 gives each
 * client its own pace (asynchronous FL), ΔT ≥ the slowest round one tier (synchronous FL).
 *
 * <p>Every tick the starters' uploads are planned ({@link TierRadio}): a Shannon-rate channel per
 * user with fading redrawn per tick, the band not held by rounds in progress split by the KKT
 * allocator into a pruning ratio per tier (0 for TT-Fed) and a bandwidth per user; users it cannot
 * fit move to a slower tier, and the plan travels with the work ({@link Dispatch.Uplink}): the
 * client prunes that fraction of its hidden FC weights by |w_local − w_received| and sends over that
 * rate, so timing emerges from the clock. Tiers are re-formed at every tick from each client's
 * local training time: download + compute as last measured (an answer's round time minus its
 * planned upload), doubled for a client that missed its deadline; the upload has to fit in the
 * rest of its tier's window.
 *
 * <p>Not thread-safe: strategies are called one at a time.
 */
public final class TtFed implements TieredStrategy {

    /** What a tier keeps of one upload until its deadline tick. */
    private record Upload(float[] params, Mask kept, long samples) {
    }

    private final TtFedSettings s;
    private final ParameterLayout layout;
    private final Mask prunable;
    private final TierRadio radio;
    private final double[] baseSeconds; // per client: download + compute, as last measured
    private final TimeTiers observed;
    private final TierAggregation aggregation;
    private TimeTiers.Assignment tiers;
    private long ticks;

    // per client: its open round (deadline tick, tier, plan), or none
    private final long[] deadline;
    private final int[] roundTier;
    private final int[] lastTier;
    private final boolean[] answered;
    private final double[] heldHz;
    private final Map<Integer, Dispatch.Uplink> plans = new TreeMap<>();
    private final Map<Integer, List<Upload>> pending = new TreeMap<>();

    // metrics of the last plan and tick
    private final Map<String, Double> last = new LinkedHashMap<>();
    private long stragglers;
    private long demotions;
    private long infeasible;
    private double plannedBits; // of the uploads that arrived in time, as the plan sized them
    private double maxDeadlineUse;

    TtFed(TtFedSettings s, StrategyContext context) {
        this.s = s;
        this.layout = context.layout();
        SegmentFilter filter = SegmentFilter.denseOnly();
        this.prunable = filter.prunable(layout);
        int n = context.clients();
        this.radio = new TierRadio(s, PayloadModel.float32(layout, filter, s.indexOverhead()),
                context.devices().uplinkBps(), context.seed());
        this.baseSeconds = new double[n];
        for (int u = 0; u < n; u++) {
            baseSeconds[u] = context.devices().downloadSeconds()[u] + context.devices().computeSeconds()[u];
        }
        this.observed = new TimeTiers(s.tickSeconds(), n, s.window());
        this.tiers = TimeTiers.assign(latencies(), s.tickSeconds());
        this.aggregation = new TierAggregation(tiers.tiers(), s.weighting());
        this.deadline = new long[n];
        Arrays.fill(deadline, -1);
        this.roundTier = new int[n];
        this.lastTier = new int[n];
        this.answered = new boolean[n];
        this.heldHz = new double[n];
    }

    @Override
    public String name() {
        return "ttfed";
    }

    @Override
    public Pacing pacing() {
        return new Pacing.Tiered(s.tickMicros());
    }

    @Override
    public List<String> metricNames() {
        return List.of("tiers", "tiers_joined", "missed_deadline", "demoted", "unscheduled", "mean_prune_ratio",
                "planned_upload_bytes", "bandwidth_used_hz", "max_deadline_use");
    }

    @Override
    public Dispatch configure(int clientId, ModelState global) {
        Dispatch.Uplink plan = plans.get(clientId);
        return plan == null ? Dispatch.global() : Dispatch.global().withUplink(plan);
    }

    @Override
    public Decision onUpdate(ArrivedUpdate update, ModelState global) {
        int u = update.clientId();
        if (deadline[u] < 0 || answered[u]) {
            return Decision.keep(); // no open round (closed at its deadline) or a repeat
        }
        answered[u] = true;
        heldHz[u] = 0; // its upload is over: the band is free again
        // how much of its tier's window m ΔT the round took, as the clock measured it (< 1: in time)
        maxDeadlineUse = Math.max(maxDeadlineUse, update.roundMicros() / (double) (roundTier[u] * s.tickMicros()));
        last.put("max_deadline_use", maxDeadlineUse);
        Dispatch.Uplink plan = update.dispatch() == null ? null : update.dispatch().uplink();
        if (plan != null) {
            // download + compute as this round measured it: the round minus the upload as planned
            double upload = radio.payload().bits(plan.pruneRatio()) / plan.rateBps();
            plannedBits += radio.payload().bits(plan.pruneRatio());
            last.put("planned_upload_bytes", plannedBits / 8);
            baseSeconds[u] = Math.max(0, update.roundMicros() / 1e6 - upload);
        }
        observed.observe(u, latency(u));
        Mask kept = plan != null && plan.pruneRatio() > 0 ? keptEntries(update.params()) : null;
        pending.computeIfAbsent(roundTier[u], m -> new ArrayList<>()).add(new Upload(update.params(), kept,
                update.samples()));
        return Decision.keep();
    }

    /** What a pruned upload kept: its non-zero entries and everything pruning may not touch. */
    private Mask keptEntries(float[] params) {
        long[] nz = Mask.nonZero(params).words();
        long[] p = prunable.words();
        long[] w = new long[nz.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = nz[i] | ~p[i];
        }
        int n = params.length;
        if (n % 64 != 0) {
            w[w.length - 1] &= (1L << (n % 64)) - 1;
        }
        return Mask.fromWords(n, w);
    }

    @Override
    public Decision onTick(long nowMicros, ModelState global) {
        long k = ++ticks;
        int joined = 0;
        long missed = 0;
        Map<Integer, List<Upload>> closing = new TreeMap<>();
        for (int u = 0; u < deadline.length; u++) {
            if (deadline[u] != k) {
                continue;
            }
            if (!answered[u]) {
                // missed its tier's deadline: its download + compute took longer than planned
                missed++;
                baseSeconds[u] = Math.max(2 * baseSeconds[u], s.tickSeconds());
                observed.observe(u, latency(u));
            }
            closing.putIfAbsent(roundTier[u], null);
            deadline[u] = -1;
            heldHz[u] = 0;
        }
        float[] model = null;
        for (int m : closing.keySet()) {
            List<Upload> ups = pending.remove(m);
            if (ups == null || ups.isEmpty()) {
                continue;
            }
            aggregation.ensureTiers(m);
            aggregation.aggregateTier(m, global.params(), ups.stream().map(Upload::params).toList(),
                    ups.stream().map(Upload::kept).toList(), ups.stream().mapToLong(Upload::samples).toArray());
            joined++;
        }
        stragglers += missed;
        last.put("tiers_joined", (double) joined);
        last.put("missed_deadline", (double) stragglers);
        if (joined > 0) {
            model = aggregation.global();
        }
        return model == null ? Decision.keep() : Decision.publish(model, Map.copyOf(last));
    }

    @Override
    public List<Integer> startingAt(long tick, List<Integer> available) {
        tiers = observed.assign(latencies());
        List<Integer> due = new ArrayList<>();
        for (int u : available) {
            if (deadline[u] < 0 && tick % tiers.tierOf()[u] == 0) {
                due.add(u);
            }
        }
        plans.keySet().removeAll(due);
        if (due.isEmpty()) {
            return List.of();
        }
        int maxTier = tiers.tiers() + 2; // room to demote whom the band cannot carry
        aggregation.ensureTiers(maxTier);
        int[] ids = due.stream().mapToInt(Integer::intValue).toArray();
        int[] tierOf = new int[ids.length];
        double[] base = new double[ids.length];
        for (int i = 0; i < ids.length; i++) {
            tierOf[i] = tiers.tierOf()[ids[i]];
            base[i] = baseSeconds[ids[i]];
        }
        double held = Arrays.stream(heldHz).sum();
        TierDemotion.Result r = radio.plan(tick, ids, tierOf, base, maxTier, betas(maxTier), s.bandwidthHz() - held);
        Allocation a = r.allocation();
        // the allocator gives each user the least band that makes its deadline; a band left over
        // is shared out in proportion, so uploads end early rather than the band lying idle, but
        // never beyond an equal share (or the grant, if more): later starters need band too
        double free = Math.max(0, s.bandwidthHz() - held);
        double equalShareHz = s.bandwidthHz() / deadline.length;
        double spread = a.bandwidthUsedHz() > 0 && free > a.bandwidthUsedHz() ? free / a.bandwidthUsedHz() : 1;
        List<Integer> starting = new ArrayList<>();
        double ratioSum = 0;
        for (Allocation.Grant g : a.grants()) {
            int u = g.userId();
            int m = g.tier() + 1;
            double band = Math.min(g.bandwidthHz() * spread, Math.max(g.bandwidthHz(), equalShareHz));
            plans.put(u, new Dispatch.Uplink(g.ratio(), radio.rateBps(u, tick, band, g.powerW())));
            deadline[u] = tick + m;
            roundTier[u] = m;
            lastTier[u] = m;
            answered[u] = false;
            heldHz[u] = band;
            starting.add(u);
            ratioSum += g.ratio();
        }
        demotions += r.moves().size();
        infeasible += a.infeasible().size();
        last.put("tiers", (double) tiers.tiers());
        last.put("demoted", (double) demotions);
        last.put("unscheduled", (double) infeasible);
        last.put("mean_prune_ratio", starting.isEmpty() ? 0 : ratioSum / starting.size());
        last.put("bandwidth_used_hz", held + starting.stream().mapToDouble(u -> heldHz[u]).sum());
        starting.sort(null);
        return starting;
    }

    /** β_m: the tiers' aggregation weights (uniform before any tier has a model), never 0. */
    private double[] betas(int count) {
        double[] b = new double[count];
        Arrays.fill(b, 1.0 / count);
        if (!aggregation.tiersWithModels().isEmpty()) {
            double[] a = aggregation.weights();
            for (int i = 0; i < Math.min(a.length, count); i++) {
                b[i] = Math.max(a[i], 1e-3 / count);
            }
        }
        return b;
    }

    private double[] latencies() {
        double[] t = new double[baseSeconds.length];
        for (int u = 0; u < t.length; u++) {
            t[u] = latency(u);
        }
        return t;
    }

    /**
     * Client u's latency as tiers are formed from it: its local training time (download +
     * compute; ALGORITHMS.md §2 puts a user in a tier by its local training time), stretched by the
     * deadline guard so that m = ⌈T_u / ΔT⌉ leaves it that time within the guarded deadline
     * m ΔT (1 − guard). The upload must fit in what is left of the tier's window: that is what the
     * band and the pruning ratio are planned for, and a user they cannot fit moves a tier slower.
     */
    private double latency(int u) {
        return baseSeconds[u] / (1 - s.deadlineGuard());
    }

    @Override
    public int tierOf(int clientId) {
        return lastTier[clientId];
    }

    @Override
    public long deadlineTick(int clientId, long startTick) {
        return startTick + roundTier[clientId];
    }

    @Override
    public void onClientGone(int clientId) {
        // its open round stays open until its deadline tick closes it (a gone client cannot answer)
        heldHz[clientId] = 0;
    }

    @Override
    public long modelsHeld(int clients) {
        // every tier's latest model, and a pending upload per client at most
        return tiers.tiers() + 2 + clients;
    }
}
