package io.fedprune.core.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.model.OptimizerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The layout is checked against hand-computed parameter counts of each architecture and against
 * DL4J's own param table: a segment must be exactly the values of its param-table view.
 */
class ParameterLayoutTest {
    private static final ModelSpec MLP_SPEC = new ModelSpec(ModelArchitecture.MLP, 1, 28, 28, 10);
    // LeNet with 'Same' convolutions: 12x12 -> pool 6x6 -> pool 3x3.
    private static final ModelSpec LENET_SPEC = new ModelSpec(ModelArchitecture.LENET, 1, 12, 12, 10);
    // VGG-small: 8x8 -> pool 4x4 -> pool 2x2.
    private static final ModelSpec VGG_SPEC = new ModelSpec(ModelArchitecture.VGG_SMALL, 3, 8, 8, 10);

    private static MultiLayerNetwork mlp;
    private static MultiLayerNetwork mlpOtherSeed;
    private static MultiLayerNetwork lenet;
    private static MultiLayerNetwork vgg;

    @BeforeAll
    static void build() {
        mlp = ModelFactory.build(MLP_SPEC, OptimizerSpec.sgd(0.1), 1);
        // other seed and other optimiser: the layout must not depend on either
        mlpOtherSeed = ModelFactory.build(MLP_SPEC, OptimizerSpec.adam(0.001), 77);
        lenet = ModelFactory.build(LENET_SPEC, OptimizerSpec.sgd(0.1), 1);
        vgg = ModelFactory.build(VGG_SPEC, OptimizerSpec.sgd(0.1), 1);
    }

    @AfterAll
    static void close() {
        for (MultiLayerNetwork n : new MultiLayerNetwork[] {mlp, mlpOtherSeed, lenet, vgg}) {
            if (n != null) {
                n.close();
            }
        }
    }

    /** name -> {layerIndex, kind, length} as worked out by hand from the architecture. */
    private record Expected(int layer, SegmentKind kind, int length) {
    }

    private static Map<String, Expected> expectedMlp() {
        Map<String, Expected> m = new HashMap<>();
        m.put("0_W", new Expected(0, SegmentKind.DENSE, 784 * 200));
        m.put("0_b", new Expected(0, SegmentKind.BIAS, 200));
        m.put("1_W", new Expected(1, SegmentKind.OUTPUT, 200 * 10));
        m.put("1_b", new Expected(1, SegmentKind.BIAS, 10));
        return m;
    }

    private static Map<String, Expected> expectedLenet() {
        Map<String, Expected> m = new HashMap<>();
        m.put("0_W", new Expected(0, SegmentKind.CONV, 20 * 1 * 5 * 5));
        m.put("0_b", new Expected(0, SegmentKind.BIAS, 20));
        m.put("2_W", new Expected(2, SegmentKind.CONV, 50 * 20 * 5 * 5));
        m.put("2_b", new Expected(2, SegmentKind.BIAS, 50));
        m.put("4_W", new Expected(4, SegmentKind.DENSE, 50 * 3 * 3 * 500));
        m.put("4_b", new Expected(4, SegmentKind.BIAS, 500));
        m.put("5_W", new Expected(5, SegmentKind.OUTPUT, 500 * 10));
        m.put("5_b", new Expected(5, SegmentKind.BIAS, 10));
        return m;
    }

    private static Map<String, Expected> expectedVgg() {
        Map<String, Expected> m = new HashMap<>();
        m.put("0_W", new Expected(0, SegmentKind.CONV, 16 * 3 * 3 * 3));
        m.put("0_b", new Expected(0, SegmentKind.BIAS, 16));
        m.put("1_W", new Expected(1, SegmentKind.CONV, 16 * 16 * 3 * 3));
        m.put("1_b", new Expected(1, SegmentKind.BIAS, 16));
        m.put("3_W", new Expected(3, SegmentKind.CONV, 32 * 16 * 3 * 3));
        m.put("3_b", new Expected(3, SegmentKind.BIAS, 32));
        m.put("4_W", new Expected(4, SegmentKind.CONV, 32 * 32 * 3 * 3));
        m.put("4_b", new Expected(4, SegmentKind.BIAS, 32));
        m.put("6_W", new Expected(6, SegmentKind.DENSE, 32 * 2 * 2 * 128));
        m.put("6_b", new Expected(6, SegmentKind.BIAS, 128));
        m.put("7_W", new Expected(7, SegmentKind.OUTPUT, 128 * 10));
        m.put("7_b", new Expected(7, SegmentKind.BIAS, 10));
        return m;
    }

