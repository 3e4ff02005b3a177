package io.fedprune.core.model;

/**
 * What network to build for which input: the architecture plus the input shape and class count
 * taken from the dataset, so the same preset runs on Fashion-MNIST (1x28x28) or CIFAR-10 (3x32x32).
 *
 * @param widthRate every hidden layer keeps ceil(widthRate x its units or channels); 1 is the full
 *                  model, smaller rates are HeteroFL's width-scaled sub-models (input and output
 *                  layers stay full)
 */
public record ModelSpec(ModelArchitecture architecture, int channels, int height, int width, int numClasses,
                        double widthRate) {

    public ModelSpec {
        if (!(widthRate > 0 && widthRate <= 1)) {
            throw new IllegalArgumentException("width rate must be in (0, 1], got " + widthRate);
        }
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("input shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
    }

    /** The full-width model. */
    public ModelSpec(ModelArchitecture architecture, int channels, int height, int width, int numClasses) {
        this(architecture, channels, height, width, numClasses, 1.0);
    }

    /** The same model at {@code rate} of every hidden width. */
    public ModelSpec withWidthRate(double rate) {
        return new ModelSpec(architecture, channels, height, width, numClasses, rate);
    }

    /** {@code units} of a hidden layer at this width: ceil(rate x units), at least 1. */
    public int scaled(int units) {
        return Math.max(1, (int) Math.ceil(widthRate * units - 1e-9));
    }

    public int inputSize() {
        return channels * height * width;
    }
}
