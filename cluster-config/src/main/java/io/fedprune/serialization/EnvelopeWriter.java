package io.fedprune.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Output;
import java.io.OutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Writes one framed message ({@link ChecksumFrame}: checksum, then the Kryo stream) straight into
 * the buffer Artery sends from, instead of into a growing heap array that is then copied to an
 * exact-length array and copied again into Artery's buffer. Kryo writes through a fixed 64 KiB
 * chunk that is flushed into the target buffer, so a model of any size costs two cache-sized
 * copies and no allocation. The bytes are exactly those of {@link KryoSerializer#toBinary(Object)}
 * (the same {@link Output} encoding, only flushed in chunks).
 *
 * <p>Not thread-safe: one per thread at a time (pooled by {@link KryoSerializer}).
 */
final class EnvelopeWriter {
    static final int CHUNK_BYTES = 64 * 1024;

    private final Output output = new Output(CHUNK_BYTES, CHUNK_BYTES);
    private final Target target = new Target();

    /**
     * Writes {@code message}'s frame into {@code buf} from its position and moves the position
     * past it. On failure {@code buf}'s position, limit and byte order are unchanged.
     *
     * @param maxBytes the most this message may take (besides {@code buf}'s remaining room)
     * @throws BufferOverflowException (possibly as the cause of a Kryo exception) if the frame
     *         needs more than {@code min(buf.remaining(), maxBytes)} bytes
     */
    void write(Kryo kryo, Object message, ByteBuffer buf, int maxBytes) {
        int start = buf.position();
        ByteBuffer window = buf.duplicate(); // Artery's buffer keeps its own limit and byte order
        window.limit(start + Math.min(buf.remaining(), maxBytes));
        target.buffer = window;
        output.setOutputStream(target);
        try {
            output.writeInt(0); // room for the checksum, as in toBinary
            kryo.writeClassAndObject(output, message);
            output.flush();
        } finally {
            output.setOutputStream(null);
            target.buffer = null;
        }
        int end = window.position();
        ChecksumFrame.seal(buf, start, end);
        buf.position(end);
    }

    /** Appends to a buffer and refuses, rather than grows, when it is full. */
    private static final class Target extends OutputStream {
        ByteBuffer buffer;

        @Override
        public void write(int b) {
            if (!buffer.hasRemaining()) {
                throw new BufferOverflowException();
            }
            buffer.put((byte) b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (buffer.remaining() < len) {
                throw new BufferOverflowException();
            }
            buffer.put(b, off, len);
        }
    }
}
