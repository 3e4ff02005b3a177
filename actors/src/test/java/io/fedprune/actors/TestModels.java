package io.fedprune.actors;

import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.WireCodec;
import java.util.Arrays;

/** Small fixed "models" for protocol tests: the aggregator only sees vectors and bytes. */
final class TestModels {
    static final int LENGTH = 16;
    static final long FINGERPRINT = 0x1234_5678_9abc_def0L;
    static final WireCodec CODEC = new DenseFloat32Codec(LENGTH, FINGERPRINT);

    private TestModels() {
    }

    static float[] filled(float v) {
        float[] p = new float[LENGTH];
        Arrays.fill(p, v);
        return p;
    }

    static byte[] encoded(float v) {
        return CODEC.encode(filled(v));
    }
}
