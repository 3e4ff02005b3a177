package io.fedprune.core.compress;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A parsed codec chain such as {@code magnitude(0.5) > quantize(8) > sparse} or
 * {@code quantize(4, per-layer, stochastic) > deflate}. Stages, in this order, each optional:
 * <ol>
 *   <li>{@code magnitude(r)}: zero the fraction r in [0, 1) of entries of smallest |value| (r = 1 would
 *       send an all-zero model);</li>
 *   <li>a value quantizer: {@code quantize(b[, per-tensor|per-layer][, deterministic|stochastic][, seed=N])}
 *       with b in 1..16 (defaults per-tensor, deterministic, seed 0), or
 *       {@code pow2} / {@code pow2(minExp, maxExp)};</li>
 *   <li>the layout: {@code sparse} (non-zero entries and their positions) or {@code dense}
 *       (every entry; the default);</li>
 *   <li>{@code deflate}: lossless zlib over the bytes so far.</li>
 * </ol>
 * Stages are separated by {@code >}, {@code ->} or {@code →}; case and whitespace are ignored.
 * {@link #canonical()} is the normal form that goes on the wire; it leaves out the seed, which
 * legitimately differs between clients and does not affect decoding.
 */
public final class CodecChainSpec {
    /** What {@link #parse} accepts, for error messages. */
    public static final String ACCEPTED = "accepted stages, in this order: magnitude(r) with r in [0, 1); "
            + "quantize(bits[, per-tensor|per-layer][, deterministic|stochastic][, seed=N]) with bits in 1..16 "
            + "or pow2[(minExp, maxExp)]; sparse or dense; deflate — separated by '>' or '→'";

    /** Which value quantizer the chain applies. */
    public enum Quantizer { NONE, UNIFORM, POW2 }

    private static final Pattern STAGE = Pattern.compile("([a-z0-9]+)\\s*(?:\\((.*)\\))?");

    private final double pruneFraction; // NaN = no magnitude stage
    private final Quantizer quantizer;
    private final int bits;
    private final UniformQuantizer.Scale scale;
    private final boolean stochastic;
    private final long seed;
    private final int minExp;
    private final int maxExp;
    private final boolean sparse;
    private final boolean deflate;

    private CodecChainSpec(double pruneFraction, Quantizer quantizer, int bits, UniformQuantizer.Scale scale,
            boolean stochastic, long seed, int minExp, int maxExp, boolean sparse, boolean deflate) {
        this.pruneFraction = pruneFraction;
        this.quantizer = quantizer;
        this.bits = bits;
        this.scale = scale;
        this.stochastic = stochastic;
        this.seed = seed;
        this.minExp = minExp;
        this.maxExp = maxExp;
        this.sparse = sparse;
        this.deflate = deflate;
    }

    /** @throws IllegalArgumentException naming the offending stage and listing the accepted ones */
    public static CodecChainSpec parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("empty codec chain; " + ACCEPTED);
        }
        String norm = text.replace("→", ">").replace("->", ">").toLowerCase(Locale.ROOT);
        String[] parts = norm.split(">", -1);
        double prune = Double.NaN;
        Quantizer q = Quantizer.NONE;
        int bits = 0;
        UniformQuantizer.Scale scale = UniformQuantizer.Scale.PER_TENSOR;
        boolean stochastic = false;
        long seed = 0;
        int minExp = PowerOfTwoQuantizer.DEFAULT_MIN_EXP;
        int maxExp = PowerOfTwoQuantizer.DEFAULT_MAX_EXP;
        Boolean sparse = null;
        boolean deflate = false;
        int lastRank = -1;
        for (String raw : parts) {
            String stage = raw.strip();
            if (stage.isEmpty()) {
                throw new IllegalArgumentException("empty stage in codec chain '" + text + "'; " + ACCEPTED);
            }
            Matcher m = STAGE.matcher(stage);
            if (!m.matches()) {
                throw new IllegalArgumentException("cannot read stage '" + stage + "' in '" + text + "'; " + ACCEPTED);
            }
            String name = m.group(1);
            List<String> args = args(m.group(2));
            int rank;
            switch (name) {
                case "magnitude" -> {
                    rank = 0;
                    arity(stage, args, 1, 1);
                    prune = number(stage, args.get(0));
                    if (!(prune >= 0 && prune < 1)) {
                        throw new IllegalArgumentException("magnitude fraction (the pruned share) must be in [0, 1), got '"
                                + args.get(0) + "' in '" + stage + "'" + (prune >= 1
                                ? ": it would prune every entry and send an all-zero model" : ""));
                    }
                    prune += 0.0; // magnitude(-0) is magnitude(0)
                }
                case "quantize" -> {
                    rank = 1;
                    arity(stage, args, 1, 4);
                    q = Quantizer.UNIFORM;
                    bits = integer(stage, args.get(0));
                    if (bits < UniformQuantizer.MIN_BITS || bits > UniformQuantizer.MAX_BITS) {
                        throw new IllegalArgumentException("quantize bit width must be in 1..16, got " + bits + " in '"
                                + stage + "'");
                    }
                    boolean sawScale = false;
                    boolean sawRounding = false;
                    boolean sawSeed = false;
                    for (String opt : args.subList(1, args.size())) {
                        switch (opt) {
                            case "per-tensor", "per-layer" -> {
                                if (sawScale) {
                                    throw new IllegalArgumentException("scale given twice in '" + stage + "'");
                                }
                                sawScale = true;
                                scale = opt.equals("per-layer") ? UniformQuantizer.Scale.PER_LAYER
                                        : UniformQuantizer.Scale.PER_TENSOR;
                            }
                            case "stochastic", "deterministic" -> {
                                if (sawRounding) {
                                    throw new IllegalArgumentException("rounding given twice in '" + stage + "'");
                                }
                                sawRounding = true;
                                stochastic = opt.equals("stochastic");
                            }
                            default -> {
                                if (!opt.startsWith("seed") || sawSeed || !opt.substring(4).strip().startsWith("=")) {
                                    throw new IllegalArgumentException("unknown or repeated quantize option '" + opt
                                            + "' in '" + stage + "'; " + ACCEPTED);
                                }
                                sawSeed = true;
                                String v = opt.substring(4).strip().substring(1).strip();
                                try {
                                    seed = Long.parseLong(v);
                                } catch (NumberFormatException e) {
                                    throw new IllegalArgumentException("seed must be an integer, got '" + v + "' in '"
                                            + stage + "'");
                                }
                            }
                        }
                    }
                }
                case "pow2" -> {
                    rank = 1;
                    q = Quantizer.POW2;
                    if (m.group(2) != null) {
                        arity(stage, args, 2, 2);
                        minExp = integer(stage, args.get(0));
                        maxExp = integer(stage, args.get(1));
                        try {
                            new PowerOfTwoQuantizer(minExp, maxExp);
                        } catch (IllegalArgumentException e) {
                            throw new IllegalArgumentException(e.getMessage() + " in '" + stage + "'");
                        }
                    }
                }
                case "sparse", "dense" -> {
                    rank = 2;
                    noArgs(stage, m.group(2));
                    sparse = name.equals("sparse");
                }
                case "deflate" -> {
                    rank = 3;
                    noArgs(stage, m.group(2));
                    deflate = true;
                }
                default -> throw new IllegalArgumentException("unknown stage '" + stage + "' in '" + text + "'; "
                        + ACCEPTED);
            }
            if (rank <= lastRank) {
                throw new IllegalArgumentException("stage '" + stage + "' is out of order or repeated in '" + text
                        + "'; " + ACCEPTED);
            }
            lastRank = rank;
        }
        return new CodecChainSpec(prune, q, bits, scale, stochastic, seed, minExp, maxExp,
                sparse != null && sparse, deflate);
    }

    private static List<String> args(String inside) {
        List<String> out = new ArrayList<>();
        if (inside == null) {
            return out;
        }
        for (String a : inside.split(",", -1)) {
            out.add(a.strip());
        }
        return out;
    }

    private static void arity(String stage, List<String> args, int min, int max) {
        if (args.size() < min || args.size() > max || args.stream().anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("stage '" + stage + "' takes " + (min == max ? min : min + " to " + max)
                    + " non-empty arguments; " + ACCEPTED);
        }
    }

    private static void noArgs(String stage, String inside) {
        if (inside != null && !inside.isBlank()) {
            throw new IllegalArgumentException("stage '" + stage + "' takes no arguments; " + ACCEPTED);
        }
    }

    private static double number(String stage, String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a number, got '" + s + "' in '" + stage + "'");
        }
    }

    private static int integer(String stage, String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected an integer, got '" + s + "' in '" + stage + "'");
        }
    }

    /** The same chain with another stochastic-rounding seed (e.g. one per client). */
    public CodecChainSpec withSeed(long newSeed) {
        return new CodecChainSpec(pruneFraction, quantizer, bits, scale, stochastic, newSeed, minExp, maxExp, sparse,
                deflate);
    }

    public boolean hasMagnitude() {
        return !Double.isNaN(pruneFraction);
    }

    /** Fraction pruned by the magnitude stage; NaN without one. */
    public double pruneFraction() {
        return pruneFraction;
    }

    public Quantizer quantizer() {
        return quantizer;
    }

    public int bits() {
        return bits;
    }

    public UniformQuantizer.Scale scale() {
        return scale;
    }

    public boolean stochastic() {
        return stochastic;
    }

    public long seed() {
        return seed;
    }

    public int minExp() {
        return minExp;
    }

    public int maxExp() {
        return maxExp;
    }

    public boolean sparse() {
        return sparse;
    }

    public boolean deflate() {
        return deflate;
    }

    /** Normal form, e.g. {@code magnitude(0.5) > quantize(8, per-tensor, deterministic) > sparse}; no seed. */
    public String canonical() {
        List<String> s = new ArrayList<>();
        if (hasMagnitude()) {
            s.add("magnitude(" + pruneFraction + ")");
        }
        switch (quantizer) {
            case UNIFORM -> s.add("quantize(" + bits + ", " + (scale == UniformQuantizer.Scale.PER_LAYER ? "per-layer"
                    : "per-tensor") + ", " + (stochastic ? "stochastic" : "deterministic") + ")");
            case POW2 -> s.add("pow2(" + minExp + ", " + maxExp + ")");
            default -> { }
        }
        s.add(sparse ? "sparse" : "dense");
        if (deflate) {
            s.add("deflate");
        }
        return String.join(" > ", s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CodecChainSpec c && c.canonical().equals(canonical()) && c.seed == seed;
    }

    @Override
    public int hashCode() {
        return canonical().hashCode() * 31 + Long.hashCode(seed);
    }

    @Override
    public String toString() {
        return canonical() + (quantizer == Quantizer.UNIFORM && stochastic ? " [seed " + seed + "]" : "");
    }
}
