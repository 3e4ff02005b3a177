package io.fedprune.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.KryoBufferOverflowException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import com.esotericsoftware.kryo.util.Pool;
import com.typesafe.config.Config;
import java.io.NotSerializableException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.ByteBufferSerializer;
import org.apache.pekko.serialization.SerializerWithStringManifest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pekko serializer for {@link WireMessage}s, backed by Kryo 5 with registration required.
 *
 * <p><b>Why {@link SerializerWithStringManifest} and not {@code JSerializer}.</b> Kryo writes the
 * registered class id itself, so no class manifest is needed; but {@code JSerializer}'s abstract
 * {@code fromBinaryJava} cannot declare {@link NotSerializableException}, which is the exception
 * Pekko expects for undecodable bytes (Artery then drops the message and keeps the connection).
 * {@code SerializerWithStringManifest.fromBinary} declares it. Its manifest is used as a constant
 * wire-format version ({@value #MANIFEST}): a node running an incompatible format fails with a
 * clear message instead of mis-decoding, at a cost of two bytes per message (Artery compresses
 * manifests).
 *
 * <p><b>Frame.</b> Since {@value #MANIFEST} a message is a 4-byte little-endian CRC32C
 * ({@link ChecksumFrame}) of the Kryo stream, then the stream. {@link #fromBinary(byte[], String)}
 * checks the checksum before Kryo reads a single byte, so bytes damaged on the way are a
 * {@link NotSerializableException} (Pekko drops the message, keeps the connection), never a
 * different message. Format {@code K1} (no checksum) is refused by its manifest.
 *
 * <p><b>Safety of input from the network.</b>
 * <ul>
 *   <li>Registration is required: only classes listed by a {@link KryoRegistrations} provider
 *       can be instantiated; the wire carries ids, never class names.</li>
 *   <li>References are off (messages are trees; cycles are a bug) and nesting depth is capped by
 *       {@code fedprune.serialization.max-depth} (no {@link StackOverflowError}).</li>
 *   <li>The CRC32C frame is checked before decoding (see <b>Frame</b>).</li>
 *   <li>Input larger than {@code max-message-bytes} is rejected before decoding, and every
 *       length read from the stream is checked against the bytes that remain before anything is
 *       allocated ({@link BoundedInput}, {@link BoundedArraySerializer},
 *       {@link BoundedCollectionSerializer}), so a forged length cannot cause an
 *       {@link OutOfMemoryError}.</li>
 *   <li>Any decoding failure, trailing bytes, or a top-level object that is not a
 *       {@link WireMessage} becomes a {@link NotSerializableException}.</li>
 * </ul>
 *
 * <p><b>Thread safety.</b> Kryo instances are not thread-safe; they are kept in a
 * {@link Pool}. A Kryo whose (de)serialization failed half-way is discarded, not pooled, since
 * its internal state (depth, generics stack) may be inconsistent.
 *
 * <p><b>Actor refs.</b> Typed and classic {@code ActorRef}s inside messages are written as their
 * serialization format and resolved on read ({@link TypedActorRefKryoSerializer}), so a ref
 * received from another node still delivers.
 */
public final class KryoSerializer extends SerializerWithStringManifest implements ByteBufferSerializer {

    /** Serializer identifier; must be unique among serializers and identical on all nodes. */
    public static final int IDENTIFIER = 730_001;

    /** Wire format version written as the Pekko manifest: K2 = CRC32C frame around the Kryo stream. */
    static final String MANIFEST = "K2";

    private static final int FRAME_BYTES = ChecksumFrame.FRAME_BYTES;

    private static final Logger LOG = LoggerFactory.getLogger(KryoSerializer.class);

    private final ExtendedActorSystem system;
    private final KryoRegistrationTable table;
    private final int maxMessageBytes;
    private final int initialBufferBytes;
    private final int pooledBufferMaxBytes;
    private final int maxDepth;
    private final Pool<Kryo> kryos;
    private final Pool<Output> outputs;
    private final Pool<EnvelopeWriter> writers;
    private volatile ActorRefResolver resolver;

    /** Called reflectively by Pekko's serialization extension. */
    public KryoSerializer(ExtendedActorSystem system) {
        this(system, KryoRegistrationTable.discover(system.dynamicAccess().classLoader()));
    }

    KryoSerializer(ExtendedActorSystem system, KryoRegistrationTable table) {
        this.system = system;
        this.table = table;
        Config settings = system.settings().config().getConfig("fedprune.serialization");
        this.maxMessageBytes = bytes(settings, "max-message-bytes");
        this.initialBufferBytes = Math.min(bytes(settings, "initial-buffer-bytes"), maxMessageBytes);
        this.pooledBufferMaxBytes = bytes(settings, "pooled-buffer-max-bytes");
        this.maxDepth = settings.getInt("max-depth");
        int poolSize = settings.getInt("pool-size");
        this.kryos = new Pool<>(true, false, poolSize) {
            @Override
            protected Kryo create() {
                return newKryo();
            }
        };
        this.outputs = new Pool<>(true, false, poolSize) {
            @Override
            protected Output create() {
                return new Output(initialBufferBytes, maxMessageBytes);
            }
        };
        this.writers = new Pool<>(true, false, poolSize) {
            @Override
            protected EnvelopeWriter create() {
                return new EnvelopeWriter();
            }
        };
        // Build one Kryo now: a bad registration must fail the actor system's start-up,
        // not the first message.
        kryos.free(kryos.obtain());
        LOG.info("fedprune Kryo serializer: {} registered classes, registration fingerprint {}",
                table.entries().size(), table.fingerprint());
    }

    @Override
    public int identifier() {
        return IDENTIFIER;
    }

    @Override
    public String manifest(Object o) {
        return MANIFEST;
    }

    /**
     * Short hash of the id-to-class table. Nodes with different fingerprints would mis-decode
     * each other's messages; comparing it is a cheap compatibility check.
     */
    public String registrationFingerprint() {
        return table.fingerprint();
    }

    /**
     * @throws IllegalArgumentException if {@code o} is not a {@link WireMessage}, contains a class
     *         that no {@link KryoRegistrations} provider registered (the message names it), or
     *         is larger than {@code fedprune.serialization.max-message-bytes}
     */
    @Override
    public byte[] toBinary(Object o) {
        if (!(o instanceof WireMessage)) {
            throw new IllegalArgumentException("KryoSerializer only serializes WireMessage, got "
                    + (o == null ? "null" : o.getClass().getName()));
        }
        Kryo kryo = kryos.obtain();
        Output output = outputs.obtain();
        boolean clean = false;
        try {
            output.writeInt(0); // room for the checksum
            kryo.writeClassAndObject(output, o);
            byte[] bytes = output.toBytes(); // exact-length copy
            clean = true;
            return ChecksumFrame.seal(bytes);
        } catch (RuntimeException e) {
            if (hasCause(e, KryoBufferOverflowException.class)) {
                throw new IllegalArgumentException("Cannot serialize " + o.getClass().getName()
                        + ": larger than fedprune.serialization.max-message-bytes = " + maxMessageBytes + " bytes", e);
            }
            throw new IllegalArgumentException("Cannot serialize " + o.getClass().getName() + ": " + e.getMessage(), e);
        } finally {
            if (clean) {
                kryos.free(kryo);
            }
            recycle(output);
        }
    }

    /**
     * Artery's path (Pekko uses it for a {@link ByteBufferSerializer}): the same bytes as
     * {@link #toBinary(Object)}, written straight into the envelope buffer by an
     * {@link EnvelopeWriter} (no growing array, no exact-length copy, no second copy into the
     * buffer: docs/BENCHMARKS.md, model transfer across nodes).
     *
     * @throws BufferOverflowException if the message does not fit in {@code buf} (Artery logs it
     *         as an oversized payload and drops the message, as for any serializer)
     * @throws IllegalArgumentException as {@link #toBinary(Object)}
     */
    @Override
    public void toBinary(Object o, ByteBuffer buf) {
        if (!(o instanceof WireMessage)) {
            throw new IllegalArgumentException("KryoSerializer only serializes WireMessage, got "
                    + (o == null ? "null" : o.getClass().getName()));
        }
        Kryo kryo = kryos.obtain();
        EnvelopeWriter writer = writers.obtain();
        boolean clean = false;
        try {
            writer.write(kryo, o, buf, maxMessageBytes);
            clean = true;
        } catch (RuntimeException e) {
            if (hasCause(e, BufferOverflowException.class)) {
                if (buf.remaining() > maxMessageBytes) {
                    throw new IllegalArgumentException("Cannot serialize " + o.getClass().getName()
                            + ": larger than fedprune.serialization.max-message-bytes = " + maxMessageBytes + " bytes", e);
                }
                throw new BufferOverflowException();
            }
            throw new IllegalArgumentException("Cannot serialize " + o.getClass().getName() + ": " + e.getMessage(), e);
        } finally {
            if (clean) {
                kryos.free(kryo);
            }
            writers.free(writer);
        }
    }

    /**
     * @throws NotSerializableException for an unknown manifest, a checksum mismatch, oversized,
     *         truncated, corrupt or trailing-garbage input, an unregistered class id, or a top-level
     *         object that is not a {@link WireMessage}. Never returns a partially decoded object.
     */
    @Override
    public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
        checkFrame(manifest, bytes == null ? -1 : bytes.length);
        checkChecksum(bytes.length, ChecksumFrame.stored(bytes), ChecksumFrame.checksum(bytes));
        return decode(new BoundedInput(bytes, FRAME_BYTES, bytes.length - FRAME_BYTES), bytes.length);
    }

    /**
     * Artery's receive path: the same checks as {@link #fromBinary(byte[], String)}, in the same
     * order, but the checksum is computed and the message read straight from the envelope buffer
     * ({@link BoundedBufferInput}), so a model is copied once (into its own array), not first into
     * an array holding the whole message. Consumes {@code buf}'s remaining bytes; its byte order is
     * unchanged.
     */
    @Override
    public Object fromBinary(ByteBuffer buf, String manifest) throws NotSerializableException {
        ByteBuffer frame = buf.slice(); // position 0 = the frame's first byte, independent of buf
        buf.position(buf.limit());
        int length = frame.remaining();
        checkFrame(manifest, length);
        checkChecksum(length, ChecksumFrame.stored(frame), ChecksumFrame.checksum(frame));
        return decode(new BoundedBufferInput(frame.position(FRAME_BYTES)), length);
    }

    /** Manifest and length (-1 = null) of a frame, before anything is read from it. */
    private void checkFrame(String manifest, int length) throws NotSerializableException {
        if (!MANIFEST.equals(manifest)) {
            throw new NotSerializableException("Unknown fedprune Kryo wire format [" + manifest + "], expected ["
                    + MANIFEST + "]: the sending node runs an incompatible fedprune version");
        }
        if (length <= FRAME_BYTES) {
            throw new NotSerializableException("fedprune Kryo message of " + (length < 0 ? "null" : length
                    + " bytes") + " is shorter than its " + FRAME_BYTES + "-byte checksum plus one byte");
        }
        if (length > maxMessageBytes) {
            throw new NotSerializableException("fedprune Kryo message of " + length
                    + " bytes exceeds fedprune.serialization.max-message-bytes = " + maxMessageBytes);
        }
    }

    private static void checkChecksum(int length, int stored, int actual) throws NotSerializableException {
        if (stored != actual) {
            throw notSerializable(length, String.format(
                    "checksum mismatch: CRC32C %08x stored, %08x computed (damaged on the way)", stored, actual), null);
        }
    }

    /** Reads one message from {@code input}, which must hold exactly that message. */
    private Object decode(Input input, int length) throws NotSerializableException {
        Kryo kryo = kryos.obtain();
        boolean clean = false;
        Object result;
        try {
            result = kryo.readClassAndObject(input);
            clean = true;
            int remaining = input.limit() - input.position();
            if (remaining != 0) {
                throw notSerializable(length, remaining + " trailing bytes after the message", null);
            }
        } catch (RuntimeException | StackOverflowError e) {
            throw notSerializable(length, String.valueOf(e.getMessage()), e);
        } finally {
            if (clean) {
                kryos.free(kryo);
            }
        }
        if (!(result instanceof WireMessage)) {
            throw notSerializable(length, "decoded a " + (result == null ? "null" : result.getClass().getName())
                    + ", which is not a WireMessage", null);
        }
        return result;
    }

    private static NotSerializableException notSerializable(int length, String reason, Throwable cause) {
        NotSerializableException e = new NotSerializableException(
                "Cannot deserialize fedprune Kryo message (" + length + " bytes): " + reason);
        if (cause != null) {
            e.initCause(cause);
        }
        return e;
    }

    private void recycle(Output output) {
        output.reset();
        // Keep pooled buffers small: one 10 MB model message must not pin 16 MB per pooled Output.
        if (output.getBuffer().length > pooledBufferMaxBytes) {
            output.setBuffer(new byte[initialBufferBytes], maxMessageBytes);
        }
        outputs.free(output);
    }

    private ActorRefResolver resolver() {
        ActorRefResolver r = resolver;
        if (r == null) {
            r = ActorRefResolver.get(Adapter.toTyped(system));
            resolver = r;
        }
        return r;
    }

    @SuppressWarnings("rawtypes") // Kryo's API uses raw Class parameters
    private Kryo newKryo() {
        Kryo kryo = new Kryo(new ActorRefClassResolver(), null) {
            @Override
            protected String unregisteredClassMessage(Class type) {
                return "Class is not registered for fedprune's Kryo serializer: " + type.getName()
                        + ". Add it to the classes() of a KryoRegistrations provider listed in "
                        + "META-INF/services/" + KryoRegistrations.class.getName()
                        + " (append only, so that Kryo ids stay identical on every node).";
            }
        };
        kryo.setRegistrationRequired(true);
        kryo.setReferences(false);
        kryo.setMaxDepth(maxDepth);
        kryo.setClassLoader(system.dynamicAccess().classLoader());
        KryoDefaults.install(kryo, system, this::resolver);
        for (KryoRegistrationTable.Entry e : table.entries()) {
            Registration registration;
            try {
                registration = kryo.register(e.type(), e.id());
            } catch (RuntimeException ex) {
                // Typically Kryo falling back to FieldSerializer for a JDK class whose fields
                // java.base does not open (InaccessibleObjectException).
                throw new IllegalStateException(e.provider() + " registers " + e.type().getName()
                        + ", but Kryo cannot build a serializer for it: " + ex, ex);
            }
            KryoDefaults.checkInstantiable(registration, e);
        }
        return kryo;
    }


    private static boolean hasCause(Throwable t, Class<? extends Throwable> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) {
                return true;
            }
        }
        return false;
    }

    private static int bytes(Config config, String path) {
        long value = config.getBytes(path);
        if (value <= 0 || value > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("fedprune.serialization." + path + " must be between 1 byte and 2 GiB, got " + value);
        }
        return (int) value;
    }
}
