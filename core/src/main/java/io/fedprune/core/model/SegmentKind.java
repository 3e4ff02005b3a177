package io.fedprune.core.model;

/** What a contiguous run of the flat parameter vector holds; pruning policies select by kind. */
public enum SegmentKind {
    /** Convolution kernel weights. */
    CONV,
    /** Hidden fully connected weights. */
    DENSE,
    /** Weights of the final (classifier) layer. */
    OUTPUT,
    /** Biases of any layer. */
    BIAS
}
