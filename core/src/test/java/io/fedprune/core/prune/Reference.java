package io.fedprune.core.prune;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/** Slow, obviously-correct references and random inputs shared by the pruning tests. */
final class Reference {
    private Reference() {
    }

    /**
     * Keeps the top {@code k} of {@code candidates} by sorting (score, index) pairs: score
     * descending (with -0.0 == 0.0), index ascending. Returns a boolean per index.
     */
    static boolean[] topK(float[] scores, List<Integer> candidates, int k) {
        List<Integer> sorted = new ArrayList<>(candidates);
        sorted.sort(Comparator.<Integer>comparingDouble(i -> -((double) scores[i] + 0.0)).thenComparingInt(i -> i));
        boolean[] keep = new boolean[scores.length];
        for (int j = 0; j < k; j++) {
            keep[sorted.get(j)] = true;
        }
        return keep;
    }

    static Mask toMask(boolean[] keep) {
        List<Integer> idx = new ArrayList<>();
        for (int i = 0; i < keep.length; i++) {
            if (keep[i]) {
                idx.add(i);
            }
        }
        return Mask.fromIndices(keep.length, idx.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Reference of {@link PruningPolicy#selectByScores}. */
    static Mask select(ParameterLayout layout, float[] scores, SegmentFilter filter, PruningPolicy.Scope scope,
            double density) {
        boolean[] keep = new boolean[layout.totalLength()];
        Arrays.fill(keep, true);
        List<Integer> all = new ArrayList<>();
        for (ParameterSegment s : layout.segments()) {
            if (!prunableByHand(layout, s, filter)) {
                continue;
            }
            List<Integer> seg = new ArrayList<>();
            for (int i = s.offset(); i < s.end(); i++) {
                seg.add(i);
                keep[i] = false;
            }
            all.addAll(seg);
            if (scope == PruningPolicy.Scope.PER_LAYER) {
                boolean[] top = topK(scores, seg, (int) Math.round(density * seg.size()));
                or(keep, top);
            }
        }
        if (scope == PruningPolicy.Scope.GLOBAL) {
            or(keep, topK(scores, all, (int) Math.round(density * all.size())));
        }
        return toMask(keep);
    }

    /** The documented filter rule, spelled out independently of SegmentFilter. */
    static boolean prunableByHand(ParameterLayout layout, ParameterSegment s, SegmentFilter f) {
        if (s.kind() != SegmentKind.BIAS) {
            return f.kinds().contains(s.kind());
        }
        if (f.excludeBias()) {
            return false;
        }
        if (f.kinds().contains(SegmentKind.BIAS)) {
            return true;
        }
        return layout.segments().stream().anyMatch(
                o -> o.layerIndex() == s.layerIndex() && o.kind() != SegmentKind.BIAS && f.kinds().contains(o.kind()));
    }

    private static void or(boolean[] a, boolean[] b) {
        for (int i = 0; i < a.length; i++) {
            a[i] |= b[i];
        }
    }

    /** 1-5 layers: CONV layers, then DENSE, then one OUTPUT, each W then b, random sizes (some 0..3, some > 64). */
    static ParameterLayout randomLayout(SplittableRandom rng) {
        int layers = 1 + rng.nextInt(5);
        List<ParameterSegment> segs = new ArrayList<>();
        int offset = 0;
        int conv = rng.nextInt(layers);
        for (int l = 0; l < layers; l++) {
            SegmentKind kind = l == layers - 1 ? SegmentKind.OUTPUT : l < conv ? SegmentKind.CONV : SegmentKind.DENSE;
            int w = rng.nextInt(4) == 0 ? rng.nextInt(4) : 1 + rng.nextInt(200);
            int b = rng.nextInt(20);
            segs.add(new ParameterSegment(l + "_W", l, kind, offset, w, new long[] {w}));
            offset += w;
            if (rng.nextBoolean()) {
                segs.add(new ParameterSegment(l + "_b", l, SegmentKind.BIAS, offset, b, new long[] {b}));
                offset += b;
            }
        }
        return new ParameterLayout(segs);
    }

    /** Values with many exact ties, both zeros, negatives and occasionally infinities. */
    static float[] randomValues(SplittableRandom rng, int n) {
        float[] v = new float[n];
        int style = rng.nextInt(3);
        for (int i = 0; i < n; i++) {
            v[i] = switch (style) {
                case 0 -> (float) rng.nextGaussian();
                case 1 -> rng.nextInt(5) - 2; // heavy ties
                default -> switch (rng.nextInt(6)) {
                    case 0 -> -0.0f;
                    case 1 -> 0.0f;
                    case 2 -> rng.nextBoolean() ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
                    case 3 -> Float.MIN_VALUE * (rng.nextBoolean() ? 1 : -1);
                    default -> (float) (rng.nextGaussian() * 1e-3);
                };
            };
        }
        return v;
    }

    static double randomDensity(SplittableRandom rng) {
        return switch (rng.nextInt(5)) {
            case 0 -> 0.0;
            case 1 -> 1.0;
            default -> rng.nextDouble();
        };
    }
}
