package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/**
 * Pins the exact wire bytes of the sparse and quantizing encoders: for each codec, the SHA-256
 * over the encodings of a fixed, seeded set of inputs must equal the value recorded from the
 * implementation of commit "compress: golden-bytes test pinning the wire output before the encode
 * speed-up". Any encoder optimisation must leave every byte unchanged, for every input.
 *
 * <p>Inputs: lengths around the 8- and 64-bit boundaries and larger ones (so varint gaps of 1..3
 * bytes occur), densities 1.0 .. 0 (so both index structures are chosen, and the tie), values of
 * tiny (subnormal) to huge magnitude, {@code -0.0f} among the zeros, values exactly on grid
 * midpoints of 8- and 4-bit grids (rounding ties), single-valued groups, and for the float32-only
 * codecs NaN and infinities. A stochastic codec encodes every input twice (its stream runs across
 * calls). If this test fails after an intended format change, re-record with
 * {@code -Dgolden.print=true} and say so in the commit.
 *
 * <p>Format version 2 added a CRC32C to the header; the digests are still the version-1 ones,
 * taken over each payload with its checksum field left out and its version byte as in version 1,
 * while the checksum and the version are checked for every encoding ({@link #digest}).
 */
class GoldenBytesTest {
    private static final long FP = 0x601DL;
    private static final int[] LENGTHS = {0, 1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 1000, 4099, 65_537, 200_003};
    private static final double[] DENSITIES = {1.0, 0.5, 0.2, 0.125, 0.1, 0.01, 0.001, 0.0001, 0.0};

    /** Recorded from the implementation before the encode speed-up. */
    private static final Map<String, String> EXPECTED = Map.ofEntries(
            Map.entry("codec:sparse", "7cda3072aa46e2a0fca2792d9651eff0700ee305eb5ac5a41399ac78d1d28082"),
            Map.entry("sparse", "61f573dc7b76926b5fb533d6bbedc6e7451ea9a91e82515b6ca7e11ed76caa63"),
            Map.entry("magnitude(0.9) > sparse", "81111df9223962e5ee852fa153a33c383b7ff28540d7f75653316a55910cc32d"),
            Map.entry("quantize(8) > sparse", "6e229128b3e2747456f56d1b37c8ddb7b8c349d2e8f8b5322b713fc9a6715c54"),
            Map.entry("quantize(4) > sparse", "1da47bdc41977a2943b6a0b16c16b5413de785314fc6f444c983acc56a01f6c7"),
            Map.entry("quantize(1) > sparse", "1f0ac8d729a7421822387138ad544ddcfc0e5b6d4c6190aa9a709ce5dab46490"),
            Map.entry("quantize(2) > sparse", "82df97d39beda40badb069dc7d8bab2ba5fb89b05cd499ca2568f230e61382b9"),
            Map.entry("quantize(16) > sparse", "1dd70eac5ebf10c08cbd55e4b43b848fffa6dd9ec046bb8e970e223c8a38d92d"),
            Map.entry("quantize(8)", "60b0f0d7d467389142bc05b2d73a93134ec1702ba28abf96198a672fb75deb09"),
            Map.entry("magnitude(0.5) > quantize(8) > sparse", "6ca5af3f28f489a6710794c1ef8c6a777af5683d12eadece61ccec2251978215"),
            Map.entry("quantize(8) > sparse > deflate", "57bd1f2d679fe8d70a8d2e3489439f986727722212b44b9e38d152246cd26c1d"),
            Map.entry("pow2 > sparse", "903c95d2b1db57f71fbe46401856b748476061a9ee3e1c20b57d2cd585aaf364"),
            Map.entry("quantize(8, stochastic, seed=7) > sparse", "33babf0dafc09306c250a20bfd39844d4282a43406658f091223978815ee3562"),
            Map.entry("quantize(4, stochastic, seed=3) > sparse", "fd0a277966c6d225616f0e62123a628e2e698e14746b0f4c53fb45d61ad36e46"),
            Map.entry("magnitude(0.5) > quantize(8, stochastic, seed=11) > sparse", "434937c8c8f196b82184170e5997d301f9c4796bf519a5423a5563a094d77892"),
            Map.entry("quantize(8, stochastic, seed=5)", "3e9fdbdae630dd0d6bb7e14888904d44efebd49741162a47b78c07729673ad6d"),
            Map.entry("codec:quantized-8", "b57eed9765aee1815632dcafd06eb25f83c173e7baee668db7fd59afe7208424"),
            Map.entry("codec:quantized-4-stochastic", "7f787252b6edae38bd2190c4ac11b420b0dd0df171a66c25271863f1af716630"),
            Map.entry("quantize(8, per-layer) > sparse", "c02229ad8a44c7d5963eed7d12f57ee7c065af75614ef5d3b5a101ca9fcbf65f"),
            Map.entry("quantize(4, per-layer) > sparse", "85182cd0413a053100dda8b155be693f92e0a82a5d5602567b50bfe8b820fcae"),
            Map.entry("quantize(8, per-layer)", "ecfac374a121b83d792e56a747855f5bdf9ca9abf9e384f7c44e1b7bd501957d"),
            Map.entry("codec:quantized-8-per-layer", "e8efa7c9bbde99803ea27558ad2f30d54695a282ab5e32101f510b79f51c067c"),
            // added later, recorded by running this test against the sources of commit 80ebb20
            Map.entry("quantize(8, per-layer, stochastic, seed=4) > sparse after refusals",
                    "583caae379e1eaa628284a267d9f0b16c8e3dc4344f11bd1c76a1a0556ec23d1"),
            Map.entry("quantize(4, per-layer, stochastic, seed=4) after refusals",
                    "e83b70851efa52094c01aab19818f6aed3740da029fdfce01390b110b267390c"));

