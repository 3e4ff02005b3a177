package io.fedprune.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.serializers.CollectionSerializer;
import java.util.Collection;

/**
 * Kryo's {@link CollectionSerializer} with a size check before the collection is created:
 * {@code new ArrayList(size)} with a forged size would otherwise allocate up to 8 GiB.
 *
 * <p>Inside records every element is written with its class id or a null marker, so it costs at
 * least one byte and {@code size <= remaining bytes} always holds for genuine data.
 */
class BoundedCollectionSerializer<T extends Collection<Object>> extends CollectionSerializer<T> {

    @Override
    protected T create(Kryo kryo, Input input, Class<? extends T> type, int size) {
        BoundedInput.checkLength(input, size, 1, type.getSimpleName());
        return super.create(kryo, input, type, size);
    }
}
