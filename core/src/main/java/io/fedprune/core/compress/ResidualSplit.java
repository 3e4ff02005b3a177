package io.fedprune.core.compress;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.prune.Mask;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * PR-FL's residual split download (ALGORITHMS.md §6): the sub-models {@code W ⊙ mask_l} of one
 * global model for nested masks {@code mask_0 ⊆ mask_1 ⊆ …}, cut into increments. Increment
 * {@code l} holds W's values on {@code mask_l \ mask_(l-1)} (with {@code mask_(-1)} empty), so a
 * client at level {@code l} downloads increments 0..l and overlays them
 * ({@link SubModelAssembler}); the server encodes every weight of the largest sub-model once
 * instead of once per level.
 *
 * <p>Each increment is a {@link SparseFloat32Codec} payload: it carries its own positions and is
 * lossless, so the overlay rebuilds {@code W ⊙ mask_l} bit for bit, except that {@code -0.0f}
 * arrives as {@code +0.0f} (as in every sparse payload: a zero is not sent). Its header fingerprint
 * is {@link #fingerprint}{@code (layout, id, level)} instead of the layout's own: a receiver
 * decodes it only as exactly that increment of exactly that split, and never as a full model.
 *
 * <p>The split's {@link #id()} is a 64-bit hash of the layout, the model version, W's bits and the
 * masks: increments a client holds can be combined with more of the same split only. The hash
 * covers W and the masks, not just the version, because a restored best model or new densities
 * can come with a version number seen before.
 */
public final class ResidualSplit {
    private final long id;
    private final long modelVersion;
    private final List<ResidualIncrement> increments;

    private ResidualSplit(long id, long modelVersion, List<ResidualIncrement> increments) {
        this.id = id;
        this.modelVersion = modelVersion;
        this.increments = increments;
    }

    /**
     * Cuts {@code global} into increments for {@code masks}.
     *
     * @param masks ascending: each a subset of the next (equal neighbours give an empty increment)
     * @throws IllegalArgumentException if there is no mask, a length does not match the layout or
     *                                  the masks do not nest
     */
    public static ResidualSplit of(ParameterLayout layout, long modelVersion, float[] global, List<Mask> masks) {
        int n = layout.totalLength();
        if (global.length != n) {
            throw new IllegalArgumentException("global model has " + global.length + " values, the layout has " + n);
        }
        if (masks.isEmpty()) {
            throw new IllegalArgumentException("a residual split needs at least one mask");
        }
        for (int l = 0; l < masks.size(); l++) {
            if (masks.get(l).size() != n) {
                throw new IllegalArgumentException("mask of level " + l + " has " + masks.get(l).size()
                        + " entries, the layout has " + n);
            }
            if (l > 0 && !masks.get(l - 1).isSubsetOf(masks.get(l))) {
                throw new IllegalArgumentException("mask of level " + (l - 1) + " is not inside the mask of level " + l
                        + ": the masks must be nested, lowest density first");
            }
        }
        long id = splitId(layout.fingerprint(), modelVersion, global, masks);
        List<ResidualIncrement> out = new ArrayList<>(masks.size());
        long[] previous = new long[(n + 63) >>> 6];
        float[] part = new float[n];
        for (int l = 0; l < masks.size(); l++) {
            long[] current = masks.get(l).words();
            Arrays.fill(part, 0f);
            for (int w = 0; w < current.length; w++) {
                long added = current[w] & ~previous[w];
                while (added != 0) {
                    int i = (w << 6) + Long.numberOfTrailingZeros(added);
                    part[i] = global[i];
                    added &= added - 1;
                }
            }
            byte[] payload = new SparseFloat32Codec(n, fingerprint(layout.fingerprint(), id, l)).encode(part);
            out.add(new ResidualIncrement(id, l, payload));
            previous = current;
        }
        return new ResidualSplit(id, modelVersion, List.copyOf(out));
    }

    /** Identifies the model and masks this split was cut from. */
    public long id() {
        return id;
    }

    public long modelVersion() {
        return modelVersion;
    }

    /** Number of levels (= increments). */
    public int levels() {
        return increments.size();
    }

    public ResidualIncrement increment(int level) {
        checkLevel(level);
        return increments.get(level);
    }

    /**
     * What a client at {@code level} must download when it holds the first {@code held}
     * increments of split {@code heldSplit}: increments {@code held..level} if that is this split
     * (none when it already holds {@code level}), else all of {@code 0..level}.
     */
    public List<ResidualIncrement> needed(int level, long heldSplit, int held) {
        checkLevel(level);
        if (held < 0) {
            throw new IllegalArgumentException("held increments must be >= 0, got " + held);
        }
        int from = heldSplit == id ? Math.min(held, level + 1) : 0;
        return increments.subList(from, level + 1);
    }

    /** Bytes a client at {@code level} downloads from scratch: increments 0..level. */
    public long bytes(int level) {
        checkLevel(level);
        long sum = 0;
        for (int l = 0; l <= level; l++) {
            sum += increments.get(l).size();
        }
        return sum;
    }

    /** Bytes of all increments: what the server encodes (and sends at most once per client and level). */
    public long totalBytes() {
        return bytes(levels() - 1);
    }

    private void checkLevel(int level) {
        if (level < 0 || level >= increments.size()) {
            throw new IllegalArgumentException("level " + level + " out of range [0, " + increments.size() + ")");
        }
    }

    /** The header fingerprint of increment {@code level} of split {@code splitId} on a layout. */
    public static long fingerprint(long layoutFingerprint, long splitId, int level) {
        return mix(mix(mix(0x5265736964756C21L, layoutFingerprint), splitId), level);
    }

    private static long splitId(long layoutFingerprint, long version, float[] global, List<Mask> masks) {
        long h = mix(mix(0x53706C6974496421L, layoutFingerprint), version);
        for (float v : global) {
            h = mix(h, Float.floatToRawIntBits(v));
        }
        h = mix(h, masks.size());
        for (Mask m : masks) {
            for (long w : m.words()) {
                h = mix(h, w);
            }
        }
        return h;
    }

    /** One step of a 64-bit hash: absorb {@code x}, then the SplitMix64 finalizer. */
    private static long mix(long h, long x) {
        long z = (h ^ x) * 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
