package io.fedprune.core.tifl;

import io.fedprune.core.strategy.ClientSelector;
import io.fedprune.core.strategy.UniformSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * TiFL's adaptive tier selection (ALGORITHMS.md §8.4, as the FLGo implementation does it): each
 * round one tier is drawn with probability p_t among the tiers with credits left, spends one
 * credit, and up to {@code clientsPerRound} of its clients are sampled uniformly. Probabilities
 * start equal; {@link #rerank} sets them from the tiers' accuracies: the n tiers with credits,
 * sorted by ascending accuracy (rank j = 0 for the lowest, ties to the lower tier), get
 * p = (n - j) / (n (n + 1) / 2), the tiers without credits 0.
 *
 * <p>Credits: every tier starts with {@code credits}. The paper and FLGo size credits from a
 * fixed number of rounds; our runs may stop on a time budget instead, so when every tier has
 * spent its credits all are given {@code credits} again and the tiers are re-ranked with the
 * accuracies last seen [I] — a run never stalls for want of credits.
 */
public final class TierSelector implements ClientSelector {
    private final Tiers tiers;
    private final int clientsPerRound;
    private final int credits;
    private final int[] left;
    private final double[] probability;
    private double[] lastAccuracy;
    private int lastTier = -1;

    public TierSelector(Tiers tiers, int clientsPerRound, int credits) {
        if (clientsPerRound < 1) {
            throw new IllegalArgumentException("clients per round must be >= 1, got " + clientsPerRound);
        }
        if (credits < 1) {
            throw new IllegalArgumentException("credits must be >= 1, got " + credits);
        }
        this.tiers = tiers;
        this.clientsPerRound = clientsPerRound;
        this.credits = credits;
        this.left = new int[tiers.count()];
        Arrays.fill(left, credits);
        this.probability = new double[tiers.count()];
        Arrays.fill(probability, 1.0 / tiers.count());
    }

    @Override
    public List<Integer> select(List<Integer> available, long round, SplittableRandom rng) {
        Set<Integer> open = new HashSet<>(available);
        boolean[] reachable = new boolean[tiers.count()];
        boolean any = false;
        for (int c : open) {
            reachable[tiers.tierOf(c)] = true;
            any = true;
        }
        if (!any) {
            return List.of();
        }
        if (IntStream.range(0, left.length).noneMatch(t -> left[t] > 0 && reachable[t])) {
            Arrays.fill(left, credits);
            if (lastAccuracy != null) {
                rerank(lastAccuracy);
            }
        }
        int tier = draw(reachable, rng);
        left[tier]--;
        lastTier = tier;
        List<Integer> ids = new ArrayList<>();
        for (int c : tiers.members(tier)) {
            if (open.contains(c)) {
                ids.add(c);
            }
        }
        return UniformSelector.sample(ids, Math.min(clientsPerRound, ids.size()), rng);
    }

    /**
     * A tier by its probability among the tiers with credits and an available client (the same law
     * as FLGo's redraw-until-it-has-credits); uniform among them if all their probabilities are 0.
     */
    private int draw(boolean[] reachable, SplittableRandom rng) {
        double total = 0;
        int candidates = 0;
        for (int t = 0; t < left.length; t++) {
            if (left[t] > 0 && reachable[t]) {
                total += probability[t];
                candidates++;
            }
        }
        double u = rng.nextDouble();
        boolean uniform = !(total > 0);
        double target = u * (uniform ? candidates : total);
        double acc = 0;
        int last = -1;
        for (int t = 0; t < left.length; t++) {
            if (left[t] > 0 && reachable[t]) {
                acc += uniform ? 1 : probability[t];
                last = t;
                if (target < acc) {
                    return t;
                }
            }
        }
        return last; // rounding left u * total at the very top
    }

    /**
     * New probabilities from per-tier accuracies (NaN for a tier never measured: it ranks lowest,
     * so it is tried).
     */
    public void rerank(double[] accuracy) {
        if (accuracy.length != tiers.count()) {
            throw new IllegalArgumentException("accuracies of " + accuracy.length + " tiers, expected " + tiers.count());
        }
        lastAccuracy = accuracy.clone();
        Integer[] order = IntStream.range(0, tiers.count()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(t -> Double.isNaN(accuracy[t])
                ? Double.NEGATIVE_INFINITY : accuracy[t]).thenComparingInt(t -> t));
        int n = (int) Arrays.stream(left).filter(c -> c > 0).count();
        double d = n * (n + 1) / 2.0;
        int rank = 0;
        for (int t : order) {
            probability[t] = left[t] > 0 ? (n - rank++) / d : 0;
        }
    }

    /** The tier drawn for the latest round, -1 before the first. */
    public int lastTier() {
        return lastTier;
    }

    public double probability(int tier) {
        return probability[tier];
    }

    public int creditsLeft(int tier) {
        return left[tier];
    }

    public Tiers tiers() {
        return tiers;
    }
}