    private static void checkLayout(MultiLayerNetwork net, Map<String, Expected> expected, long expectedTotal) {
        ParameterLayout layout = ParameterLayout.of(net);
        long sum = expected.values().stream().mapToLong(Expected::length).sum();
        assertEquals(expectedTotal, sum, "hand-computed segment sizes disagree with the hand-computed total");
        assertEquals(expectedTotal, net.numParams());
        assertEquals(net.numParams(), layout.totalLength());
        assertEquals(net.params().length(), layout.totalLength());

        // segments tile [0, total) in order
        int pos = 0;
        for (ParameterSegment s : layout.segments()) {
            assertEquals(pos, s.offset(), "gap or overlap before " + s);
            assertTrue(s.length() > 0, "empty segment " + s);
            long product = 1;
            for (long d : s.shape()) {
                product *= d;
            }
            assertEquals(s.length(), product, "shape and length disagree for " + s);
            pos = s.end();
        }
        assertEquals(layout.totalLength(), pos);

        // names, kinds, layer indices and sizes match the architecture
        Map<String, Expected> actual = new HashMap<>();
        for (ParameterSegment s : layout.segments()) {
            assertEquals(null, actual.put(s.name(), new Expected(s.layerIndex(), s.kind(), s.length())),
                    "duplicate segment name " + s.name());
        }
        assertEquals(expected, actual);
        assertEquals(net.paramTable().keySet(), actual.keySet());

        // the by-kind helpers agree with a plain filter
        for (SegmentKind k : SegmentKind.values()) {
            int count = expected.values().stream().filter(e -> e.kind() == k).mapToInt(Expected::length).sum();
            assertEquals(count, layout.count(k), "count of " + k);
            List<ParameterSegment> ofKind = layout.segments(k);
            assertTrue(ofKind.stream().allMatch(s -> s.kind() == k));
            assertEquals(expected.values().stream().filter(e -> e.kind() == k).count(), ofKind.size());
        }
        assertEquals(layout.totalLength(), layout.count(SegmentKind.values()));
        int maxLayer = expected.values().stream().mapToInt(Expected::layer).max().orElseThrow();
        assertEquals(maxLayer + 1, layout.layerCount());
    }

    @Test
    void mlpLayout() {
        checkLayout(mlp, expectedMlp(), 159_010);
        ParameterLayout layout = ParameterLayout.of(mlp);
        ParameterSegment w = layout.segments().stream().filter(s -> s.name().equals("0_W")).findFirst().orElseThrow();
        assertArrayEquals(new long[] {784, 200}, w.shape());
    }

    @Test
    void lenetLayout() {
        checkLayout(lenet, expectedLenet(), 520 + 25_050 + 225_500 + 5_010);
        ParameterSegment conv = ParameterLayout.of(lenet).segments().stream().filter(s -> s.name().equals("2_W"))
                .findFirst().orElseThrow();
        assertArrayEquals(new long[] {50, 20, 5, 5}, conv.shape());
    }

    @Test
    void vggSmallLayout() {
        checkLayout(vgg, expectedVgg(), 448 + 2_320 + 4_640 + 9_248 + 16_512 + 1_290);
    }

    @Test
    void segmentValuesAreExactlyTheParamTableViews() {
        for (MultiLayerNetwork net : new MultiLayerNetwork[] {mlp, lenet, vgg}) {
            ParameterLayout layout = ParameterLayout.of(net);
            int n = layout.totalLength();
            float[] values = new float[n];
            for (int i = 0; i < n; i++) {
                values[i] = i; // exact in float below 2^24, so every position is identifiable
            }
            INDArray flat = net.params();
            net.setParams(Nd4j.createFromArray(values).reshape(flat.shape()));
            assertEquals(n - 1, net.params().getFloat(n - 1), 0.0, "setParams did not reach the flat vector");
            for (ParameterSegment s : layout.segments()) {
                INDArray view = net.paramTable().get(s.name());
                assertArrayEquals(s.shape(), view.shape(), "shape of " + s);
                // the view's values in its own storage order must be flat[offset .. end)
                float[] got = Nd4j.toFlattened(view.ordering(), view).toFloatVector();
                assertEquals(s.length(), got.length);
                for (int k = 0; k < got.length; k++) {
                    if (got[k] != s.offset() + k) {
                        throw new AssertionError("segment " + s + " element " + k + " reads flat index " + got[k]
                                + ", expected " + (s.offset() + k));
                    }
                }
            }
        }
    }

