package io.fedprune.core.model;

/**
 * What network to build for which input: the architecture plus the input shape and class count
 * taken from the dataset, so the same preset runs on Fashion-MNIST (1x28x28) or CIFAR-10 (3x32x32).
 */
public record ModelSpec(ModelArchitecture architecture, int channels, int height, int width, int numClasses) {

    public ModelSpec {
        if (channels <= 0 || height <= 0 || width <= 0) {
            throw new IllegalArgumentException("input shape must be positive, got " + channels + "x" + height + "x" + width);
        }
        if (numClasses < 2) {
            throw new IllegalArgumentException("numClasses must be >= 2, got " + numClasses);
        }
    }

    public int inputSize() {
        return channels * height * width;
    }
}