    /** Finite inputs (any codec), then the float32-only specials. */
    static List<float[]> finiteInputs() {
        List<float[]> inputs = new ArrayList<>();
        long seed = 1;
        for (int w : LENGTHS) {
            for (double d : DENSITIES) {
                inputs.add(random(w, d, 1.0, seed++));
                if (w >= 1000 && d > 0 && d < 1) {
                    inputs.add(random(w, d, 1e-30, seed++)); // tiny, many subnormal as float
                    inputs.add(random(w, d, 1e30, seed++));
                    inputs.add(mixedMagnitudes(w, d, seed++));
                }
            }
        }
        for (int w : new int[] {1, 65, 1000, 4099}) {
            for (double d : new double[] {1.0, 0.5, 0.1}) {
                inputs.add(midpoints(w, d, 1f, 256f, 1f, seed++));      // 8-bit grid, step 1: exact ties at k + 0.5
                inputs.add(midpoints(w, d, 1f, 256f, 17f, seed++));     // 4-bit grid over [1, 256], step 17
                inputs.add(midpoints(w, d, -256f, -1f, 1f, seed++));    // negative range
                inputs.add(midpoints(w, d, -0.75f, 0.5f, 0.0048828125f, seed++)); // dyadic step 1.25/256
                inputs.add(offGridMidpoints(w, d, -1.3f, 2.7f, seed++)); // non-dyadic step: near-ties
            }
        }
        for (int w : new int[] {1, 64, 100, 1000}) {
            inputs.add(constant(w, 0.5, 3.25f, seed++));      // every non-zero equal: step 0
            inputs.add(constant(w, 1.0, -1e-3f, seed++));
        }
        inputs.add(new float[] {Float.MAX_VALUE, -Float.MAX_VALUE, 0f, 1f, -0.0f, Float.MIN_VALUE, -Float.MIN_NORMAL});
        inputs.add(new float[] {0f, 0f, 0f, Float.MIN_VALUE});
        inputs.add(new float[] {-0.0f, -0.0f, -0.0f});
        return inputs;
    }

    static List<float[]> specialInputs() {
        List<float[]> inputs = new ArrayList<>();
        float nan2 = Float.intBitsToFloat(0x7fc00123);
        float nan3 = Float.intBitsToFloat(0xffa00001); // negative, signalling-pattern NaN
        inputs.add(new float[] {Float.NaN, 0f, Float.POSITIVE_INFINITY, -0.0f, Float.NEGATIVE_INFINITY, nan2, nan3, 1f});
        float[] x = random(1000, 0.3, 1.0, 99);
        x[0] = Float.NaN;
        x[63] = Float.POSITIVE_INFINITY;
        x[64] = nan3;
        x[999] = Float.NEGATIVE_INFINITY;
        inputs.add(x);
        return inputs;
    }

    /** Exactly round(d * w) non-zeros at random positions; 1 in 8 of the zeros is -0.0f. */
    static float[] random(int w, double d, double scale, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[w];
        for (int i : positions(w, d, rng)) {
            float v;
            do {
                v = (float) (rng.nextGaussian() * scale);
            } while (v == 0f);
            x[i] = v;
        }
        negativeZeros(x, rng);
        return x;
    }

