package io.fedprune.examples.mutate;

import io.fedprune.serialization.KryoRegistrations;
import io.fedprune.serialization.WireMessage;
import java.io.NotSerializableException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.UUID;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.serialization.ByteBufferSerializer;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * Mutation campaign over the Kryo wire: one sample message per class that any
 * {@link KryoRegistrations} provider on the class path registers (core: arrays, collections,
 * value types, actor refs; actors: every protocol message; examples: {@link MutationProbe}),
 * serialized by the system's serializer, mutated, and handed to {@code fromBinary}. A registered
 * class that is not a {@link WireMessage} travels inside a {@link MutationProbe}. Samples of
 * record messages are built through their canonical constructor from the component types, so a
 * redesigned protocol is covered without changes here.
 */
public final class KryoMutations {
    private final ActorSystem<?> system;
    private final SerializerWithStringManifest serializer;
    private final ActorRef<Object> ref;
    // a direct buffer per thread, reused: allocating one per decode would dominate the campaign
    private final ThreadLocal<ByteBuffer> envelope =
            ThreadLocal.withInitial(() -> ByteBuffer.allocateDirect(1 << 16).order(ByteOrder.LITTLE_ENDIAN));

    public KryoMutations(ActorSystem<?> system) {
        this.system = system;
        this.serializer = (SerializerWithStringManifest) SerializationExtension.get(Adapter.toClassic(system))
                .findSerializerFor(new MutationProbe("probe"));
        this.ref = system.systemActorOf(Behaviors.<Object>ignore(), "mutation-target", Props.empty());
    }

    /** Every registered class in id order (providers by id base, then list order). */
    public static List<Class<?>> registeredClasses() {
        List<KryoRegistrations> providers = new ArrayList<>();
        ServiceLoader.load(KryoRegistrations.class, KryoMutations.class.getClassLoader()).forEach(providers::add);
        providers.sort(Comparator.comparingInt(KryoRegistrations::idBase));
        List<Class<?>> out = new ArrayList<>();
        for (KryoRegistrations p : providers) {
            out.addAll(p.classes());
        }
        return out;
    }

    /** A message whose serialized form contains an instance of {@code type} at its top. */
    public WireMessage sample(Class<?> type, SplittableRandom rng) {
        if (WireMessage.class.isAssignableFrom(type)) {
            return (WireMessage) value(type, rng, 0);
        }
        return new MutationProbe(value(type, rng, 0));
    }

