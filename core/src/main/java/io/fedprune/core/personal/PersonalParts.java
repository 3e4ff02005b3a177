package io.fedprune.core.personal;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.prune.Mask;
import java.util.List;
import java.util.TreeSet;

/**
 * The split of a model into a global part u (shared with the server, pruned) and a personal part
 * v (kept on the device, never sent), by layer (ALGORITHMS.md §3). Layers are named by index in
 * the network, negative indices counting from the end (-1 = the output layer); every parameter
 * segment of a personal layer (weights and bias) is personal.
 */
public final class PersonalParts {
    private final Mask global;
    private final int[] globalIndices;
    private final int[] personalIndices;
    private final List<Integer> personalLayers;

    private PersonalParts(Mask global, List<Integer> personalLayers) {
        this.global = global;
        this.globalIndices = global.indices();
        int n = global.size();
        this.personalIndices = new int[n - globalIndices.length];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (!global.get(i)) {
                personalIndices[k++] = i;
            }
        }
        this.personalLayers = List.copyOf(personalLayers);
    }

    /**
     * The split of {@code layout} with the layers {@code layers} personal.
     *
     * @throws IllegalArgumentException if a layer index is out of range, or every parameter would be personal
     */
    public static PersonalParts of(ParameterLayout layout, List<Integer> layers) {
        // layers that hold parameters (pooling and activation layers have none)
        List<Integer> paramLayers = layout.segments().stream().map(ParameterSegment::layerIndex).distinct().sorted()
                .toList();
        int count = paramLayers.size();
        TreeSet<Integer> resolved = new TreeSet<>();
        for (int l : layers) {
            int idx = l < 0 ? count + l : l;
            if (idx < 0 || idx >= count) {
                throw new IllegalArgumentException("personal layer " + l + " is out of range: the model has "
                        + count + " layers with parameters, indices 0.." + (count - 1) + " or -1..-" + count);
            }
            resolved.add(idx);
        }
        int n = layout.totalLength();
        long[] words = new long[(n + 63) >>> 6];
        TreeSet<Integer> personalLayerIds = new TreeSet<>();
        for (int idx : resolved) {
            personalLayerIds.add(paramLayers.get(idx));
        }
        for (ParameterSegment s : layout.segments()) {
            if (!personalLayerIds.contains(s.layerIndex())) {
                for (int i = s.offset(); i < s.end(); i++) {
                    words[i >>> 6] |= 1L << i;
                }
            }
        }
        Mask global = Mask.fromWords(n, words);
        if (global.cardinality() == 0) {
            throw new IllegalArgumentException("personal layers " + layers + " cover the whole model: nothing "
                    + "would be shared");
        }
        return new PersonalParts(global, List.copyOf(resolved));
    }

    /** The split whose global part is {@code global} (what a client learns from its dispatch's mask). */
    public static PersonalParts ofGlobal(Mask global) {
        if (global.cardinality() == 0) {
            throw new IllegalArgumentException("a global part must hold at least one entry");
        }
        return new PersonalParts(global, List.of());
    }

    /** The entries of the global part. */
    public Mask global() {
        return global;
    }

    /** Entries of the global part, ascending (do not modify). */
    public int[] globalIndices() {
        return globalIndices;
    }

    /** Entries of the personal part, ascending (do not modify). */
    public int[] personalIndices() {
        return personalIndices;
    }

    /** The personal layers as indices among the layers with parameters, ascending (empty when made from a mask). */
    public List<Integer> personalLayers() {
        return personalLayers;
    }

    public int globalLength() {
        return globalIndices.length;
    }

    public int personalLength() {
        return personalIndices.length;
    }

    /** The values of {@code params} at the personal entries, in order. */
    public float[] personalOf(float[] params) {
        float[] out = new float[personalIndices.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = params[personalIndices[k]];
        }
        return out;
    }

    /** Writes {@code personal} into the personal entries of {@code params}. */
    public void overlay(float[] params, float[] personal) {
        if (personal.length != personalIndices.length) {
            throw new IllegalArgumentException("personal part of " + personal.length + " values, expected "
                    + personalIndices.length);
        }
        for (int k = 0; k < personal.length; k++) {
            params[personalIndices[k]] = personal[k];
        }
    }
}
