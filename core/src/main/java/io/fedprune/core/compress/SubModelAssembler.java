package io.fedprune.core.compress;

import io.fedprune.core.model.ParameterLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The client side of a {@link ResidualSplit}: holds the increments 0..held-1 of one split,
 * overlaid, and rebuilds the sub-model {@code W ⊙ mask_l} of any level held, bit for bit (with
 * {@code -0.0f} as {@code +0.0f}). A client whose level rises within the same split fetches only
 * the increments it lacks ({@link ResidualSplit#needed}); one whose level falls needs nothing.
 * Keep it apart from the model being trained: it holds W as sent, not as trained.
 *
 * <p>Every increment is decoded with the fingerprint of its own split and level, so damaged bytes,
 * or bytes of another split, level or layout, are a {@link PayloadFormatException}, and
 * {@link #add} is all or nothing: after a failure the assembler holds what it held before.
 * Mutable, not thread-safe.
 */
public final class SubModelAssembler {
    private final int length;
    private final long layoutFingerprint;
    private long splitId;
    private float[] overlay;
    /** Per level held, the entries it set (its non-zero values). */
    private List<long[]> levelWords = List.of();

    public SubModelAssembler(ParameterLayout layout) {
        this.length = layout.totalLength();
        this.layoutFingerprint = layout.fingerprint();
        this.overlay = new float[length];
    }

    /** W ⊙ mask of the highest level in {@code increments}, which must be levels 0..l of one split. */
    public static float[] rebuild(ParameterLayout layout, List<ResidualIncrement> increments) {
        SubModelAssembler a = new SubModelAssembler(layout);
        a.add(increments);
        return a.subModel(a.held() - 1);
    }

    /** How many increments are held: levels 0..held-1. */
    public int held() {
        return levelWords.size();
    }

    /** The split the held increments belong to; meaningless when {@link #held()} is 0. */
    public long splitId() {
        return splitId;
    }

    /**
     * Adds downloaded increments: the next levels of the split held, or levels 0.. of another
     * split, which then replaces everything held.
     *
     * @throws IllegalArgumentException if the increments are not consecutive levels of one split
     *                                  that continue (or start) what is held
     * @throws PayloadFormatException   if an increment's bytes are damaged or are not that level of
     *                                  that split on this layout
     */
    public void add(List<ResidualIncrement> increments) {
        if (increments.isEmpty()) {
            return;
        }
        ResidualIncrement first = increments.get(0);
        boolean fresh = held() == 0 || first.splitId() != splitId;
        int expected = fresh ? 0 : held();
        for (ResidualIncrement inc : increments) {
            if (inc.splitId() != first.splitId()) {
                throw new IllegalArgumentException("increments of two splits in one download: "
                        + Long.toHexString(first.splitId()) + " and " + Long.toHexString(inc.splitId()));
            }
            if (inc.level() != expected) {
                throw new IllegalArgumentException("expected increment " + expected + " of split "
                        + Long.toHexString(inc.splitId()) + ", got " + inc.level()
                        + (fresh ? " (a split is rebuilt from level 0)" : " (" + held() + " held)"));
            }
            expected++;
        }
        float[] next = fresh ? new float[length] : overlay.clone();
        List<long[]> words = fresh ? new ArrayList<>() : new ArrayList<>(levelWords);
        long[] union = new long[(length + 63) >>> 6];
        for (long[] w : words) {
            or(union, w);
        }
        for (ResidualIncrement inc : increments) {
            float[] values = decode(inc);
            long[] present = SparseIndex.presence(values);
            for (int w = 0; w < present.length; w++) {
                long word = present[w];
                if ((word & union[w]) != 0) {
                    throw new PayloadFormatException(what(inc) + " sets entry "
                            + ((w << 6) + Long.numberOfTrailingZeros(word & union[w])) + ", which a lower level already set");
                }
                union[w] |= word;
                while (word != 0) {
                    int i = (w << 6) + Long.numberOfTrailingZeros(word);
                    next[i] = values[i];
                    word &= word - 1;
                }
            }
            words.add(present);
        }
        splitId = first.splitId();
        overlay = next;
        levelWords = words;
    }

    /** The sub-model of {@code level}: W on its mask, +0 elsewhere. A new array. */
    public float[] subModel(int level) {
        if (level < 0 || level >= held()) {
            throw new IllegalArgumentException("level " + level + " is not held; held: " + held() + " level(s)");
        }
        float[] out = overlay.clone();
        for (int l = level + 1; l < held(); l++) {
            long[] words = levelWords.get(l);
            for (int w = 0; w < words.length; w++) {
                long word = words[w];
                while (word != 0) {
                    out[(w << 6) + Long.numberOfTrailingZeros(word)] = 0f;
                    word &= word - 1;
                }
            }
        }
        return out;
    }

    private float[] decode(ResidualIncrement inc) {
        long fingerprint = ResidualSplit.fingerprint(layoutFingerprint, inc.splitId(), inc.level());
        byte[] p = inc.payload();
        // An intact header with another fingerprint is a mix-up, not damage: say so rather than
        // let the codec call it another architecture.
        if (p.length >= PayloadHeader.SIZE
                && PayloadHeader.checksum(p) == (int) SparseIndex.INT_LE.get(p, PayloadHeader.CHECKSUM_OFFSET)
                && (long) SparseIndex.LONG_LE.get(p, PayloadHeader.FINGERPRINT_OFFSET) != fingerprint) {
            throw new PayloadFormatException(what(inc) + ": the payload is another increment (of another split, "
                    + "level or layout)");
        }
        try {
            return new SparseFloat32Codec(length, fingerprint).decode(p);
        } catch (PayloadFormatException e) {
            throw new PayloadFormatException(what(inc) + ": " + e.getMessage());
        }
    }

    private static String what(ResidualIncrement inc) {
        return "residual increment " + inc.level() + " of split " + Long.toHexString(inc.splitId());
    }

    private static void or(long[] into, long[] words) {
        for (int w = 0; w < into.length; w++) {
            into[w] |= words[w];
        }
    }
}