    private Object value(Class<?> type, SplittableRandom rng, int depth) {
        if (depth > 4) {
            throw new IllegalStateException("sample of " + type.getName() + " nests too deep");
        }
        Object known = known(type, rng);
        if (known != null) {
            return known;
        }
        if (type.isEnum()) {
            Object[] constants = type.getEnumConstants();
            return constants[rng.nextInt(constants.length)];
        }
        if (type == MutationProbe.class) {
            return new MutationProbe("probe " + rng.nextInt(1000));
        }
        if (type.isSealed()) {
            // a message field typed by a sealed protocol interface (Client.Response in
            // Aggregator.Responded): a sample of one of its permitted records
            Class<?>[] permitted = type.getPermittedSubclasses();
            return value(permitted[rng.nextInt(permitted.length)], rng, depth + 1);
        }
        if (type.isRecord()) {
            RecordComponent[] components = type.getRecordComponents();
            Class<?>[] types = Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new);
            Object[] args = new Object[types.length];
            for (int i = 0; i < args.length; i++) {
                args[i] = value(types[i], rng, depth + 1);
            }
            try {
                Constructor<?> c = type.getDeclaredConstructor(types);
                c.setAccessible(true);
                return c.newInstance(args);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot build a sample " + type.getName() + ": " + e, e);
            }
        }
        throw new IllegalStateException("no sample for registered class " + type.getName()
                + ": add one to KryoMutations.known");
    }

    /** Samples of the JDK, Pekko and primitive types messages are made of; null if {@code type} is none of them. */
    private Object known(Class<?> type, SplittableRandom rng) {
        if (type == int.class || type == Integer.class) {
            return rng.nextInt(1, 1000);
        }
        if (type == long.class || type == Long.class) {
            return rng.nextLong(1, 1L << 40);
        }
        if (type == double.class || type == Double.class) {
            return rng.nextDouble();
        }
        if (type == float.class || type == Float.class) {
            return (float) rng.nextDouble();
        }
        if (type == boolean.class || type == Boolean.class) {
            return rng.nextBoolean();
        }
        if (type == String.class) {
            return "client-" + rng.nextInt(100) + " ünïcödé";
        }
        if (type == ActorRef.class) {
            return ref;
        }
        if (type == org.apache.pekko.actor.ActorRef.class) {
            return Adapter.toClassic(ref);
        }
        if (type == Object.class) {
            return "object " + rng.nextInt(100);
        }
        if (type == io.fedprune.core.strategy.RoundOutcome.class) {
            // its counts must add up (the record refuses others): selected = answered + failed + dropped + stragglers
            int answered = rng.nextInt(10);
            return new io.fedprune.core.strategy.RoundOutcome(rng.nextLong(1, 1000), answered + 3, answered, 1, 1, 1);
        }
        if (type == List.class) {
            return List.of("a", "b");
        }
        if (type == Map.class) {
            return Map.of("k", 1);
        }
        if (type == Set.class) {
            return Set.of("s");
        }
        for (Object sample : jdkSamples(rng)) {
            if (sample.getClass() == type) {
                return sample;
            }
        }
        return null;
    }

    /** One instance of each JDK class CoreKryoRegistrations lists (matched by exact class). */
    private static List<Object> jdkSamples(SplittableRandom rng) {
        byte[] bytes = new byte[rng.nextInt(64, 1025)];
        rng.nextBytes(bytes);
        float[] floats = new float[rng.nextInt(16, 257)];
        for (int i = 0; i < floats.length; i++) {
            floats[i] = (float) rng.nextGaussian();
        }
        return List.of(bytes, new boolean[] {true, false, true}, new short[] {1, -2, 3}, new char[] {'a', 'ü'},
                new int[] {1, -2, rng.nextInt()}, new long[] {rng.nextLong(), 2}, floats,
                new double[] {rng.nextGaussian(), 0.5}, new String[] {"p", null, "q"},
                new byte[][] {{1, 2}, {3}}, new int[][] {{1}, {2, 3}}, new long[][] {{4L}}, new float[][] {{1f, 2f}, {}},
                new double[][] {{0.25}},
                new ArrayList<>(List.of(1, 2, 3)), new HashMap<>(Map.of("a", 1)),
                new LinkedHashMap<>(Map.of("b", 2L)), new HashSet<>(Set.of("x")), new LinkedHashSet<>(List.of(7, 8)),
                List.of(1, 2, 3), List.of(4), Set.of(1, 2, 3), Set.of(9), Map.of("k", 1, "l", 2), Map.of("m", 3),
                Collections.emptyList(), Collections.emptySet(), Collections.emptyMap(),
                Collections.singletonList(5), Collections.singleton(6), Collections.singletonMap("n", 4),
                Collections.unmodifiableList(new ArrayList<>(List.of(1, 2))),
                Collections.unmodifiableSet(new HashSet<>(Set.of(3))),
                Collections.unmodifiableMap(new HashMap<>(Map.of("o", 5))),
                new UUID(rng.nextLong(), rng.nextLong()), Instant.ofEpochSecond(1_700_000_000L + rng.nextInt(1000), 5),
                Duration.ofMillis(rng.nextInt(1, 100_000)), Optional.of("opt"));
    }

    public byte[] toBinary(WireMessage message) {
        return serializer.toBinary(message);
    }

    /**
     * {@code mutations} mutated serializations of {@code message} that differ from the original
     * (no-ops come on top), seeded, decoded and tallied.
     */
    public MutationTally run(String name, WireMessage message, long mutations, long seed) {
        String manifest = serializer.manifest(message);
        byte[] original = serializer.toBinary(message);
        try {
            byte[] again = serializer.toBinary(serializer.fromBinary(original, manifest));
            if (!Arrays.equals(original, again)) {
                throw new IllegalStateException(name + ": the sample does not re-serialize to the same bytes");
            }
        } catch (NotSerializableException e) {
            throw new IllegalStateException(name + ": the sample does not round-trip: " + e.getMessage(), e);
        }
        MutationTally t = new MutationTally(name);
        SplittableRandom rng = new SplittableRandom(seed ^ name.hashCode());
        while (t.mutations < mutations) {
            Mutation kind = Mutation.random(rng);
            byte[] m = kind.apply(original, rng);
            boolean same = Arrays.equals(m, original);
            if (!same) {
                t.mutations++;
            }
            long t0 = System.nanoTime();
            try {
                Object decoded = serializer.fromBinary(m, manifest);
                t.timed(System.nanoTime() - t0, kind);
                t.decoded(kind, same, () -> Arrays.equals(serializer.toBinary(decoded), original), m.length,
                        original.length);
            } catch (NotSerializableException e) {
                t.timed(System.nanoTime() - t0, kind);
                t.refused(kind, same, e.getMessage());
            } catch (RuntimeException | Error e) {
                t.timed(System.nanoTime() - t0, kind);
                t.failed(kind, e);
            }
            if (!same && m.length > 4) {
                // every fourth also through the buffer path: a re-sealed decode costs ~0.5 ms either way
                resealed(t, reseal(m), manifest, kind, t.mutations % 4 == 0);
            }
        }
        return t;
    }

    /**
     * A re-sealed payload is decoded from an array and, with {@code alsoBuffer}, from a direct
     * buffer too (Artery's receive path, {@code ByteBufferSerializer}); the two must agree (both
     * refuse, or both decode to the same message), else it counts as an other exception.
     */
    private void resealed(MutationTally t, byte[] m, String manifest, Mutation kind, boolean alsoBuffer) {
        if (!alsoBuffer) {
            t.resealed(kind, () -> serializer.fromBinary(m, manifest), NotSerializableException.class);
            return;
        }
        t.resealed(kind, () -> {
            Object fromArray;
            try {
                fromArray = serializer.fromBinary(m, manifest);
            } catch (NotSerializableException e) {
                try {
                    Object fromBuffer = fromBuffer(m, manifest);
                    throw new IllegalStateException("the buffer path decoded a " + fromBuffer.getClass().getName()
                            + " the array path refused (" + e.getMessage() + ")");
                } catch (NotSerializableException expected) {
                    throw e;
                }
            }
            Object fromBuffer = fromBuffer(m, manifest);
            if (!Arrays.equals(serializer.toBinary(fromArray), serializer.toBinary(fromBuffer))) {
                throw new IllegalStateException("the buffer path decoded a different message than the array path");
            }
        }, NotSerializableException.class);
    }

    private Object fromBuffer(byte[] m, String manifest) throws NotSerializableException {
        ByteBuffer buf = envelope.get();
        if (buf.capacity() < m.length + 3) {
            buf = ByteBuffer.allocateDirect(2 * (m.length + 3)).order(ByteOrder.LITTLE_ENDIAN);
            envelope.set(buf);
        }
        buf.clear();
        buf.put(new byte[3]).put(m).flip().position(3); // Artery's buffer: a header before the message
        return ((ByteBufferSerializer) serializer).fromBinary(buf, manifest);
    }

    /** The frame's CRC32C recomputed to match the (damaged) stream after it. */
    private static byte[] reseal(byte[] framed) {
        return io.fedprune.serialization.ChecksumFrame.seal(framed);
    }

    public ActorSystem<?> system() {
        return system;
    }
}