    /** Magnitudes spread over 10^-40 .. 10^38 (subnormals included). */
    static float[] mixedMagnitudes(int w, double d, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[w];
        for (int i : positions(w, d, rng)) {
            float v;
            do {
                v = (float) (rng.nextGaussian() * Math.pow(10, rng.nextInt(-40, 38)));
            } while (v == 0f || !Float.isFinite(v));
            x[i] = v;
        }
        negativeZeros(x, rng);
        return x;
    }

    /**
     * Non-zeros lo, hi (so the grid is [lo, hi]) and then values lo + (k + 1/2) * step, which are
     * exact float ties of the grid with that step when step is a power-of-two multiple that fits.
     */
    static float[] midpoints(int w, double d, float lo, float hi, float step, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[w];
        int[] pos = positions(w, d, rng);
        int cells = (int) ((hi - lo) / step);
        for (int k = 0; k < pos.length; k++) {
            float v;
            if (k == 0) {
                v = lo;
            } else if (k == 1) {
                v = hi;
            } else if (rng.nextInt(4) == 0) {
                v = lo + rng.nextInt(cells + 1) * step; // on the grid
            } else {
                v = lo + (rng.nextInt(cells) + 0.5f) * step; // on a midpoint
            }
            x[pos[k]] = v == 0f ? step : v;
        }
        negativeZeros(x, rng);
        return x;
    }

    /** Grid [lo, hi] of 2^8 - 1 or 2^4 - 1 cells with an inexact step: floats nearest the midpoints and their neighbours. */
    static float[] offGridMidpoints(int w, double d, float lo, float hi, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[w];
        int[] pos = positions(w, d, rng);
        for (int k = 0; k < pos.length; k++) {
            float v;
            if (k == 0) {
                v = lo;
            } else if (k == 1) {
                v = hi;
            } else {
                int cells = rng.nextBoolean() ? 255 : 15;
                double step = ((double) hi - lo) / cells;
                float mid = (float) (lo + (rng.nextInt(cells) + 0.5) * step);
                int ulps = rng.nextInt(-2, 3);
                v = Float.intBitsToFloat(Float.floatToRawIntBits(mid) + ulps);
                v = Math.max(lo, Math.min(hi, v));
            }
            x[pos[k]] = v == 0f ? hi : v;
        }
        negativeZeros(x, rng);
        return x;
    }

