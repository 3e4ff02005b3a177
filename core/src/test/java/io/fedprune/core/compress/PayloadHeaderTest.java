package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The checksummed header (format version 2) of every codec. */
class PayloadHeaderTest {
    private static final long FP = 0xfeed_beefL;

    @Test
    void referenceCrc32cIsCastagnoliAndMatchesTheJdk() {
        // The standard check value of CRC-32C over "123456789".
        assertEquals(0xE3069283, CompressFixtures.referenceCrc32c("123456789".getBytes(StandardCharsets.US_ASCII)));
        SplittableRandom rng = new SplittableRandom(5);
        for (int n = 0; n < 300; n++) {
            byte[] b = new byte[n];
            rng.nextBytes(b);
            CRC32C jdk = new CRC32C();
            jdk.update(b);
            assertEquals((int) jdk.getValue(), CompressFixtures.referenceCrc32c(b), "length " + n);
        }
    }

    /** One codec of each format over the 1000-value layout, with an input it encodes. */
    private static List<WireCodec> codecs() {
        int w = CompressFixtures.LAYOUT.totalLength();
        return List.of(new DenseFloat32Codec(w, FP), new SparseFloat32Codec(w, FP),
                new QuantizedCodec(UniformQuantizer.deterministic(8), w, FP),
                CodecChain.of("magnitude(0.5) > quantize(4, per-layer) > sparse > deflate", CompressFixtures.LAYOUT));
    }

    @Test
    void everyFormatCarriesItsChecksumInTheHeaderAndChecksItBeforeAnythingElse() {
        float[] x = CompressFixtures.vector(CompressFixtures.LAYOUT, 0.3, 9);
        for (WireCodec codec : codecs()) {
            byte[] p = codec.encode(x);
            assertEquals(2, p[3], codec.name() + ": format version");
            assertEquals(CompressFixtures.referenceChecksum(p), PayloadHeader.checksum(p), codec.name());
            assertArrayEquals(CompressFixtures.sealed(p), p, codec.name() + ": the checksum field holds the CRC32C");
            float[] back = codec.decode(p);
            // A change anywhere, even in the fields checked first (length, fingerprint) or in the
            // checksum itself, is reported as damage.
            for (int at : new int[] {4, 8, 15, 16, 19, 20, p.length / 2, p.length - 1}) {
                byte[] bad = p.clone();
                bad[at] ^= 0x01;
                PayloadFormatException e = assertThrows(PayloadFormatException.class, () -> codec.decode(bad));
                assertTrue(e.getMessage().contains("checksum mismatch"), codec.name() + " at " + at + ": "
                        + e.getMessage());
            }
            assertArrayEquals(back, codec.decode(p), "the original still decodes");
        }
    }

    @Test
    void versionOnePayloadsAreRefusedAsAnOlderFormat() {
        float[] x = CompressFixtures.vector(CompressFixtures.LAYOUT, 0.3, 9);
        for (WireCodec codec : codecs()) {
            byte[] p = codec.encode(x);
            byte[] v1 = new byte[p.length - 4];
            System.arraycopy(p, 0, v1, 0, 16);
            System.arraycopy(p, 20, v1, 16, p.length - 20);
            v1[3] = 1;
            PayloadFormatException e = assertThrows(PayloadFormatException.class, () -> codec.decode(v1));
            assertTrue(e.getMessage().contains("format version 1, this codec reads 2"), e.getMessage());
        }
    }

    @Test
    void headerOnlyPayloadsAndShortOnesAreRejected() {
        DenseFloat32Codec empty = new DenseFloat32Codec(0, FP);
        byte[] p = empty.encode(new float[0]);
        assertEquals(PayloadHeader.SIZE, p.length);
        assertEquals(0, empty.decode(p).length);
        for (int n = 0; n < PayloadHeader.SIZE; n++) {
            byte[] cut = Arrays.copyOf(p, n);
            assertThrows(PayloadFormatException.class, () -> empty.decode(cut));
        }
    }
}
