package io.fedprune.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.SerializerFactory;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.BooleanArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ByteArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.CharArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.DoubleArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.FloatArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.IntArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.LongArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ObjectArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.ShortArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultArraySerializers.StringArraySerializer;
import com.esotericsoftware.kryo.serializers.DefaultSerializers;
import com.esotericsoftware.kryo.serializers.FieldSerializer;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRefResolver;

/** What {@link KryoSerializer} installs and checks in every Kryo instance it builds. */
final class KryoDefaults {
    private KryoDefaults() {
    }

    /**
     * User-added default serializers take precedence over Kryo's built-in ones. Only the exact
     * classes registered by {@link CoreKryoRegistrations} (and their subclasses) are redirected to
     * the length-checking variants; everything else keeps Kryo's defaults.
     */
    static void install(Kryo kryo, ExtendedActorSystem system, Supplier<ActorRefResolver> resolver) {
        kryo.addDefaultSerializer(byte[].class, new BoundedArraySerializer<>(new ByteArraySerializer(), 1));
        kryo.addDefaultSerializer(boolean[].class, new BoundedArraySerializer<>(new BooleanArraySerializer(), 1));
        kryo.addDefaultSerializer(short[].class, new BoundedArraySerializer<>(new ShortArraySerializer(), 2));
        kryo.addDefaultSerializer(char[].class, new BoundedArraySerializer<>(new CharArraySerializer(), 2));
        kryo.addDefaultSerializer(int[].class, new BoundedArraySerializer<>(new IntArraySerializer(), 1));
        kryo.addDefaultSerializer(long[].class, new BoundedArraySerializer<>(new LongArraySerializer(), 1));
        kryo.addDefaultSerializer(float[].class, new BoundedArraySerializer<>(new FloatArraySerializer(), 4));
        kryo.addDefaultSerializer(double[].class, new BoundedArraySerializer<>(new DoubleArraySerializer(), 8));
        kryo.addDefaultSerializer(String[].class, new BoundedArraySerializer<>(new StringArraySerializer(), 1));
        kryo.addDefaultSerializer(Object[].class,
                factory((k, type) -> new BoundedArraySerializer<>(new ObjectArraySerializer(k, type), 1)));

        kryo.addDefaultSerializer(ArrayList.class, factory((k, type) -> new BoundedCollectionSerializer<>()));
        kryo.addDefaultSerializer(HashSet.class, factory((k, type) -> new BoundedCollectionSerializer<>()));
        kryo.addDefaultSerializer(LinkedHashSet.class, factory((k, type) -> new BoundedCollectionSerializer<>()));
        kryo.addDefaultSerializer(HashMap.class, factory((k, type) -> new BoundedMapSerializer<>()));
        kryo.addDefaultSerializer(LinkedHashMap.class, factory((k, type) -> new BoundedMapSerializer<>()));

        for (Class<?> jdkList : List.of(List.of().getClass(), List.of(1).getClass())) {
            kryo.addDefaultSerializer(jdkList, factory((k, type) -> FrozenCollectionSerializer.jdkList()));
        }
        for (Class<?> jdkSet : List.of(Set.of().getClass(), Set.of(1).getClass())) {
            kryo.addDefaultSerializer(jdkSet, factory((k, type) -> FrozenCollectionSerializer.jdkSet()));
        }
        for (Class<?> jdkMap : List.of(Map.of().getClass(), Map.of(1, 1).getClass())) {
            kryo.addDefaultSerializer(jdkMap, factory((k, type) -> FrozenMapSerializer.jdkMap()));
        }
        kryo.addDefaultSerializer(Collections.unmodifiableList(new ArrayList<>()).getClass(),
                factory((k, type) -> FrozenCollectionSerializer.unmodifiableList()));
        kryo.addDefaultSerializer(Collections.unmodifiableSet(new HashSet<>()).getClass(),
                factory((k, type) -> FrozenCollectionSerializer.unmodifiableSet()));
        kryo.addDefaultSerializer(Collections.unmodifiableMap(new HashMap<>()).getClass(),
                factory((k, type) -> FrozenMapSerializer.unmodifiableMap()));

        // Kryo ships a UUID serializer but does not install it by default.
        kryo.addDefaultSerializer(UUID.class, new DefaultSerializers.UUIDSerializer());

        kryo.addDefaultSerializer(org.apache.pekko.actor.typed.ActorRef.class,
                new TypedActorRefKryoSerializer(resolver));
        kryo.addDefaultSerializer(org.apache.pekko.actor.ActorRef.class, new ClassicActorRefKryoSerializer(system));
    }

    /**
     * Kryo falls back to {@link FieldSerializer} for plain classes, which needs a no-arg
     * constructor to instantiate on read. Detect a class that would fail on the receiving node
     * at start-up instead.
     */
    static void checkInstantiable(Registration registration, KryoRegistrationTable.Entry e) {
        Class<?> type = e.type();
        if (!(registration.getSerializer() instanceof FieldSerializer)
                || type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            return;
        }
        try {
            type.getDeclaredConstructor();
        } catch (NoSuchMethodException ex) {
            throw new IllegalStateException(e.provider() + " registers " + type.getName()
                    + ", which is neither a record nor has a no-arg constructor, so Kryo could not"
                    + " recreate it on the receiving node. Make it a record (preferred) or add a no-arg constructor.");
        }
    }

    @SuppressWarnings({"rawtypes", "unchecked"}) // Kryo's SerializerFactory is raw-typed
    private static SerializerFactory<Serializer> factory(BiFunction<Kryo, Class, Serializer> create) {
        return new SerializerFactory.BaseSerializerFactory<>() {
            @Override
            public Serializer newSerializer(Kryo kryo, Class type) {
                return create.apply(kryo, type);
            }
        };
    }
}