    static float[] constant(int w, double d, float value, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] x = new float[w];
        for (int i : positions(w, d, rng)) {
            x[i] = value;
        }
        return x;
    }

    /** round(d * w) distinct positions (partial Fisher-Yates), in random order. */
    private static int[] positions(int w, double d, SplittableRandom rng) {
        int n = (int) Math.round(d * w);
        int[] perm = new int[w];
        for (int i = 0; i < w; i++) {
            perm[i] = i;
        }
        for (int i = 0; i < n; i++) {
            int j = rng.nextInt(i, w);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        return java.util.Arrays.copyOf(perm, n);
    }

    private static void negativeZeros(float[] x, SplittableRandom rng) {
        for (int i = 0; i < x.length; i++) {
            if (x[i] == 0f && rng.nextInt(8) == 0) {
                x[i] = -0.0f;
            }
        }
    }

    /**
     * SHA-256 over length-prefixed encodings in their pre-checksum form; {@code repeats} encodes
     * each input that many times. Since format version 2 every payload carries a CRC32C in header
     * bytes 16..19 and version byte 2. The digest is taken over what version 1 sent for the same
     * payload: bytes 0..15 with the version byte set back to 1, then bytes 20..end. So the digests
     * recorded from version 1 still pin every byte but the four checksum bytes and the version
     * byte, and those are checked here for every encoding: the version is the codec's current one
     * and the checksum is the CRC32C (computed here with {@link CRC32C} directly, over the ranges
     * the format defines) of the payload without its own field.
     */
    private static String digest(IntFunction<WireCodec> codecFor, List<float[]> inputs, int repeats) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
        for (float[] x : inputs) {
            WireCodec codec = codecFor.apply(x.length);
            for (int r = 0; r < repeats; r++) {
                byte[] b = codec.encode(x.clone());
                checkVersionAndChecksum(b, codec.name());
                byte[] v1 = new byte[b.length - 4];
                System.arraycopy(b, 0, v1, 0, 16);
                v1[3] = 1;
                System.arraycopy(b, 20, v1, 16, b.length - 20);
                md.update(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(v1.length).array());
                md.update(v1);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void checkVersionAndChecksum(byte[] b, String codec) {
        assertEquals(2, b[3], () -> codec + ": format version byte");
        CRC32C crc = new CRC32C();
        crc.update(b, 0, 16);
        crc.update(b, 20, b.length - 20);
        int stored = ByteBuffer.wrap(b, 16, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals((int) crc.getValue(), stored, () -> codec + ": CRC32C field of a " + b.length + "-byte payload");
    }

    private static IntFunction<WireCodec> chain(String spec) {
        CodecChainSpec s = CodecChainSpec.parse(spec);
        return w -> new CodecChain(s, w, FP);
    }

    static Map<String, String> actual() {
        List<float[]> finite = finiteInputs();
        List<float[]> all = new ArrayList<>(finite);
        all.addAll(specialInputs());
        Map<String, String> got = new LinkedHashMap<>();
        got.put("codec:sparse", digest(w -> new SparseFloat32Codec(w, FP), all, 1));
        got.put("sparse", digest(chain("sparse"), all, 1));
        got.put("magnitude(0.9) > sparse", digest(chain("magnitude(0.9) > sparse"), finite, 1));
        for (String spec : new String[] {
            "quantize(8) > sparse", "quantize(4) > sparse", "quantize(1) > sparse", "quantize(2) > sparse",
            "quantize(16) > sparse", "quantize(8)", "magnitude(0.5) > quantize(8) > sparse",
            "quantize(8) > sparse > deflate", "pow2 > sparse",
        }) {
            got.put(spec, digest(chain(spec), finite, 1));
        }
        for (String spec : new String[] {
            "quantize(8, stochastic, seed=7) > sparse", "quantize(4, stochastic, seed=3) > sparse",
            "magnitude(0.5) > quantize(8, stochastic, seed=11) > sparse", "quantize(8, stochastic, seed=5)",
        }) {
            // One codec across all inputs and repeats: the stochastic stream continues between calls.
            CodecChainSpec s = CodecChainSpec.parse(spec);
            Map<Integer, WireCodec> byLength = new LinkedHashMap<>();
            got.put(spec, digest(w -> byLength.computeIfAbsent(w, n -> new CodecChain(s, n, FP)), finite, 2));
        }
        got.put("codec:quantized-8", digest(w -> new QuantizedCodec(UniformQuantizer.deterministic(8), w, FP), finite, 1));
        got.put("codec:quantized-4-stochastic",
                digest(w -> new QuantizedCodec(UniformQuantizer.stochastic(4, 9), w, FP), finite, 1));
        // Per-layer grids: the 1000-value four-segment layout of the other tests.
        List<float[]> layered = new ArrayList<>();
        for (float[] x : finite) {
            if (x.length == CompressFixtures.LAYOUT.totalLength()) {
                layered.add(x);
            }
        }
        for (double d : DENSITIES) {
            layered.add(CompressFixtures.vector(CompressFixtures.LAYOUT, d, 77));
        }
        for (String spec : new String[] {"quantize(8, per-layer) > sparse", "quantize(4, per-layer) > sparse",
            "quantize(8, per-layer)"}) {
            got.put(spec, digest(w -> CodecChain.of(spec, CompressFixtures.LAYOUT), layered, 1));
        }
        got.put("codec:quantized-8-per-layer", digest(w -> new QuantizedCodec(UniformQuantizer.deterministic(8),
                UniformQuantizer.Scale.PER_LAYER, CompressFixtures.LAYOUT), layered, 1));
        // A stochastic per-layer codec refusing a NaN in its last group has drawn the codes of the
        // groups before it (group by group, as always); the stream then continues from there.
        for (String spec : new String[] {"quantize(8, per-layer, stochastic, seed=4) > sparse",
            "quantize(4, per-layer, stochastic, seed=4)"}) {
            CodecChain c = CodecChain.of(spec, CompressFixtures.LAYOUT);
            List<float[]> after = new ArrayList<>();
            for (float[] x : layered) {
                float[] y = x.clone();
                y[999] = Float.NaN;
                try {
                    c.encode(y);
                    throw new AssertionError("NaN accepted by " + spec);
                } catch (IllegalArgumentException expected) {
                    // refused, as it must be
                }
                after.add(x);
            }
            got.put(spec + " after refusals", digest(w -> c, after, 1));
        }
        return got;
    }

    @Test
    void encodedBytesMatchTheRecordedDigests() {
        Map<String, String> got = actual();
        if (Boolean.getBoolean("golden.print")) {
            got.forEach((k, v) -> System.out.println("            Map.entry(\"" + k + "\", \"" + v + "\"),"));
        }
        assertEquals(EXPECTED.keySet(), got.keySet(), "the set of pinned codecs");
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, String> e : EXPECTED.entrySet()) {
            if (!e.getValue().equals(got.get(e.getKey()))) {
                changed.add(e.getKey());
            }
        }
        assertEquals(List.of(), changed, "codecs whose wire bytes changed");
    }
}
