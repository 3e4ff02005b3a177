package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.density.DensityController;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import io.fedprune.core.prune.DensityLevels;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.prune.SegmentFilter;
import io.fedprune.core.prune.SquaredGradientImportance;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ResidualSplitTest {

    static ParameterLayout dense(int n) {
        return new ParameterLayout(List.of(new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, n, new long[] {n})));
    }

    /** Weights with exact zeros, both signed zeros, subnormals, infinities and ordinary values. */
    static float[] model(SplittableRandom rng, int n) {
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = switch (rng.nextInt(12)) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> Float.MIN_VALUE * (rng.nextBoolean() ? 3 : -7);
                case 3 -> rng.nextBoolean() ? Float.POSITIVE_INFINITY : -Float.MAX_VALUE;
                default -> (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(9) - 6));
            };
        }
        return w;
    }

    /** Nested masks by a random level per entry: entry i is in mask l iff its level is <= l. */
    static List<Mask> nestedMasks(SplittableRandom rng, int n, int levels) {
        int[] first = new int[n];
        for (int i = 0; i < n; i++) {
            first[i] = rng.nextInt(levels + 1 + rng.nextInt(3)); // >= levels: in no mask
        }
        List<Mask> masks = new ArrayList<>();
        for (int l = 0; l < levels; l++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                if (first[i] <= l) {
                    idx.add(i);
                }
            }
            masks.add(Mask.fromIndices(n, idx.stream().mapToInt(Integer::intValue).toArray()));
        }
        return masks;
    }

    /** W ⊙ mask as the client must see it: W's bits on the mask, with -0.0 as +0.0, and +0.0 elsewhere. */
    static int[] expectedBits(float[] w, Mask mask) {
        int[] bits = new int[w.length];
        for (int i = 0; i < w.length; i++) {
            float v = mask.get(i) ? w[i] : 0f;
            bits[i] = Float.floatToRawIntBits(v == 0f ? 0f : v);
        }
        return bits;
    }

    static int[] bits(float[] v) {
        int[] b = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            b[i] = Float.floatToRawIntBits(v[i]);
        }
        return b;
    }

    @Test
    void everyLevelRebuildsBitExactlyFromItsIncrementsOnRandomModelsAndMasks() {
        SplittableRandom rng = new SplittableRandom(404);
        for (int trial = 0; trial < 300; trial++) {
            int n = 1 + (rng.nextBoolean() ? rng.nextInt(130) : rng.nextInt(5000));
            int levels = 1 + rng.nextInt(6);
            ParameterLayout layout = dense(n);
            float[] w = model(rng, n);
            List<Mask> masks = nestedMasks(rng, n, levels);
            ResidualSplit split = ResidualSplit.of(layout, trial, w, masks);
            assertEquals(levels, split.levels());
            for (int l = 0; l < levels; l++) {
                List<ResidualIncrement> download = split.needed(l, 0, 0);
                assertEquals(l + 1, download.size());
                assertArrayEquals(expectedBits(w, masks.get(l)), bits(SubModelAssembler.rebuild(layout, download)),
                        "trial " + trial + " level " + l);
            }
            // A client holding j increments moves to level l: it fetches only what it lacks and ends
            // with the same bits; holding more than it needs, it fetches nothing.
            int j = rng.nextInt(levels + 1);
            int l = rng.nextInt(levels);
            SubModelAssembler client = new SubModelAssembler(layout);
            client.add(split.needed(Math.max(j - 1, 0), 0, 0).subList(0, j));
            List<ResidualIncrement> more = split.needed(l, client.splitId(), client.held());
            assertEquals(Math.max(0, l + 1 - j), more.size());
            if (!more.isEmpty()) {
                assertEquals(j, more.get(0).level());
            }
            client.add(more);
            assertEquals(Math.max(j, l + 1), client.held());
            for (int k = 0; k < client.held(); k++) {
                assertArrayEquals(expectedBits(w, masks.get(k)), bits(client.subModel(k)), "held level " + k);
            }
        }
    }

    @Test
    void fromRoundTimesToEachClientsSubModel() {
        // PR-FL's ten clients in four speed classes, an MLP-like layout with biases kept dense
        ParameterLayout layout = new ParameterLayout(List.of(
                new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, 784 * 20, new long[] {784, 20}),
                new ParameterSegment("0_b", 0, SegmentKind.BIAS, 784 * 20, 20, new long[] {1, 20}),
                new ParameterSegment("1_W", 1, SegmentKind.OUTPUT, 784 * 20 + 20, 200, new long[] {20, 10}),
                new ParameterSegment("1_b", 1, SegmentKind.BIAS, 784 * 20 + 220, 10, new long[] {1, 10})));
        int n = layout.totalLength();
        SplittableRandom rng = new SplittableRandom(411);
        DensityController times = new DensityController(10, 50, DensityController.DEFAULT_MIN_DENSITY);
        double[] mean = {1, 1.1, 1.7, 2, 3.3, 5, 8, 10, 10, 12};
        for (int round = 0; round < 60; round++) {
            for (int c = 0; c < 10; c++) {
                times.observe(c, mean[c] * Math.exp(0.3 * rng.nextGaussian()));
            }
        }
        SquaredGradientImportance importance = new SquaredGradientImportance(n);
        float[] w = new float[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) (0.05 * rng.nextGaussian());
        }
        for (int u = 0; u < 5; u++) {
            float[] g = new float[n];
            for (int i = 0; i < n; i++) {
                g[i] = rng.nextInt(4) == 0 ? 0f : (float) (1e-3 * rng.nextGaussian());
            }
            importance.accumulate(g);
        }
        SegmentFilter filter = new SegmentFilter(java.util.Set.of(SegmentKind.DENSE, SegmentKind.OUTPUT), true);
        double[] densities = times.densities();
        DensityLevels levels = DensityLevels.build(layout, importance.scores(w, null), filter, densities);
        ResidualSplit split = ResidualSplit.of(layout, 3, w, levels.masks());
        for (int c = 0; c < 10; c++) {
            Mask mask = levels.maskOf(c);
            float[] sub = SubModelAssembler.rebuild(layout, split.needed(levels.levelOf(c), 0, 0));
            assertArrayEquals(expectedBits(w, mask), bits(sub), "client " + c);
            for (ParameterSegment s : layout.segments(SegmentKind.BIAS)) {
                for (int i = s.offset(); i < s.end(); i++) {
                    assertTrue(mask.get(i), "biases are kept");
                }
            }
            assertEquals(densities[c], (double) (mask.cardinality() - 30) / (n - 30), 0.5 / (n - 30));
        }
        assertEquals(1.0, densities[0]);
        assertEquals(0.1, densities[9]);
    }

    @Test
    void allIncrementsCostOneSparseModelPlusIndexOverheadNotOnePerLevel() {
        SplittableRandom rng = new SplittableRandom(405);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + rng.nextInt(20_000);
            int levels = 2 + rng.nextInt(5);
            ParameterLayout layout = dense(n);
            float[] w = model(rng, n);
            List<Mask> masks = nestedMasks(rng, n, levels);
            ResidualSplit split = ResidualSplit.of(layout, 7, w, masks);
            float[] top = w.clone();
            masks.get(levels - 1).applyTo(top);
            long sparseTop = new SparseFloat32Codec(n, layout.fingerprint()).encode(top).length;
            int nonZeroTop = 0;
            for (float v : top) {
                nonZeroTop += v != 0f ? 1 : 0;
            }
            long total = 0;
            for (int l = 0; l < levels; l++) {
                total += split.increment(l).size();
                assertEquals(total, split.bytes(l));
            }
            assertEquals(total, split.totalBytes());
            // every value once, plus per increment a header and at most a bitmap of positions
            long header = PayloadHeader.SIZE + SparseIndex.FIXED;
            assertTrue(total <= 4L * nonZeroTop + levels * (header + SparseIndex.bitmapBytes(n)),
                    total + " bytes for " + nonZeroTop + " values in " + levels + " increments");
            if (nonZeroTop > 0) {
                assertTrue(total < levels * sparseTop, total + " >= " + levels + " x " + sparseTop);
            }
        }
    }

    @Test
    void aPrFlSizedSplitCostsAboutOneSparseModel() {
        // the MLP 784-200-10 (159 010 parameters) at PR-FL's four class densities
        int n = 159_010;
        SplittableRandom rng = new SplittableRandom(406);
        float[] w = new float[n];
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            w[i] = (float) rng.nextGaussian();
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        double[] densities = {0.1, 0.3, 0.6, 1.0};
        List<Mask> masks = new ArrayList<>();
        for (double d : densities) {
            masks.add(Mask.fromIndices(n, Arrays.copyOf(order, (int) Math.round(d * n))));
        }
        ParameterLayout layout = dense(n);
        ResidualSplit split = ResidualSplit.of(layout, 1, w, masks);
        long perLevel = 0;
        for (Mask m : masks) {
            float[] sub = w.clone();
            m.applyTo(sub);
            perLevel += new SparseFloat32Codec(n, layout.fingerprint()).encode(sub).length;
        }
        long full = new SparseFloat32Codec(n, layout.fingerprint()).encode(w).length;
        // the values of the full model once, plus four headers and index structures (of 0.1n, 0.2n,
        // 0.3n and 0.4n random entries) where the full model has one
        long overhead = PayloadHeader.SIZE + SparseIndex.FIXED + SparseIndex.bitmapBytes(n);
        assertTrue(split.totalBytes() < full + 4 * overhead, split.totalBytes() + " vs " + full);
        // 711 672 bytes, against 655 942 for the full sparse model and 1 347 712 for one sparse model per level
        assertTrue(split.totalBytes() < perLevel, split.totalBytes() + " vs one sparse model per level " + perLevel);
    }

    @Test
    void aDamagedIncrementIsAPayloadFormatExceptionAndLeavesTheClientAsItWas() {
        SplittableRandom rng = new SplittableRandom(407);
        for (int trial = 0; trial < 2000; trial++) {
            int n = 1 + rng.nextInt(3000);
            int levels = 1 + rng.nextInt(4);
            ParameterLayout layout = dense(n);
            float[] w = model(rng, n);
            List<Mask> masks = nestedMasks(rng, n, levels);
            ResidualSplit split = ResidualSplit.of(layout, trial, w, masks);
            SubModelAssembler client = new SubModelAssembler(layout);
            int held = rng.nextInt(levels);
            client.add(split.needed(levels - 1, 0, 0).subList(0, held));
            float[] before = held == 0 ? null : client.subModel(held - 1);

            List<ResidualIncrement> download = new ArrayList<>(split.needed(levels - 1, client.splitId(), held));
            int victim = rng.nextInt(download.size());
            ResidualIncrement good = download.get(victim);
            download.set(victim, new ResidualIncrement(good.splitId(), good.level(), damage(rng, good.payload())));
            PayloadFormatException e = assertThrows(PayloadFormatException.class, () -> client.add(download),
                    "trial " + trial);
            assertTrue(e.getMessage().contains("residual increment " + good.level()), e.getMessage());
            assertEquals(held, client.held(), "a failed download must change nothing");
            if (held > 0) {
                assertArrayEquals(bits(before), bits(client.subModel(held - 1)));
            }
        }
    }

    /** One to four kinds of damage: flipped bits, a changed byte, a truncation or appended bytes. */
    private static byte[] damage(SplittableRandom rng, byte[] p) {
        return switch (rng.nextInt(4)) {
            case 0 -> {
                byte[] d = p.clone();
                d[rng.nextInt(d.length)] ^= (byte) (1 << rng.nextInt(8));
                yield d;
            }
            case 1 -> {
                byte[] d = p.clone();
                int i = rng.nextInt(d.length);
                d[i] = (byte) (d[i] + 1 + rng.nextInt(255));
                yield d;
            }
            case 2 -> Arrays.copyOf(p, rng.nextInt(p.length));
            default -> Arrays.copyOf(p, p.length + 1 + rng.nextInt(8));
        };
    }

    @Test
    void bytesOfAnotherSplitLevelOrLayoutAreRefusedEvenWhenIntact() {
        SplittableRandom rng = new SplittableRandom(408);
        int n = 500;
        ParameterLayout layout = dense(n);
        float[] w = model(rng, n);
        List<Mask> masks = nestedMasks(rng, n, 3);
        ResidualSplit split = ResidualSplit.of(layout, 5, w, masks);
        ResidualSplit newer = ResidualSplit.of(layout, 6, w, masks);
        ResidualIncrement inc0 = split.increment(0);
        ResidualIncrement inc1 = split.increment(1);

        // level 1's bytes labelled as level 0, newer split's bytes labelled as this split's
        assertSwappedRefused(layout, new ResidualIncrement(split.id(), 0, inc1.payload()));
        assertSwappedRefused(layout, new ResidualIncrement(split.id(), 0, newer.increment(0).payload()));
        // a full sparse model is not an increment, and an increment is not a model
        byte[] model = new SparseFloat32Codec(n, layout.fingerprint()).encode(w);
        assertSwappedRefused(layout, new ResidualIncrement(split.id(), 0, model));
        assertThrows(PayloadFormatException.class, () -> new SparseFloat32Codec(n, layout.fingerprint())
                .decode(inc0.payload()));
        // the same increment on another architecture of the same length
        ParameterLayout other = new ParameterLayout(List.of(
                new ParameterSegment("0_W", 0, SegmentKind.CONV, 0, n, new long[] {n})));
        assertThrows(PayloadFormatException.class, () -> SubModelAssembler.rebuild(other, List.of(inc0)));
    }

    private static void assertSwappedRefused(ParameterLayout layout, ResidualIncrement forged) {
        PayloadFormatException e = assertThrows(PayloadFormatException.class,
                () -> SubModelAssembler.rebuild(layout, List.of(forged)));
        assertTrue(e.getMessage().contains("another increment"), e.getMessage());
    }

    @Test
    void incrementsMustContinueWhatIsHeld() {
        SplittableRandom rng = new SplittableRandom(409);
        ParameterLayout layout = dense(300);
        float[] w = model(rng, 300);
        List<Mask> masks = nestedMasks(rng, 300, 4);
        ResidualSplit split = ResidualSplit.of(layout, 1, w, masks);
        ResidualSplit other = ResidualSplit.of(layout, 2, w, masks);
        SubModelAssembler client = new SubModelAssembler(layout);
        assertMessage(() -> client.add(List.of(split.increment(1))), "expected increment 0", "got 1", "level 0");
        client.add(List.of(split.increment(0), split.increment(1)));
        assertMessage(() -> client.add(List.of(split.increment(3))), "expected increment 2", "got 3", "2 held");
        assertMessage(() -> client.add(List.of(split.increment(1))), "expected increment 2", "got 1");
        assertMessage(() -> client.add(List.of(split.increment(2), other.increment(3))), "two splits");
        assertMessage(() -> client.add(List.of(other.increment(0), other.increment(2))), "expected increment 1");
        assertMessage(() -> client.subModel(2), "level 2", "2 level");
        assertEquals(2, client.held());
        // a new split from level 0 replaces what is held
        client.add(other.needed(0, client.splitId(), client.held()));
        assertEquals(other.id(), client.splitId());
        assertEquals(1, client.held());
        assertEquals(List.of(), split.needed(1, split.id(), 3));
        assertEquals(List.of(split.increment(2)), split.needed(2, split.id(), 2));
    }

    @Test
    void theSplitIdCoversVersionModelAndMasks() {
        SplittableRandom rng = new SplittableRandom(410);
        ParameterLayout layout = dense(200);
        float[] w = model(rng, 200);
        List<Mask> masks = nestedMasks(rng, 200, 3);
        long id = ResidualSplit.of(layout, 9, w, masks).id();
        assertEquals(id, ResidualSplit.of(layout, 9, w.clone(), List.copyOf(masks)).id());
        assertEquals(9, ResidualSplit.of(layout, 9, w, masks).modelVersion());
        assertNotEquals(id, ResidualSplit.of(layout, 10, w, masks).id());
        float[] w2 = w.clone();
        w2[17] = Math.nextUp(w2[17]);
        assertNotEquals(id, ResidualSplit.of(layout, 9, w2, masks).id());
        List<Mask> m2 = new ArrayList<>(masks);
        m2.set(2, Mask.all(200));
        assertNotEquals(id, ResidualSplit.of(layout, 9, w, m2).id());
        assertNotEquals(id, ResidualSplit.of(layout, 9, w, masks.subList(0, 2)).id());
    }

    @Test
    void invalidSplitsAreRejected() {
        ParameterLayout layout = dense(10);
        float[] w = new float[10];
        Mask a = Mask.fromIndices(10, new int[] {1, 2});
        Mask b = Mask.fromIndices(10, new int[] {2, 3});
        assertMessage(() -> ResidualSplit.of(layout, 0, w, List.of()), "at least one mask");
        assertMessage(() -> ResidualSplit.of(layout, 0, new float[9], List.of(a)), "9", "10");
        assertMessage(() -> ResidualSplit.of(layout, 0, w, List.of(Mask.all(11))), "level 0", "11");
        assertMessage(() -> ResidualSplit.of(layout, 0, w, List.of(a, b)), "level 0", "level 1", "nested");
        ResidualSplit s = ResidualSplit.of(layout, 0, w, List.of(a, a.or(b)));
        assertMessage(() -> s.increment(2), "level 2", "[0, 2)");
        assertMessage(() -> s.needed(0, s.id(), -1), "-1");
        assertMessage(() -> new ResidualIncrement(1, -1, new byte[0]), "-1");
        // an all-zero model: every increment is a header and an empty index
        assertEquals(2 * (PayloadHeader.SIZE + SparseIndex.FIXED), s.totalBytes());
        assertArrayEquals(new float[10], SubModelAssembler.rebuild(layout, s.needed(1, 0, 0)));
    }

    static void assertMessage(org.junit.jupiter.api.function.Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + e.getMessage() + "' should mention '" + p + "'");
        }
    }
}
