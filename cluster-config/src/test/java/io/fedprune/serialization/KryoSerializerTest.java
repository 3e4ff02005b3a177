package io.fedprune.serialization;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.esotericsoftware.kryo.io.Output;
import io.fedprune.serialization.TestMessages.Containers;
import io.fedprune.serialization.TestMessages.Holder;
import io.fedprune.serialization.TestMessages.Inner;
import io.fedprune.serialization.TestMessages.Kind;
import io.fedprune.serialization.TestMessages.NotRegistered;
import io.fedprune.serialization.TestMessages.Payload;
import io.fedprune.serialization.TestMessages.Ping;
import io.fedprune.serialization.TestMessages.Pong;
import io.fedprune.serialization.TestMessages.UnregisteredMessage;
import java.io.NotSerializableException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.LoggingTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** KryoSerializer inside a local actor system configured with {@link FedpruneConfig#testing()}. */
class KryoSerializerTest {

    // One system per class: TestKitJUnit5Extension-style per-method kits leak ActorSystems.
    private static ActorTestKit testKit;
    private static KryoSerializer serializer;

    @BeforeAll
    static void setUp() {
        testKit = ActorTestKit.create("KryoSerializerTest", FedpruneConfig.testing());
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
        serializer = (KryoSerializer) serialization.findSerializerFor(new Pong("probe"));
    }

    @AfterAll
    static void tearDown() {
        testKit.shutdownTestKit();
    }

    private static Object roundTrip(Object message) throws NotSerializableException {
        byte[] bytes = serializer.toBinary(message);
        return serializer.fromBinary(bytes, serializer.manifest(message));
    }

    private static NotSerializableException rejects(byte[] bytes) {
        return assertThrows(NotSerializableException.class, () -> serializer.fromBinary(bytes, KryoSerializer.MANIFEST));
    }

    /**
     * Raw Kryo stream written by hand, for forged input, in a frame with a matching checksum (a
     * forger can compute it): what the decoder behind the checksum must still refuse.
     */
    private static byte[] forge(Consumer<Output> writer) {
        Output out = new Output(64, -1);
        out.writeInt(0);
        writer.accept(out);
        return ChecksumFrame.seal(out.toBytes());
    }

    private static void classId(Output out, Class<?> type) {
        out.writeVarInt(TestKryoRegistrations.idOf(type) + 2, true); // Kryo writes id + 2
    }

    @Test
    void wireMessagesAreBoundToKryoSerializer() {
        Serialization serialization = SerializationExtension.get(Adapter.toClassic(testKit.system()));
        Serializer found = serialization.findSerializerFor(new Pong("x"));
        assertInstanceOf(KryoSerializer.class, found);
        assertEquals(KryoSerializer.IDENTIFIER, found.identifier());
    }

    @Test
    void recordWithArraysEnumNestedRecordAndActorRefRoundTrips() throws Exception {
        TestProbe<Pong> probe = testKit.createTestProbe();
        Payload original = new Payload(new byte[] {1, 2, 3, -128}, new float[] {0.5f, -1.25f, Float.NaN},
                "client-7 ünïcödé", Kind.SPARSE, new Inner(3, 0.125, List.of("a", "b")), probe.getRef());

        Payload copy = (Payload) roundTrip(original);

        assertArrayEquals(original.bytes(), copy.bytes());
        assertArrayEquals(original.weights(), copy.weights());
        assertEquals(original.name(), copy.name());
        assertEquals(Kind.SPARSE, copy.kind());
        assertEquals(original.inner(), copy.inner());
        assertEquals(original.replyTo(), copy.replyTo());

        // The deserialized ref still delivers to the probe.
        copy.replyTo().tell(new Pong("via deserialized ref"));
        probe.expectMessage(new Pong("via deserialized ref"));
    }

    @Test
    void classicActorRefRoundTripsAndDelivers() throws Exception {
        TestProbe<Pong> probe = testKit.createTestProbe();
        org.apache.pekko.actor.ActorRef classic = Adapter.toClassic(probe.getRef());

        Holder copy = (Holder) roundTrip(new Holder(classic));

        assertEquals(classic, copy.value());
        ((org.apache.pekko.actor.ActorRef) copy.value()).tell(new Pong("classic"), org.apache.pekko.actor.ActorRef.noSender());
        probe.expectMessage(new Pong("classic"));
    }

    @Test
    void concurrentUseIsSafe() throws Exception {
        TestProbe<Pong> probe = testKit.createTestProbe();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 300; i++) {
                        float[] weights = new float[1 + (i % 50)];
                        Arrays.fill(weights, thread * 1000 + i);
                        Payload original = new Payload(new byte[] {(byte) i}, weights, "t" + thread, Kind.DENSE,
                                new Inner(i, i, List.of("r" + i)), probe.getRef());
                        Payload copy = (Payload) roundTrip(original);
                        assertArrayEquals(weights, copy.weights());
                        assertEquals(original.inner(), copy.inner());
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void collectionsAndValueTypesRoundTrip() throws Exception {
        List<Object> values = new ArrayList<>();
        values.add(List.of(1, 2, 3));
        values.add(List.of("single"));
        values.add(Stream.of("x", null).toList()); // immutable list that allows null
        values.add(Set.of("s"));
        values.add(Map.of("k", 1L));
        values.add(Collections.emptyList());
        values.add(Collections.singletonList(4));
        values.add(Collections.unmodifiableList(new ArrayList<>(List.of(5, 6))));
        values.add(new LinkedHashMap<>(Map.of("a", 1)));
        values.add(UUID.randomUUID());
        values.add(Instant.ofEpochSecond(1_700_000_000L, 5));
        values.add(Duration.ofMillis(1500));
        values.add(Optional.of("opt"));
        values.add(new int[] {1, -2});
        values.add(new double[] {1.5});
        values.add(new String[] {"p", null});
        values.add(null);
        HashMap<String, Integer> map = new HashMap<>(Map.of("x", 1, "y", 2));
        float[][] matrix = {{1f, 2f}, {3f}, null};

        Containers copy = (Containers) roundTrip(new Containers(values, map, matrix));

        assertEquals(values.size(), copy.list().size());
        for (int i = 0; i < values.size(); i++) {
            Object expected = values.get(i);
            Object actual = copy.list().get(i);
            if (expected instanceof int[] a) {
                assertArrayEquals(a, (int[]) actual);
            } else if (expected instanceof double[] a) {
                assertArrayEquals(a, (double[]) actual);
            } else if (expected instanceof Object[] a) {
                assertArrayEquals(a, (Object[]) actual);
            } else {
                assertEquals(expected, actual, "element " + i);
            }
        }
        assertEquals(map, copy.map());
        assertEquals(matrix.length, copy.matrix().length);
        assertArrayEquals(matrix[0], copy.matrix()[0]);
        assertArrayEquals(matrix[1], copy.matrix()[1]);
        assertEquals(null, copy.matrix()[2]);
        // Immutable stays immutable.
        assertThrows(UnsupportedOperationException.class, () -> ((List<?>) copy.list().get(0)).add(null));
    }

    @Test
    void tenMegabyteMessageRoundTripsWithExactLengthBytes() throws Exception {
        byte[] data = new byte[10 * 1024 * 1024];
        new Random(42).nextBytes(data);
        Holder original = new Holder(data);

        byte[] bytes = serializer.toBinary(original);
        // checksum (4) + class id (3 bytes) + byte[] class id (1) + length varint (4) + data: no slack from buffer growth
        assertTrue(bytes.length < data.length + 16, "exact-length output, got " + bytes.length);
        Holder copy = (Holder) serializer.fromBinary(bytes, KryoSerializer.MANIFEST);
        assertArrayEquals(data, (byte[]) copy.value());
        // The pool must not hold on to the 16 MB buffer; a small message still works afterwards.
        assertEquals(new Pong("after"), roundTrip(new Pong("after")));
    }

    @Test
    void unregisteredClassFailsWithClearMessage() {
        IllegalArgumentException top = assertThrows(IllegalArgumentException.class,
                () -> serializer.toBinary(new UnregisteredMessage("x")));
        assertTrue(top.getMessage().contains(UnregisteredMessage.class.getName()), top.getMessage());
        assertTrue(top.getMessage().contains("KryoRegistrations"), top.getMessage());

        IllegalArgumentException nested = assertThrows(IllegalArgumentException.class,
                () -> serializer.toBinary(new Holder(new NotRegistered("x"))));
        assertTrue(nested.getMessage().contains(NotRegistered.class.getName()), nested.getMessage());
        assertTrue(nested.getMessage().contains("KryoRegistrations"), nested.getMessage());

        // The serializer is still usable after the failure (the broken Kryo was discarded).
        assertEquals(new Pong("ok"), assertDoesNotThrow(() -> roundTrip(new Pong("ok"))));
    }

    @Test
    void nonWireMessageIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> serializer.toBinary("plain string"));
    }

    @Test
    void truncatedBytesAreRejected() {
        byte[] bytes = serializer.toBinary(new Payload(new byte[100], new float[50], "name", Kind.DENSE,
                new Inner(1, 2.0, List.of("t")), null));
        for (int cut : new int[] {1, 2, 4}) {
            NotSerializableException e = rejects(Arrays.copyOf(bytes, cut));
            assertTrue(e.getMessage().contains("shorter than its 4-byte checksum"), e.getMessage());
        }
        for (int cut : new int[] {5, bytes.length / 2, bytes.length - 1}) {
            NotSerializableException e = rejects(Arrays.copyOf(bytes, cut));
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
            // With a checksum that matches the cut stream, Kryo itself finds it incomplete.
            NotSerializableException behind = rejects(ChecksumFrame.seal(Arrays.copyOf(bytes, cut)));
            assertTrue(behind.getMessage().startsWith("Cannot deserialize fedprune Kryo message"), behind.getMessage());
            assertTrue(!behind.getMessage().contains("checksum"), behind.getMessage());
        }
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] bytes = serializer.toBinary(new Pong("x"));
        NotSerializableException e = rejects(Arrays.copyOf(bytes, bytes.length + 1));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        NotSerializableException behind = rejects(ChecksumFrame.seal(Arrays.copyOf(bytes, bytes.length + 1)));
        assertTrue(behind.getMessage().contains("trailing"), behind.getMessage());
    }

    @Test
    void framesCarryACrc32cOfTheKryoStreamCheckedBeforeKryoReadsAnything() {
        byte[] bytes = serializer.toBinary(new Pong("framed"));
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(bytes, 4, bytes.length - 4);
        int stored = java.nio.ByteBuffer.wrap(bytes, 0, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt();
        assertEquals((int) crc.getValue(), stored, "little-endian CRC32C of everything after the frame");
        // Every single-bit change, in the frame or the stream, is rejected as damage.
        for (int bit = 0; bit < 8 * bytes.length; bit++) {
            byte[] bad = bytes.clone();
            bad[bit / 8] ^= (byte) (1 << (bit % 8));
            NotSerializableException e = rejects(bad);
            assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        }
        // A K1 message (the stream without a frame) is refused by its manifest.
        byte[] k1 = Arrays.copyOfRange(bytes, 4, bytes.length);
        NotSerializableException e = assertThrows(NotSerializableException.class, () -> serializer.fromBinary(k1, "K1"));
        assertTrue(e.getMessage().contains("incompatible"), e.getMessage());
        assertEquals(new Pong("framed"), assertDoesNotThrow(() -> serializer.fromBinary(bytes, KryoSerializer.MANIFEST)));
    }

    @Test
    void randomGarbageIsRejected() {
        Random random = new Random(7);
        for (int i = 0; i < 500; i++) {
            byte[] garbage = new byte[1 + random.nextInt(64)];
            random.nextBytes(garbage);
            rejects(garbage);
        }
    }

    @Test
    void unknownClassIdIsRejected() {
        NotSerializableException e = rejects(forge(out -> out.writeVarInt(999_999 + 2, true)));
        assertTrue(e.getMessage().contains("unregistered class ID"), e.getMessage());
    }

    @Test
    void registeredButNonWireMessageTopLevelIsRejected() {
        NotSerializableException e = rejects(forge(out -> {
            classId(out, ArrayList.class);
            out.writeByte(1); // empty collection
        }));
        assertTrue(e.getMessage().contains("not a WireMessage"), e.getMessage());
    }

    @Test
    void wrongManifestEmptyAndOversizedInputAreRejected() {
        byte[] bytes = serializer.toBinary(new Pong("x"));
        assertThrows(NotSerializableException.class, () -> serializer.fromBinary(bytes, "K0"));
        rejects(new byte[0]);
        NotSerializableException e = rejects(new byte[64 * 1024 * 1024 + 1]);
        assertTrue(e.getMessage().contains("max-message-bytes"), e.getMessage());
    }

    @Test
    void forgedHugeLengthsAreRejectedWithoutAllocating() {
        long heapBefore = Runtime.getRuntime().totalMemory();
        List<byte[]> forged = List.of(
                // byte[] claiming 2^31-2 elements
                forge(out -> { classId(out, Holder.class); classId(out, byte[].class); out.writeVarInt(Integer.MAX_VALUE, true); }),
                // double[] claiming 2^28 elements (2 GiB)
                forge(out -> { classId(out, Holder.class); classId(out, double[].class); out.writeVarInt(1 << 28, true); }),
                // boolean[] (allocated by the serializer, not by Input)
                forge(out -> { classId(out, Holder.class); classId(out, boolean[].class); out.writeVarInt(Integer.MAX_VALUE, true); }),
                // float[][] outer array
                forge(out -> { classId(out, Holder.class); classId(out, float[][].class); out.writeVarInt(Integer.MAX_VALUE, true); }),
                // String[]
                forge(out -> { classId(out, Holder.class); classId(out, String[].class); out.writeVarInt(Integer.MAX_VALUE, true); }),
                // non-ASCII string claiming 2^30 chars
                forge(out -> { classId(out, Holder.class); out.writeVarInt(1 + 2, true); out.writeVarIntFlag(true, 1 << 30, true); }),
                // ArrayList of 2^31-2 elements
                forge(out -> { classId(out, Holder.class); classId(out, ArrayList.class); out.writeVarInt(Integer.MAX_VALUE, true); }),
                // HashMap
                forge(out -> { classId(out, Holder.class); classId(out, HashMap.class); out.writeVarInt(Integer.MAX_VALUE, true); }),
                // List.of(...)
                forge(out -> { classId(out, Holder.class); classId(out, List.of().getClass()); out.writeVarInt(Integer.MAX_VALUE, true); }),
                // Map.of(...)
                forge(out -> { classId(out, Holder.class); classId(out, Map.of().getClass()); out.writeVarInt(Integer.MAX_VALUE, true); }));
        for (byte[] bytes : forged) {
            NotSerializableException e = rejects(bytes);
            assertTrue(e.getMessage().contains("claims"), e.getMessage());
            // Artery's path reads from its (direct) buffer with the same checks
            java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocateDirect(bytes.length).order(java.nio.ByteOrder.LITTLE_ENDIAN);
            buf.put(bytes).flip();
            NotSerializableException viaBuffer = assertThrows(NotSerializableException.class,
                    () -> serializer.fromBinary(buf, KryoSerializer.MANIFEST));
            assertEquals(e.getMessage(), viaBuffer.getMessage());
        }
        assertTrue(Runtime.getRuntime().totalMemory() - heapBefore < 512L * 1024 * 1024, "no huge allocation");
    }

    @Test
    void forgedDeepNestingIsRejectedWithoutStackOverflow() {
        NotSerializableException e = rejects(forge(out -> {
            for (int i = 0; i < 100_000; i++) {
                classId(out, Holder.class);
            }
        }));
        assertTrue(e.getMessage().toLowerCase().contains("depth"), e.getMessage());
    }

    // ---- serialize-messages = on: messages between actors go through the serializer ----

    private static Behavior<Ping> echo() {
        return Behaviors.receiveMessage(ping -> {
            ping.replyTo().tell(new Pong(String.valueOf(ping.payload())));
            return Behaviors.same();
        });
    }

    private static boolean causeMentions(Throwable t, String text) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (String.valueOf(c.getMessage()).contains(text)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void messagesBetweenActorsAreSerializedAndUnregisteredOnesAreDropped() {
        ActorRef<Ping> echo = testKit.spawn(echo(), "echo");
        TestProbe<Pong> probe = testKit.createTestProbe();

        echo.tell(new Ping(List.of(1, 2), probe.getRef()));
        probe.expectMessage(new Pong("[1, 2]"));

        // A payload with an unregistered nested class cannot be serialized: Pekko logs the
        // failure and drops the message instead of delivering it.
        // (Pekko wraps our IllegalArgumentException in its own SerializationCheckFailedException.)
        LoggingTestKit.empty()
                .withLogLevel(Level.ERROR)
                .withCustom(event -> causeMentions(event.getThrowable().orElse(null), NotRegistered.class.getName()))
                .expect(testKit.system(), () -> {
                    echo.tell(new Ping(new NotRegistered("local only"), probe.getRef()));
                    return null;
                });
        probe.expectNoMessage(Duration.ofMillis(300));

        // The actor and the serializer are unaffected.
        echo.tell(new Ping("again", probe.getRef()));
        probe.expectMessage(new Pong("again"));
        testKit.stop(echo);
    }

}
