package io.fedprune.core.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class SegmentFilterTest {
    /** conv W, conv b, dense W, dense b, output W, output b. */
    static final ParameterLayout CNN = new ParameterLayout(List.of(
            new ParameterSegment("0_W", 0, SegmentKind.CONV, 0, 10, new long[] {10}),
            new ParameterSegment("0_b", 0, SegmentKind.BIAS, 10, 2, new long[] {2}),
            new ParameterSegment("1_W", 1, SegmentKind.DENSE, 12, 70, new long[] {70}),
            new ParameterSegment("1_b", 1, SegmentKind.BIAS, 82, 7, new long[] {7}),
            new ParameterSegment("2_W", 2, SegmentKind.OUTPUT, 89, 14, new long[] {14}),
            new ParameterSegment("2_b", 2, SegmentKind.BIAS, 103, 2, new long[] {2})));

    private static Mask range(int n, int from, int to) {
        return Mask.fromIndices(n, java.util.stream.IntStream.range(from, to).toArray());
    }

    @Test
    void presetsSelectTheDocumentedSegments() {
        int n = CNN.totalLength();
        assertEquals(Mask.all(n), SegmentFilter.all().prunable(CNN));
        assertEquals(range(n, 12, 82), SegmentFilter.denseOnly().prunable(CNN));
        // dense weights with their biases
        assertEquals(range(n, 12, 89), new SegmentFilter(Set.of(SegmentKind.DENSE), false).prunable(CNN));
        // weights of all layer kinds, no biases
        assertEquals(range(n, 0, 10).or(range(n, 12, 82)).or(range(n, 89, 103)),
                new SegmentFilter(EnumSet.of(SegmentKind.CONV, SegmentKind.DENSE, SegmentKind.OUTPUT), true).prunable(CNN));
        // biases only
        assertEquals(range(n, 10, 12).or(range(n, 82, 89)).or(range(n, 103, 105)),
                new SegmentFilter(Set.of(SegmentKind.BIAS), false).prunable(CNN));
        assertEquals(Mask.none(n), new SegmentFilter(Set.of(), false).prunable(CNN));
        assertEquals(Mask.none(n), new SegmentFilter(Set.of(SegmentKind.BIAS), true).prunable(CNN));
    }

    @Test
    void agreesWithTheRuleSpelledOutOnRandomLayouts() {
        SplittableRandom rng = new SplittableRandom(30);
        SegmentKind[] kinds = SegmentKind.values();
        for (int round = 0; round < 200; round++) {
            ParameterLayout layout = Reference.randomLayout(rng);
            EnumSet<SegmentKind> set = EnumSet.noneOf(SegmentKind.class);
            for (SegmentKind k : kinds) {
                if (rng.nextBoolean()) {
                    set.add(k);
                }
            }
            SegmentFilter f = new SegmentFilter(set, rng.nextBoolean());
            boolean[] expected = new boolean[layout.totalLength()];
            for (ParameterSegment s : layout.segments()) {
                boolean p = Reference.prunableByHand(layout, s, f);
                assertEquals(p, f.accepts(layout, s), s + " " + f);
                for (int i = s.offset(); i < s.end(); i++) {
                    expected[i] = p;
                }
            }
            assertEquals(Reference.toMask(expected), f.prunable(layout));
        }
    }

    @Test
    void denseOnlyNeverPrunesConvOutputOrBias() {
        SplittableRandom rng = new SplittableRandom(31);
        PruningPolicy policy = new PruningPolicy(new MagnitudeImportance(), SegmentFilter.denseOnly(),
                PruningPolicy.Scope.GLOBAL);
        for (int round = 0; round < 100; round++) {
            ParameterLayout layout = Reference.randomLayout(rng);
            float[] p = Reference.randomValues(rng, layout.totalLength());
            Mask m = policy.select(layout, p, null, rng.nextDouble() * 0.5);
            for (ParameterSegment s : layout.segments()) {
                if (s.kind() != SegmentKind.DENSE) {
                    for (int i = s.offset(); i < s.end(); i++) {
                        assertTrue(m.get(i), s + " entry " + i + " was pruned");
                    }
                }
            }
        }
    }

    @Test
    void kindsAreCopiedAndImmutable() {
        EnumSet<SegmentKind> kinds = EnumSet.of(SegmentKind.DENSE);
        SegmentFilter f = new SegmentFilter(kinds, false);
        kinds.add(SegmentKind.CONV);
        assertFalse(f.kinds().contains(SegmentKind.CONV));
        assertThrows(UnsupportedOperationException.class, () -> f.kinds().add(SegmentKind.CONV));
        assertThrows(NullPointerException.class, () -> new SegmentFilter(null, false));
        assertEquals(SegmentFilter.denseOnly(), new SegmentFilter(Set.of(SegmentKind.DENSE), true));
    }
}
