package io.fedprune.examples.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.fedprune.examples.mutate.MutationProbe;
import io.fedprune.serialization.ChecksumFrame;
import io.fedprune.serialization.FedpruneConfig;
import io.fedprune.serialization.WireMessage;
import java.io.NotSerializableException;
import java.util.Arrays;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.junit.jupiter.api.AfterAll;

/**
 * Coverage-guided fuzz target (Jazzer) for the Kryo wire format with every class any
 * {@code KryoRegistrations} provider registers (core values, every actor protocol, the examples'
 * probe): {@code fromBinary} of arbitrary bytes must give a {@link WireMessage} or a
 * {@link NotSerializableException} (Pekko drops the message, keeps the connection), never another
 * exception, a hang or an out-of-memory error; and what it accepted must serialize again to bytes
 * that decode to the same bytes (a node can forward what it received).
 *
 * <p>Input byte 0 bit 0: 0 = the rest is a whole frame as it came off the wire (checksum
 * included); 1 = the rest is a Kryo stream, framed here with its correct CRC32C (a fuzzer cannot
 * forge one), which is what reaches Kryo. Seeds: one serialized sample of every registered class
 * ({@link KryoFuzzSeeds}). {@code scripts/fuzz.sh kryo 600} fuzzes it for ten minutes.
 */
class KryoFuzzTest {
    private static final String MANIFEST = "K2";
    private static ActorSystem<Void> system;
    private static SerializerWithStringManifest serializer;

    static synchronized SerializerWithStringManifest serializer() {
        if (serializer == null) {
            system = ActorSystem.create(Behaviors.empty(), "kryo-fuzz", FedpruneConfig.local());
            serializer = (SerializerWithStringManifest) SerializationExtension.get(Adapter.toClassic(system))
                    .findSerializerFor(new MutationProbe("probe"));
        }
        return serializer;
    }

    @AfterAll
    static synchronized void stop() {
        if (system != null) {
            system.terminate();
            system = null;
            serializer = null;
        }
    }

    @FuzzTest
    void fromBinary(byte[] data) throws NotSerializableException {
        if (data.length < 1) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        byte[] frame = (data[0] & 1) == 0 ? rest : frame(rest);
        SerializerWithStringManifest s = serializer();
        Object decoded;
        try {
            decoded = s.fromBinary(frame, MANIFEST);
        } catch (NotSerializableException refused) {
            return;
        }
        assertInstanceOf(WireMessage.class, decoded);
        byte[] again = s.toBinary(decoded);
        assertArrayEquals(again, s.toBinary(s.fromBinary(again, MANIFEST)), "re-serialization is stable");
    }

    /** {@code stream} behind a correct CRC32C: the frame a sender would have made of it. */
    static byte[] frame(byte[] stream) {
        byte[] framed = new byte[ChecksumFrame.FRAME_BYTES + stream.length];
        System.arraycopy(stream, 0, framed, ChecksumFrame.FRAME_BYTES, stream.length);
        return ChecksumFrame.seal(framed);
    }
}
