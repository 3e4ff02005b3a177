package io.fedprune.core.data;

import java.util.Objects;

/**
 * One in-memory labelled dataset, shared by every simulated client.
 *
 * <p>Clients never copy samples: each holds a {@link Shard} of indices into this one object. With 100
 * clients on CIFAR-10 a copy per client would cost gigabytes, an index array costs a few kilobytes.
 * For the same reason {@link #features()} and {@link #labels()} return the backing arrays themselves;
 * callers must treat them as read-only.
 *
 * <p>Features are row-major: sample {@code i} occupies
 * {@code features[i * featureSize() .. (i + 1) * featureSize())}, laid out channel-major
 * (channel, row, column), which is exactly DL4J's NCHW flattening, so a batch can be wrapped into an
 * INDArray of shape {@code [n, channels, height, width]} without reordering. Image pixels are scaled to
 * [0, 1].
 */
public final class Dataset {

    private final String name;
    private final float[] features;
    private final int[] labels;
    private final int numClasses;
    private final int channels;
    private final int height;
    private final int width;
    private final int featureSize;

    public Dataset(String name, float[] features, int[] labels, int numClasses, int channels, int height, int width) {
        this.name = Objects.requireNonNull(name, "name");
        this.features = Objects.requireNonNull(features, "features");
        this.labels = Objects.requireNonNull(labels, "labels");
        if (numClasses < 1) {
            throw new IllegalArgumentException("dataset '" + name + "': numClasses must be >= 1 but was " + numClasses);
        }
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("dataset '" + name + "': channels, height and width must all be >= 1 but were "
                    + channels + "x" + height + "x" + width);
        }
        long perSample = (long) channels * height * width;
        if (perSample > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("dataset '" + name + "': sample size " + channels + "x" + height + "x" + width
                    + " exceeds the maximum array length");
        }
        long expected = perSample * labels.length;
        if (features.length != expected) {
            throw new IllegalArgumentException("dataset '" + name + "': expected features.length == labels.length * channels * height * width = "
                    + labels.length + " * " + channels + " * " + height + " * " + width + " = " + expected
                    + " but was " + features.length);
        }
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("dataset '" + name + "': label " + labels[i] + " at index " + i
                        + " is out of range, expected 0.." + (numClasses - 1) + " for " + numClasses + " classes");
            }
        }
        this.numClasses = numClasses;
        this.channels = channels;
        this.height = height;
        this.width = width;
        this.featureSize = (int) perSample;
    }

    public String name() {
        return name;
    }

    /** The shared backing array (not a copy): read-only by convention. */
    public float[] features() {
        return features;
    }

    /** The shared backing array (not a copy): read-only by convention. */
    public int[] labels() {
        return labels;
    }

    public int numClasses() {
        return numClasses;
    }

    public int channels() {
        return channels;
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    /** Number of samples. */
    public int size() {
        return labels.length;
    }

    /** Number of feature values per sample: channels * height * width. */
    public int featureSize() {
        return featureSize;
    }

    public int label(int i) {
        return labels[i];
    }

    /** How many samples of each class, indexed by class. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /**
     * A new dataset holding copies of the given samples, in the given order. Meant for making small
     * test or evaluation sets; clients use {@link Shard}s instead so that nothing is copied.
     */
    public Dataset subset(int[] indices, String name) {
        Objects.requireNonNull(indices, "indices");
        float[] f = new float[Math.multiplyExact(indices.length, featureSize)];
        int[] l = new int[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= labels.length) {
                throw new IndexOutOfBoundsException("subset of dataset '" + this.name + "': index " + i + " at position " + k
                        + " is outside 0.." + (labels.length - 1));
            }
            System.arraycopy(features, i * featureSize, f, k * featureSize, featureSize);
            l[k] = labels[i];
        }
        return new Dataset(name, f, l, numClasses, channels, height, width);
    }

    @Override
    public String toString() {
        return "Dataset[" + name + ", " + size() + " samples of " + channels + "x" + height + "x" + width + ", "
                + numClasses + " classes]";
    }
}
