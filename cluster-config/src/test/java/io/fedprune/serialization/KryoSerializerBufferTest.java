package io.fedprune.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fedprune.serialization.TestMessages.Holder;
import io.fedprune.serialization.TestMessages.Inner;
import io.fedprune.serialization.TestMessages.Kind;
import io.fedprune.serialization.TestMessages.Payload;
import io.fedprune.serialization.TestMessages.Pong;
import java.io.NotSerializableException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.ByteBufferSerializer;
import org.apache.pekko.serialization.SerializationExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The {@link ByteBufferSerializer} path Artery takes: the bytes written into the envelope buffer
 * are exactly {@link KryoSerializer#toBinary(Object)}'s (so nodes on either path understand each
 * other), whatever the size, start position and byte order of the buffer.
 */
class KryoSerializerBufferTest {
    private static ActorTestKit testKit;
    private static KryoSerializer serializer;

    @BeforeAll
    static void setUp() {
        testKit = ActorTestKit.create("KryoSerializerBufferTest", FedpruneConfig.testing());
        serializer = (KryoSerializer) SerializationExtension.get(Adapter.toClassic(testKit.system()))
                .findSerializerFor(new Pong("probe"));
    }

    @AfterAll
    static void tearDown() {
        testKit.shutdownTestKit();
    }

    private static List<Object> messages() {
        Random rng = new Random(7);
        byte[] chunkAndABit = new byte[EnvelopeWriter.CHUNK_BYTES + 17];
        byte[] model = new byte[3 * 1024 * 1024 + 5];
        rng.nextBytes(chunkAndABit);
        rng.nextBytes(model);
        float[] weights = new float[100_003];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) rng.nextGaussian();
        }
        return List.of(new Pong("small"), new Holder(chunkAndABit), new Holder(model),
                new Payload(model, weights, "model", Kind.SPARSE, new Inner(3, 0.25, List.of("a", "b")), testKit.createTestProbe(Pong.class).getRef()));
    }

    @Test
    void envelopeBytesAreExactlyTheArrayPathsAndReadBack() throws NotSerializableException {
        for (Object m : messages()) {
            byte[] expected = serializer.toBinary(m);
            for (boolean direct : new boolean[] {true, false}) {
                ByteBuffer buf = (direct ? ByteBuffer.allocateDirect(8 << 20) : ByteBuffer.allocate(8 << 20))
                        .order(ByteOrder.LITTLE_ENDIAN); // Artery's envelope buffers are little-endian
                buf.put(new byte[] {9, 9, 9}); // a header before the message, as Artery writes
                serializer.toBinary(m, buf);
                assertEquals(3 + expected.length, buf.position(), m.getClass().getSimpleName());
                assertEquals(ByteOrder.LITTLE_ENDIAN, buf.order());
                byte[] written = new byte[expected.length];
                buf.flip().position(3);
                ByteBuffer read = buf.duplicate().order(ByteOrder.LITTLE_ENDIAN);
                buf.get(written);
                assertArrayEquals(expected, written, m.getClass().getSimpleName() + (direct ? " direct" : " heap"));
                Object back = serializer.fromBinary(read, KryoSerializer.MANIFEST);
                assertArrayEquals(expected, serializer.toBinary(back), "decoded from the buffer");
            }
        }
    }

    @Test
    void aMessageLargerThanTheBufferOverflowsAndLeavesTheBufferAsItWas() {
        ByteBuffer buf = ByteBuffer.allocateDirect(200_000).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 1);
        // Artery turns a BufferOverflowException into "oversized payload", logged and dropped
        assertThrows(BufferOverflowException.class, () -> serializer.toBinary(new Holder(new byte[300_000]), buf));
        assertEquals(1, buf.position());
        assertEquals(200_000, buf.limit());
        serializer.toBinary(new Pong("fits"), buf); // the buffer is still usable
        assertEquals(1 + serializer.toBinary(new Pong("fits")).length, buf.position());
    }

    @Test
    void damagedBytesInTheBufferAreRejected() {
        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
        serializer.toBinary(new Holder(new byte[100_000]), buf);
        buf.put(50_000, (byte) (buf.get(50_000) ^ 1));
        buf.flip();
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(buf, KryoSerializer.MANIFEST));
    }
}
