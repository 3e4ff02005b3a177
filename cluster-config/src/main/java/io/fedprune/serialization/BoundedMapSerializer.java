package io.fedprune.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.MapSerializer;
import java.util.Map;

/**
 * Kryo's {@link MapSerializer} with a size check before the map is created: a {@code HashMap}
 * pre-sized from a forged size allocates its whole table on the first put. Every entry costs at
 * least two bytes (key and value).
 */
class BoundedMapSerializer<T extends Map<Object, Object>> extends MapSerializer<T> {

    @Override
    protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
        BoundedInput.checkLength(input, size, 2, type.getSimpleName());
        return super.create(kryo, input, type, size);
    }
}
