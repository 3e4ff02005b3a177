package io.fedprune.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Serializer for unmodifiable JDK maps ({@code Map.of}, {@code Map.copyOf},
 * {@code Collections.unmodifiableMap}); see {@link FrozenCollectionSerializer} for the reason.
 */
final class FrozenMapSerializer extends BoundedMapSerializer<Map<Object, Object>> {

    private final UnaryOperator<Map<Object, Object>> freeze;

    private FrozenMapSerializer(UnaryOperator<Map<Object, Object>> freeze) {
        this.freeze = freeze;
        setImmutable(true);
    }

    /** {@code Map.of}/{@code Map.copyOf} (never contain null keys or values). */
    static FrozenMapSerializer jdkMap() {
        return new FrozenMapSerializer(Map::copyOf);
    }

    /** {@code Collections.unmodifiableMap}; iteration order preserved. */
    static FrozenMapSerializer unmodifiableMap() {
        return new FrozenMapSerializer(Collections::unmodifiableMap);
    }

    @Override
    protected Map<Object, Object> create(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type, int size) {
        BoundedInput.checkLength(input, size, 2, type.getSimpleName());
        return new LinkedHashMap<>();
    }

    @Override
    public Map<Object, Object> read(Kryo kryo, Input input, Class<? extends Map<Object, Object>> type) {
        Map<Object, Object> buffer = super.read(kryo, input, type);
        return buffer == null ? null : freeze.apply(buffer);
    }
}
