package io.fedprune.serialization;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Registrations for JDK and Pekko types that fedprune messages commonly contain and that Kryo
 * does not register by itself (Kryo 5 only pre-registers the primitives, their boxes and
 * {@link String}; arrays and collections are <em>not</em> registered).
 *
 * <p>Id block 100..999. <strong>Append only</strong>: the position in {@link #classes()} is the
 * wire id.
 *
 * <p>The JDK-internal immutable collection classes ({@code List.of}, {@code Set.of},
 * {@code Map.of}, {@code Collections.unmodifiable*}, {@code Stream.toList()}) are registered via
 * {@code getClass()} of a sample instance because they are not public; record components are
 * typically built with {@code List.copyOf}/{@code Map.copyOf} in compact constructors, and these
 * collections would otherwise fail with "class is not registered".
 */
public final class CoreKryoRegistrations implements KryoRegistrations {

    /** Id of the first class below. */
    public static final int ID_BASE = 100;

    private static final List<Class<?>> CLASSES = List.of(
            // 100..108: one-dimensional arrays (model parameters, masks, indices)
            byte[].class,
            boolean[].class,
            short[].class,
            char[].class,
            int[].class,
            long[].class,
            float[].class,
            double[].class,
            String[].class,
            // 109..113: two-dimensional arrays (per-layer parameter blocks)
            byte[][].class,
            int[][].class,
            long[][].class,
            float[][].class,
            double[][].class,
            // 114..118: mutable collections
            ArrayList.class,
            HashMap.class,
            LinkedHashMap.class,
            HashSet.class,
            LinkedHashSet.class,
            // 119..124: JDK immutable collections (List.of, List.copyOf, Stream.toList, Set.of, Map.of)
            List.of().getClass(),            // ImmutableCollections.ListN
            List.of(1).getClass(),           // ImmutableCollections.List12
            Set.of().getClass(),             // ImmutableCollections.SetN
            Set.of(1).getClass(),            // ImmutableCollections.Set12
            Map.of().getClass(),             // ImmutableCollections.MapN
            Map.of(1, 1).getClass(),         // ImmutableCollections.Map1
            // 125..130: java.util.Collections singletons and empties
            Collections.emptyList().getClass(),
            Collections.emptySet().getClass(),
            Collections.emptyMap().getClass(),
            Collections.singletonList(1).getClass(),
            Collections.singleton(1).getClass(),
            Collections.singletonMap(1, 1).getClass(),
            // 131..133: Collections.unmodifiable* views (deserialized as unmodifiable copies)
            Collections.unmodifiableList(new ArrayList<>()).getClass(),
            Collections.unmodifiableSet(new HashSet<>()).getClass(),
            Collections.unmodifiableMap(new HashMap<>()).getClass(),
            // 134..137: small value types with Kryo default serializers
            UUID.class,
            Instant.class,
            Duration.class,
            Optional.class,
            // 138..139: actor references. Every concrete implementation class is mapped onto
            // these two registrations by the serializer, which writes the ref's serialization
            // format (path with address) and resolves it on the receiving node.
            org.apache.pekko.actor.typed.ActorRef.class,
            org.apache.pekko.actor.ActorRef.class);

    @Override
    public int idBase() {
        return ID_BASE;
    }

    @Override
    public List<Class<?>> classes() {
        return CLASSES;
    }
}
