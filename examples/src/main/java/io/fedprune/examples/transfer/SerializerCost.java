package io.fedprune.examples.transfer;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.pekko.serialization.ByteBufferSerializer;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.Serializer;
import org.apache.pekko.serialization.Serializers;

/**
 * What serializing and deserializing one message costs the node, measured in this thread the way
 * Artery calls the serializer (into and out of a direct little-endian envelope buffer): CPU time
 * and heap bytes allocated per message. Thread CPU time is far less sensitive to other processes
 * than wall time, and allocation is exact, so this explains a transfer ratio where the transfer
 * figures themselves are noisy.
 */
public final class SerializerCost {

    /**
     * Per message: CPU microseconds and allocated bytes to write into the envelope buffer
     * ({@code send}) and to read back from it ({@code receive}); {@code arraySend} is the byte-array
     * path Artery takes for a serializer that is not a {@link ByteBufferSerializer}
     * ({@code toBinary}, then a copy into the buffer), for comparison.
     */
    public record Cost(double sendMicros, long sendBytes, double receiveMicros, long receiveBytes,
                       double arraySendMicros, long arraySendBytes) {
    }

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private SerializerCost() {
    }

    /** Averages over {@code n} messages after {@code n} warm-up ones. */
    public static Cost of(Serialization serialization, Object message, int n) {
        Serializer serializer = serialization.findSerializerFor(message);
        String manifest = Serializers.manifestFor(serializer, message);
        ByteBuffer envelope = ByteBuffer.allocateDirect(serialization.serialize(message).get().length + 64)
                .order(ByteOrder.LITTLE_ENDIAN);
        long[] send = measure(n, () -> {
            envelope.clear();
            if (serializer instanceof ByteBufferSerializer b) {
                b.toBinary(message, envelope);
            } else {
                envelope.put(serializer.toBinary(message));
            }
        });
        int length = envelope.position();
        long[] receive = measure(n, () -> {
            ByteBuffer in = envelope.duplicate().order(ByteOrder.LITTLE_ENDIAN);
            in.position(0).limit(length);
            try {
                serialization.deserializeByteBuffer(in, serializer.identifier(), manifest);
            } catch (java.io.NotSerializableException e) {
                throw new IllegalStateException("cannot read back " + message.getClass().getName(), e);
            }
        });
        long[] arraySend = measure(n, () -> {
            envelope.clear();
            envelope.put(serializer.toBinary(message));
        });
        return new Cost(send[0] / 1e3 / n, send[1] / n, receive[0] / 1e3 / n, receive[1] / n,
                arraySend[0] / 1e3 / n, arraySend[1] / n);
    }

    /** {CPU ns, allocated bytes} of {@code n} runs, after {@code n} warm-up runs. */
    private static long[] measure(int n, Runnable step) {
        for (int i = 0; i < n; i++) {
            step.run();
        }
        long thread = Thread.currentThread().getId();
        long cpu = THREADS.getCurrentThreadCpuTime();
        long allocated = THREADS.getThreadAllocatedBytes(thread);
        for (int i = 0; i < n; i++) {
            step.run();
        }
        return new long[] {THREADS.getCurrentThreadCpuTime() - cpu, THREADS.getThreadAllocatedBytes(thread) - allocated};
    }
}
