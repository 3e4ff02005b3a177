package io.fedprune.core.prune;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Which parameters a pruning policy may remove. Everything outside the filter is always kept, so
 * e.g. TT-Prune (FC layers only) leaves convolution kernels dense.
 *
 * <p>A weight segment (CONV, DENSE, OUTPUT) is prunable iff its kind is in {@code kinds}. A BIAS
 * segment has no layer type of its own, so it follows the weights of its layer: it is prunable iff
 * {@code excludeBias} is false and either {@code kinds} contains BIAS or the kind of a weight
 * segment of the same layer is in {@code kinds}. Thus {@code ({DENSE}, false)} prunes hidden FC
 * weights and their biases, and {@code ({DENSE}, true)} prunes the weights only.
 *
 * @param kinds       the kinds of segments that may be pruned (may be empty: nothing is prunable)
 * @param excludeBias never prune biases, whatever {@code kinds} says
 */
public record SegmentFilter(Set<SegmentKind> kinds, boolean excludeBias) {

    public SegmentFilter {
        Objects.requireNonNull(kinds, "kinds");
        kinds = kinds.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(kinds));
    }

    /** Every parameter, biases included. */
    public static SegmentFilter all() {
        return new SegmentFilter(EnumSet.allOf(SegmentKind.class), false);
    }

    /** Hidden fully connected weights only: no conv kernels, no classifier, no biases (TT-Prune). */
    public static SegmentFilter denseOnly() {
        return new SegmentFilter(EnumSet.of(SegmentKind.DENSE), true);
    }

    /** Whether {@code segment} (a segment of {@code layout}) may be pruned. */
    public boolean accepts(ParameterLayout layout, ParameterSegment segment) {
        if (segment.kind() != SegmentKind.BIAS) {
            return kinds.contains(segment.kind());
        }
        if (excludeBias) {
            return false;
        }
        if (kinds.contains(SegmentKind.BIAS)) {
            return true;
        }
        for (ParameterSegment s : layout.segments()) {
            if (s.layerIndex() == segment.layerIndex() && s.kind() != SegmentKind.BIAS && kinds.contains(s.kind())) {
                return true;
            }
        }
        return false;
    }

    /** The prunable segments of {@code layout}, in vector order. */
    public List<ParameterSegment> prunableSegments(ParameterLayout layout) {
        List<ParameterSegment> out = new ArrayList<>();
        for (ParameterSegment s : layout.segments()) {
            if (accepts(layout, s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Bit i set iff parameter i may be pruned. */
    public Mask prunable(ParameterLayout layout) {
        return Mask.fromWords(layout.totalLength(), prunableWords(layout));
    }

    long[] prunableWords(ParameterLayout layout) {
        long[] w = new long[(layout.totalLength() + 63) >>> 6];
        for (ParameterSegment s : prunableSegments(layout)) {
            setRange(w, s.offset(), s.end());
        }
        return w;
    }

    static void setRange(long[] w, int from, int to) {
        for (int i = from; i < to; i++) {
            w[i >>> 6] |= 1L << i;
        }
    }
}
