package io.fedprune.core.ttfed;

import io.fedprune.core.aggregate.MaskFedAvg;
import io.fedprune.core.prune.Mask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * TT-Fed's two-level aggregation (ALGORITHMS.md §2, steps 3 and 4). Inside a tier, a masked,
 * sample-weighted average of its clients' pruned models: an entry is averaged over the clients
 * that kept it, and an entry nobody kept keeps the global value (so pruned zeros never drag the
 * weights down). Across tiers, w_G = Σ_m α_m w_m over every tier's latest model — a tier that did
 * not join this tick contributes its cached model — with α by one of the two rules the paper
 * leaves open:
 * <ul>
 *   <li>{@link Weighting#INVERSE_FREQUENCY}: α_m ∝ m·|D_m| (a tier updating every m ticks counts m
 *       times, balancing the bias toward fast tiers);</li>
 *   <li>{@link Weighting#FEDAT}: FedAT's α_m = T_(M+1−m) / Σ_j T_j, T_j the updates tier j has made,
 *       so the tier that has updated least gets the most weight. Counts start at 1 (our choice: with
 *       raw counts the fast tiers' weights are 0 until the slowest tier has updated once).</li>
 * </ul>
 * Not thread-safe (strategies are called one at a time).
 */
public final class TierAggregation {

    /** How tiers are weighted in the global model. */
    public enum Weighting {
        INVERSE_FREQUENCY, FEDAT;

        public static Weighting parse(String s) {
            return switch (s.trim().toLowerCase(Locale.ROOT)) {
                case "inverse-frequency" -> INVERSE_FREQUENCY;
                case "fedat" -> FEDAT;
                default -> throw new IllegalArgumentException("unknown tier weighting '" + s
                        + "', expected inverse-frequency or fedat");
            };
        }
    }

    private final Weighting weighting;
    private float[][] latest; // per tier (index m - 1): its latest model, null before its first
    private long[] samples; // per tier: samples behind its latest model
    private long[] updates; // per tier: tier aggregations so far (FedAT's T_m)

    public TierAggregation(int tiers, Weighting weighting) {
        if (tiers < 1) {
            throw new IllegalArgumentException("at least one tier, got " + tiers);
        }
        this.weighting = weighting;
        this.latest = new float[tiers][];
        this.samples = new long[tiers];
        this.updates = new long[tiers];
    }

    /** Makes room for tiers 1..{@code tiers} (tiers are re-formed as latencies change; none is dropped). */
    public void ensureTiers(int tiers) {
        if (tiers > latest.length) {
            latest = Arrays.copyOf(latest, tiers);
            samples = Arrays.copyOf(samples, tiers);
            updates = Arrays.copyOf(updates, tiers);
        }
    }

    /** Tiers there is room for. */
    public int tiers() {
        return latest.length;
    }

    /**
     * Tier {@code tier}'s model from its clients' uploads this time: the masked sample-weighted
     * average (entries nobody kept: {@code global}'s value); it becomes the tier's cached model.
     *
     * @param masks each upload's kept entries (null: the whole model)
     */
    public float[] aggregateTier(int tier, float[] global, List<float[]> params, List<Mask> masks, long[] sampleCounts) {
        if (params.isEmpty()) {
            throw new IllegalArgumentException("tier " + tier + " has no upload to aggregate");
        }
        double[] w = new double[sampleCounts.length];
        long total = 0;
        for (int k = 0; k < w.length; k++) {
            w[k] = sampleCounts[k];
            total += sampleCounts[k];
        }
        float[] model = MaskFedAvg.aggregate(global, params, masks, w, 1.0);
        latest[tier - 1] = model;
        samples[tier - 1] = total;
        updates[tier - 1]++;
        return model;
    }

    /** The tiers' weights α (index 0 = tier 1; 0 for tiers without a model yet); they sum to 1. */
    public double[] weights() {
        int m = latest.length;
        double[] a = new double[m];
        double sum = 0;
        for (int i = 0; i < m; i++) {
            if (latest[i] == null) {
                continue;
            }
            a[i] = switch (weighting) {
                case INVERSE_FREQUENCY -> (i + 1) * (double) samples[i];
                // tier i + 1 gets the update count of tier M - i (the mirror), so slow tiers weigh more
                case FEDAT -> updates[m - 1 - i] + 1.0;
            };
            sum += a[i];
        }
        if (!(sum > 0)) {
            throw new IllegalStateException("no tier has a model yet");
        }
        for (int i = 0; i < m; i++) {
            a[i] /= sum;
        }
        return a;
    }

    /** w_G = Σ α_m w_m over every tier's latest model. */
    public float[] global() {
        double[] a = weights();
        double[] sum = new double[Arrays.stream(latest).filter(x -> x != null).findFirst().orElseThrow().length];
        for (int i = 0; i < latest.length; i++) {
            if (latest[i] == null) {
                continue;
            }
            for (int j = 0; j < sum.length; j++) {
                sum[j] += a[i] * latest[i][j];
            }
        }
        float[] out = new float[sum.length];
        for (int j = 0; j < out.length; j++) {
            out[j] = (float) sum[j];
        }
        return out;
    }

    /** Tier aggregations so far, index 0 = tier 1. */
    public long[] updates() {
        return updates.clone();
    }

    /** Tiers that have a model. */
    public List<Integer> tiersWithModels() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < latest.length; i++) {
            if (latest[i] != null) {
                out.add(i + 1);
            }
        }
        return out;
    }
}
