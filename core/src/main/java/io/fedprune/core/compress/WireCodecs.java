package io.fedprune.core.compress;

import io.fedprune.core.model.ParameterLayout;

/** Codecs from their chain specification. */
public final class WireCodecs {
    private WireCodecs() {
    }

    /**
     * The codec for {@code spec} on {@code layout}: plain "dense" is the header + float32 format,
     * anything else a {@link CodecChain}. Stateful stages (stochastic rounding) need one instance
     * per user.
     */
    public static WireCodec forSpec(CodecChainSpec spec, ParameterLayout layout) {
        if (spec.canonical().equals("dense")) {
            return new DenseFloat32Codec(layout.totalLength(), layout.fingerprint());
        }
        return new CodecChain(spec, layout);
    }
}
