package io.fedprune.core.model;

import java.util.Arrays;

/**
 * One parameter tensor of a layer, located in the flat parameter vector.
 *
 * @param name       DL4J's param-table key, e.g. {@code "0_W"}
 * @param layerIndex index of the layer in the network
 * @param kind       what the values are (conv / dense / output weights, or bias)
 * @param offset     first index in the flat vector
 * @param length     number of values
 * @param shape      the tensor shape as DL4J holds it
 */
public record ParameterSegment(String name, int layerIndex, SegmentKind kind, int offset, int length, long[] shape) {

    public int end() {
        return offset + length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ParameterSegment s && name.equals(s.name) && layerIndex == s.layerIndex && kind == s.kind
                && offset == s.offset && length == s.length && Arrays.equals(shape, s.shape);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + offset) + Arrays.hashCode(shape);
    }

    @Override
    public String toString() {
        return name + "[" + kind + " " + Arrays.toString(shape) + " @" + offset + "+" + length + "]";
    }
}
