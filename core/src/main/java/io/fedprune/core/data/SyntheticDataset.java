package io.fedprune.core.data;

import java.util.SplittableRandom;

/**
 * Small generated datasets for tests across the project: no files, milliseconds to build, and easy
 * enough that a small MLP learns them, so a test can assert that federated training makes progress.
 */
public final class SyntheticDataset {

    private SyntheticDataset() {
    }

    /**
     * Gaussian clusters: each class gets a random mean vector uniform in [0, 1]^d
     * (d = channels * height * width); a sample is its class mean plus standard normal noise scaled by
     * {@code noise}, clipped to [0, 1] like image pixels. Labels are balanced ({@code i % numClasses})
     * and then shuffled so that any contiguous range is mixed. Two random means in d dimensions are about
     * sqrt(d / 6) apart, so with noise well below that (e.g. 0.1 for d >= 16) classes are easily
     * separable.
     *
     * <p>The result depends only on the arguments. For a train/test pair of the same problem use
     * {@link #gaussianClusters(int, int, int, int, int, double, long, long)} with one problem seed.
     */
    public static Dataset gaussianClusters(int samples, int numClasses, int channels, int height, int width,
                                           double noise, long seed) {
        return gaussianClusters(samples, numClasses, channels, height, width, noise, seed, seed);
    }

    /**
     * As above, with the class means drawn from {@code problemSeed} and the samples (labels and
     * noise) from {@code sampleSeed}: two calls with the same problem seed and different sample
     * seeds give a train and a test set of the same classification problem.
     */
    public static Dataset gaussianClusters(int samples, int numClasses, int channels, int height, int width,
                                           double noise, long problemSeed, long sampleSeed) {
        if (samples < 1) {
            throw new IllegalArgumentException("samples must be >= 1 but was " + samples);
        }
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1 but was " + numClasses);
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("channels, height and width must all be >= 1 but were "
                    + channels + "x" + height + "x" + width);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException("noise must be a finite number >= 0 but was " + noise);
        }
        long dLong = (long) channels * height * width;
        if (dLong * samples > Integer.MAX_VALUE - 8 || dLong * numClasses > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("synthetic dataset of " + samples + " samples of " + channels + "x" + height + "x"
                    + width + " does not fit in one float array");
        }
        int d = (int) dLong;
        SplittableRandom problem = new SplittableRandom(problemSeed);
        float[] means = new float[numClasses * d];
        for (int i = 0; i < means.length; i++) {
            means[i] = (float) problem.nextDouble();
        }
        SplittableRandom rng = new SplittableRandom(sampleSeed ^ 0x9E3779B97F4A7C15L);
        int[] labels = new int[samples];
        for (int i = 0; i < samples; i++) {
            labels[i] = i % numClasses;
        }
        Shuffle.inPlace(labels, rng);
        float[] features = new float[samples * d];
        for (int i = 0; i < samples; i++) {
            int meanBase = labels[i] * d;
            int base = i * d;
            for (int j = 0; j < d; j++) {
                double v = means[meanBase + j] + noise * rng.nextGaussian();
                features[base + j] = (float) Math.min(1.0, Math.max(0.0, v));
            }
        }
        String name = "synthetic-gaussian-" + numClasses + "c-" + channels + "x" + height + "x" + width + "-seed" + problemSeed;
        return new Dataset(name, features, labels, numClasses, channels, height, width);
    }
}
