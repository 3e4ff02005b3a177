package io.fedprune.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Serializer for unmodifiable JDK lists and sets ({@code List.of}, {@code Set.of},
 * {@code Stream.toList()}, {@code Collections.unmodifiableList/Set}).
 *
 * <p>These classes have no no-arg constructor and reject {@code add}, so Kryo's collection
 * serializer cannot rebuild them. We read into a mutable buffer and freeze it again. Kryo ships
 * equivalent serializers, but they are final and would bypass the size check of
 * {@link BoundedCollectionSerializer}.
 */
final class FrozenCollectionSerializer extends BoundedCollectionSerializer<Collection<Object>> {

    private final boolean set;
    private final UnaryOperator<Collection<Object>> freeze;

    private FrozenCollectionSerializer(boolean set, UnaryOperator<Collection<Object>> freeze) {
        this.set = set;
        this.freeze = freeze;
        setImmutable(true);
    }

    /** {@code List.of}/{@code List.copyOf}/{@code Stream.toList()}; nulls survive as an unmodifiable view. */
    static FrozenCollectionSerializer jdkList() {
        return new FrozenCollectionSerializer(false, c -> c.contains(null)
                ? Collections.unmodifiableList((List<Object>) c)
                : List.copyOf(c));
    }

    /** {@code Set.of}/{@code Set.copyOf} (never contain null). */
    static FrozenCollectionSerializer jdkSet() {
        return new FrozenCollectionSerializer(true, Set::copyOf);
    }

    /** {@code Collections.unmodifiableList} of a random-access list; order and nulls preserved. */
    static FrozenCollectionSerializer unmodifiableList() {
        return new FrozenCollectionSerializer(false, c -> Collections.unmodifiableList((List<Object>) c));
    }

    /** {@code Collections.unmodifiableSet}; iteration order preserved. */
    static FrozenCollectionSerializer unmodifiableSet() {
        return new FrozenCollectionSerializer(true, c -> Collections.unmodifiableSet((Set<Object>) c));
    }

    @Override
    protected Collection<Object> create(Kryo kryo, Input input, Class<? extends Collection<Object>> type, int size) {
        BoundedInput.checkLength(input, size, 1, type.getSimpleName());
        return set ? new LinkedHashSet<>() : new ArrayList<>(size);
    }

    @Override
    public Collection<Object> read(Kryo kryo, Input input, Class<? extends Collection<Object>> type) {
        Collection<Object> buffer = super.read(kryo, input, type);
        return buffer == null ? null : freeze.apply(buffer);
    }
}