    @Test
    void fingerprintIsStableForOneSpecAndDiffersAcrossArchitectures() {
        long a = ParameterLayout.of(mlp).fingerprint();
        assertEquals(a, ParameterLayout.of(mlpOtherSeed).fingerprint());
        assertEquals(ParameterLayout.of(mlp).segments(), ParameterLayout.of(mlpOtherSeed).segments());
        long b = ParameterLayout.of(lenet).fingerprint();
        long c = ParameterLayout.of(vgg).fingerprint();
        assertNotEquals(a, b);
        assertNotEquals(a, c);
        assertNotEquals(b, c);
    }

    @Test
    void fingerprintDependsOnNameKindAndShape() {
        List<ParameterSegment> base = List.of(
                new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, 6, new long[] {2, 3}),
                new ParameterSegment("0_b", 0, SegmentKind.BIAS, 6, 3, new long[] {1, 3}));
        long fp = new ParameterLayout(base).fingerprint();
        assertEquals(fp, new ParameterLayout(List.copyOf(base)).fingerprint());
        assertNotEquals(fp, new ParameterLayout(List.of(
                new ParameterSegment("0_W", 0, SegmentKind.OUTPUT, 0, 6, new long[] {2, 3}), base.get(1))).fingerprint());
        assertNotEquals(fp, new ParameterLayout(List.of(
                new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, 6, new long[] {3, 2}), base.get(1))).fingerprint());
        assertNotEquals(fp, new ParameterLayout(List.of(
                new ParameterSegment("1_W", 0, SegmentKind.DENSE, 0, 6, new long[] {2, 3}), base.get(1))).fingerprint());
    }

    @Test
    void constructorSortsAndRejectsGapsAndOverlaps() {
        ParameterSegment a = new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, 4, new long[] {2, 2});
        ParameterSegment b = new ParameterSegment("0_b", 0, SegmentKind.BIAS, 4, 2, new long[] {1, 2});
        ParameterSegment c = new ParameterSegment("1_W", 1, SegmentKind.OUTPUT, 6, 4, new long[] {2, 2});
        ParameterLayout layout = new ParameterLayout(new ArrayList<>(List.of(c, a, b)));
        assertEquals(List.of(a, b, c), layout.segments());
        assertEquals(10, layout.totalLength());
        assertEquals(2, layout.layerCount());
        assertEquals(new ParameterLayout(List.of(a, b, c)).fingerprint(), layout.fingerprint());

        ParameterSegment gap = new ParameterSegment("1_W", 1, SegmentKind.OUTPUT, 7, 3, new long[] {3});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ParameterLayout(List.of(a, b, gap)));
        assertTrue(e.getMessage().contains("tile"), e.getMessage());
        ParameterSegment overlap = new ParameterSegment("1_W", 1, SegmentKind.OUTPUT, 5, 5, new long[] {5});
        assertThrows(IllegalArgumentException.class, () -> new ParameterLayout(List.of(a, b, overlap)));
        ParameterSegment late = new ParameterSegment("0_W", 0, SegmentKind.DENSE, 1, 4, new long[] {4});
        assertThrows(IllegalArgumentException.class, () -> new ParameterLayout(List.of(late)));
        assertEquals(0, new ParameterLayout(List.of()).totalLength());
    }

    @Test
    void specValidationAndArchitectureNames() {
        assertEquals(ModelArchitecture.VGG_SMALL, ModelArchitecture.parse("vgg-small"));
        assertEquals(ModelArchitecture.LENET, ModelArchitecture.parse("LeNet"));
        assertEquals(ModelArchitecture.MLP, ModelArchitecture.parse("mlp"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ModelArchitecture.parse("resnet"));
        assertTrue(e.getMessage().contains("resnet"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec(ModelArchitecture.MLP, 0, 28, 28, 10));
        assertThrows(IllegalArgumentException.class, () -> new ModelSpec(ModelArchitecture.MLP, 1, 28, 28, 1));
        assertEquals(3 * 32 * 32, new ModelSpec(ModelArchitecture.LENET, 3, 32, 32, 10).inputSize());
    }
}
