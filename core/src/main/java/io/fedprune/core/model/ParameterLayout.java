package io.fedprune.core.model;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where each layer's tensors sit in the flat parameter vector ({@code net.params()}), and of what
 * kind they are. Wire payloads carry the layout's {@link #fingerprint()} so a receiver never
 * decodes parameters of one architecture into another.
 */
public final class ParameterLayout {
    private final List<ParameterSegment> segments;
    private final int totalLength;
    private final long fingerprint;

    public ParameterLayout(List<ParameterSegment> segments) {
        List<ParameterSegment> sorted = new ArrayList<>(segments);
        sorted.sort(Comparator.comparingInt(ParameterSegment::offset));
        int expected = 0;
        for (ParameterSegment s : sorted) {
            if (s.offset() != expected) {
                throw new IllegalArgumentException("segments must tile the parameter vector: " + s + " starts at "
                        + s.offset() + ", expected " + expected);
            }
            expected = s.end();
        }
        this.segments = List.copyOf(sorted);
        this.totalLength = expected;
        this.fingerprint = computeFingerprint(this.segments);
    }

    /** Reads the layout of an initialised network from its param table (views into {@code params()}). */
    public static ParameterLayout of(MultiLayerNetwork net) {
        INDArray flat = net.params();
        long base = flat.offset();
        List<ParameterSegment> segments = new ArrayList<>();
        Layer[] layers = net.getLayers();
        for (int i = 0; i < layers.length; i++) {
            org.deeplearning4j.nn.conf.layers.Layer conf = layers[i].conf().getLayer();
            for (Map.Entry<String, INDArray> e : layers[i].paramTable().entrySet()) {
                INDArray view = e.getValue();
                String key = e.getKey();
                SegmentKind kind;
                if (key.equals("b")) {
                    kind = SegmentKind.BIAS;
                } else if (conf instanceof ConvolutionLayer) {
                    kind = SegmentKind.CONV;
                } else if (conf instanceof BaseOutputLayer) {
                    kind = SegmentKind.OUTPUT;
                } else {
                    kind = SegmentKind.DENSE;
                }
                segments.add(new ParameterSegment(i + "_" + key, i, kind, Math.toIntExact(view.offset() - base),
                        Math.toIntExact(view.length()), view.shape()));
            }
        }
        ParameterLayout layout = new ParameterLayout(segments);
        if (layout.totalLength != flat.length()) {
            throw new IllegalStateException("layout covers " + layout.totalLength + " values but the network has "
                    + flat.length());
        }
        return layout;
    }

    public List<ParameterSegment> segments() {
        return segments;
    }

    public int totalLength() {
        return totalLength;
    }

    /** Segments of the given kinds, in vector order. */
    public List<ParameterSegment> segments(SegmentKind... kinds) {
        List<SegmentKind> wanted = List.of(kinds);
        return segments.stream().filter(s -> wanted.contains(s.kind())).toList();
    }

    /** Number of values in segments of the given kinds. */
    public int count(SegmentKind... kinds) {
        return segments(kinds).stream().mapToInt(ParameterSegment::length).sum();
    }

    /** The last layer index holding parameters + 1. */
    public int layerCount() {
        return segments.stream().mapToInt(ParameterSegment::layerIndex).max().orElse(-1) + 1;
    }

    /** 64-bit FNV-1a over segment names, kinds and shapes: equal layouts have equal fingerprints. */
    public long fingerprint() {
        return fingerprint;
    }

    private static long computeFingerprint(List<ParameterSegment> segments) {
        long h = 0xcbf29ce484222325L;
        for (ParameterSegment s : segments) {
            for (byte b : (s.name() + ":" + s.kind() + ":" + s.offset() + ":" + s.length()).getBytes(StandardCharsets.UTF_8)) {
                h ^= b;
                h *= 0x100000001b3L;
            }
            for (long d : s.shape()) {
                h ^= d;
                h *= 0x100000001b3L;
            }
        }
        return h;
    }

    @Override
    public String toString() {
        return "ParameterLayout" + segments + " total=" + totalLength;
    }
}
