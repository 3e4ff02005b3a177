package io.fedprune.actors.aggregator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.fedprune.core.compress.DenseFloat32Codec;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Versions are kept while some client holds them, decoded once, and dropped after. */
class SentModelsTest {
    static final int LENGTH = 4;
    final AtomicInteger decodes = new AtomicInteger();
    final DenseFloat32Codec dense = new DenseFloat32Codec(LENGTH, 9);
    final SentModels sent = new SentModels(new io.fedprune.core.compress.WireCodec() {
        @Override
        public String name() {
            return "counting";
        }

        @Override
        public byte[] encode(float[] params) {
            return dense.encode(params);
        }

        @Override
        public float[] decode(byte[] payload) {
            decodes.incrementAndGet();
            return dense.decode(payload);
        }
    });

    static float[] filled(float v) {
        float[] p = new float[LENGTH];
        Arrays.fill(p, v);
        return p;
    }

    @Test
    void oneDecodePerVersionAndDroppedWhenNoClientHoldsIt() {
        byte[] v0 = dense.encode(filled(1f));
        sent.sent(0, 0, 1, v0);
        sent.sent(1, 0, 1, v0);
        float[] r0 = sent.reference(0, 0, 1);
        assertArrayEquals(filled(1f), r0);
        assertSame(r0, sent.reference(1, 0, 1));
        assertEquals(1, decodes.get());
        assertNull(sent.reference(0, 0, 2), "same version, another round");
        assertNull(sent.reference(2, 0, 1), "never sent to client 2");

        sent.release(0, 0, 1);
        assertNull(sent.reference(0, 0, 1));
        assertEquals(1, sent.versionsHeld());
        sent.release(1, 0, 1);
        assertEquals(0, sent.versionsHeld());
        assertEquals(0, sent.versionsDecoded());
    }

    @Test
    void aNewerSendReplacesAndAStaleReleaseDoesNothing() {
        sent.sent(0, 0, 0, dense.encode(filled(1f)));
        sent.sent(0, 1, 0, dense.encode(filled(2f)));
        assertEquals(1, sent.versionsHeld(), "version 0 had no other holder");
        sent.release(0, 0, 0); // a late answer about version 0
        assertArrayEquals(filled(2f), sent.reference(0, 1, 0));
        sent.release(0, 1, 0);
        assertEquals(0, sent.versionsHeld());
    }
}
