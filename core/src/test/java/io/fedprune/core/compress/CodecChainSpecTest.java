package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CodecChainSpecTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "magnitude(0.5) > quantize(8) > sparse | magnitude(0.5) > quantize(8, per-tensor, deterministic) > sparse",
        "magnitude(0.5) > sparse | magnitude(0.5) > sparse",
        "quantize(4, per-layer, stochastic) > deflate | quantize(4, per-layer, stochastic) > dense > deflate",
        "pow2 > sparse | pow2(-28, 2) > sparse",
        "dense | dense",
        "  MAGNITUDE( 0.50 )→Quantize( 2 ,Stochastic, SEED = 9, per-layer)  →SPARSE→deflate "
                + "| magnitude(0.5) > quantize(2, per-layer, stochastic) > sparse > deflate",
        "pow2(-10, -1) -> dense | pow2(-10, -1) > dense",
        "sparse > deflate | sparse > deflate",
        "magnitude(0) > quantize(16) | magnitude(0.0) > quantize(16, per-tensor, deterministic) > dense",
    })
    void parsesToCanonicalForm(String text, String canonical) {
        CodecChainSpec spec = CodecChainSpec.parse(text);
        assertEquals(canonical, spec.canonical());
        assertEquals(spec.canonical(), CodecChainSpec.parse(spec.canonical()).canonical(), "canonical form re-parses");
    }

    @Test
    void exposesParsedParameters() {
        CodecChainSpec s = CodecChainSpec.parse("magnitude(0.25) > quantize(3, per-layer, stochastic, seed=77) > sparse");
        assertEquals(0.25, s.pruneFraction());
        assertEquals(CodecChainSpec.Quantizer.UNIFORM, s.quantizer());
        assertEquals(3, s.bits());
        assertEquals(UniformQuantizer.Scale.PER_LAYER, s.scale());
        assertTrue(s.stochastic());
        assertEquals(77, s.seed());
        assertTrue(s.sparse());
        assertFalse(s.deflate());
        assertEquals(5, s.withSeed(5).seed());
        assertEquals(s.canonical(), s.withSeed(5).canonical(), "the seed is not part of the wire identity");
        assertFalse(CodecChainSpec.parse("dense").hasMagnitude());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", "   ", "zip", "magnitude", "magnitude(1)", "magnitude(1.0)", "magnitude(1e0)", "magnitude(NaN)",
        "magnitude(Infinity)", "magnitude(1.5)", "magnitude(-0.1)", "magnitude(x)", "magnitude(0.5, 2)",
        "quantize", "quantize(0)", "quantize(17)", "quantize(4, per-block)", "quantize(4, stochastic, stochastic)",
        "quantize(4, seed=x)", "quantize(4.5)", "pow2(1)", "pow2(3, 1)", "pow2(-200, 0)", "sparse(2)",
        "sparse > quantize(8)", "deflate > sparse", "sparse > dense", "quantize(8) > pow2", "dense > dense",
        "magnitude(0.5) > > sparse", "sparse >", "quantize(8) magnitude(0.5)", "magnitude(0.1) > magnitude(0.2)",
    })
    void rejectsBadChainsListingAcceptedStages(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CodecChainSpec.parse(text));
        assertFalse(e.getMessage().isBlank());
    }

    @Test
    void unknownStageMessageListsTheAcceptedStages() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CodecChainSpec.parse("magnitude(0.5) > zstd"));
        assertTrue(e.getMessage().contains("'zstd'"), e.getMessage());
        for (String stage : new String[] {"magnitude(r)", "quantize(bits", "pow2", "sparse", "dense", "deflate"}) {
            assertTrue(e.getMessage().contains(stage), e.getMessage());
        }
    }

    @Test
    void aPruningRateThatKeepsNothingIsRefusedWithTheReason() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> CodecChainSpec.parse("magnitude(1.0) > sparse"));
        assertTrue(e.getMessage().contains("[0, 1)") && e.getMessage().contains("all-zero model"), e.getMessage());
        assertEquals(0.999, CodecChainSpec.parse("magnitude(0.999) > sparse").pruneFraction());
        assertEquals("magnitude(0.0) > dense", CodecChainSpec.parse("magnitude(-0)").canonical());
        // magnitude(0.99) of 100 entries keeps exactly one.
        CodecChain c = new CodecChain(CodecChainSpec.parse("magnitude(0.99) > sparse"), 100, 1L);
        assertEquals(1, countNonZero(c.decode(c.encode(ramp(100)))));
    }

    private static float[] ramp(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = i + 1;
        }
        return x;
    }

    private static int countNonZero(float[] x) {
        int n = 0;
        for (float v : x) {
            n += v != 0f ? 1 : 0;
        }
        return n;
    }
}
