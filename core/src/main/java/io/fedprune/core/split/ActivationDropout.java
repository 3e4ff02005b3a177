package io.fedprune.core.split;

import io.fedprune.core.prune.Mask;
import java.util.SplittableRandom;

/**
 * Activation dropout at the cut (ALGORITHMS.md §4): each activation value of a step survives with
 * probability {@code 1 - rate}, drawn from a stream seeded by (run seed, client, round, step), so
 * the client and the server regenerate the same keep-mask and the mask itself never travels. Only
 * kept values go up; dropped values get zero gradient.
 *
 * <p>Inverted dropout: the server feeds kept values scaled by {@code 1/(1 - rate)} (dropped ones
 * as 0), so the server layers see activations of the same expectation as at evaluation time,
 * when nothing is dropped. The gradient w.r.t. a kept activation is then the server's input
 * gradient times the same factor, and that is what the server sends down.
 *
 * @param rate p_d in [0, 1); 0 keeps everything (and draws nothing)
 */
public record ActivationDropout(double rate, long seed) {

    public static final ActivationDropout NONE = new ActivationDropout(0, 0);

    public ActivationDropout {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("activation dropout rate must be in [0, 1), got " + rate);
        }
    }

    /** The keep-mask of one step over {@code size} = batch x activationSize values. */
    public Mask keepMask(int client, long round, long step, int size) {
        if (rate == 0) {
            return Mask.all(size);
        }
        SplittableRandom rng = new SplittableRandom(StepKey.of(seed, client, round, step));
        long[] words = new long[(size + 63) >>> 6];
        double keep = 1 - rate;
        for (int i = 0; i < size; i++) {
            if (rng.nextDouble() < keep) {
                words[i >>> 6] |= 1L << i;
            }
        }
        return Mask.fromWords(size, words);
    }

    /** The kept values of {@code activations}, in position order: what goes on the wire. */
    public static float[] kept(float[] activations, Mask keep) {
        checkSize(activations.length, keep);
        float[] out = new float[keep.cardinality()];
        int k = 0;
        long[] words = keep.words();
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            while (word != 0) {
                out[k++] = activations[(w << 6) + Long.numberOfTrailingZeros(word)];
                word &= word - 1;
            }
        }
        return out;
    }

    /** The server part's input: kept values scaled by 1/(1 - rate) at their positions, 0 elsewhere. */
    public float[] serverInput(float[] keptValues, Mask keep) {
        return scatter(keptValues, keep, (float) (1 / (1 - rate)));
    }

    /** The kept entries of dL/d(activations), from the server part's input gradient: what goes down. */
    public float[] keptGradient(float[] serverInputGradient, Mask keep) {
        float[] g = kept(serverInputGradient, keep);
        float scale = (float) (1 / (1 - rate));
        if (scale != 1f) {
            for (int i = 0; i < g.length; i++) {
                g[i] *= scale;
            }
        }
        return g;
    }

    /** The client's gradient at the cut: the kept entries at their positions, 0 for dropped ones. */
    public static float[] clientGradient(float[] keptGradient, Mask keep) {
        return scatter(keptGradient, keep, 1f);
    }

    private static float[] scatter(float[] keptValues, Mask keep, float scale) {
        if (keptValues.length != keep.cardinality()) {
            throw new IllegalArgumentException(keptValues.length + " values for a keep-mask of " + keep.cardinality());
        }
        float[] out = new float[keep.size()];
        int k = 0;
        long[] words = keep.words();
        for (int w = 0; w < words.length; w++) {
            long word = words[w];
            while (word != 0) {
                out[(w << 6) + Long.numberOfTrailingZeros(word)] = keptValues[k++] * scale;
                word &= word - 1;
            }
        }
        return out;
    }

    private static void checkSize(int length, Mask keep) {
        if (length != keep.size()) {
            throw new IllegalArgumentException(length + " activation values for a keep-mask over " + keep.size());
        }
    }
}
