package io.fedprune.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;

/**
 * Wraps one of Kryo's array serializers and rejects a length prefix that the rest of the message
 * cannot hold, before the delegate allocates the array (see {@link BoundedInput} for why).
 *
 * <p>All of Kryo's array serializers start with {@code varint(length + 1)}, 0 meaning null; the
 * wrapper peeks at that varint and rewinds, so the wire format is exactly Kryo's.
 */
final class BoundedArraySerializer<T> extends Serializer<T> {

    private final Serializer<T> delegate;
    private final int minBytesPerElement;

    BoundedArraySerializer(Serializer<T> delegate, int minBytesPerElement) {
        super(delegate.getAcceptsNull(), delegate.isImmutable());
        this.delegate = delegate;
        this.minBytesPerElement = minBytesPerElement;
    }

    @Override
    public void write(Kryo kryo, Output output, T object) {
        delegate.write(kryo, output, object);
    }

    @Override
    public T read(Kryo kryo, Input input, Class<? extends T> type) {
        int start = input.position();
        long lengthPlusOne = input.readVarInt(true) & 0xFFFFFFFFL;
        if (lengthPlusOne > 0) {
            BoundedInput.checkLength(input, lengthPlusOne - 1, minBytesPerElement, type.getSimpleName());
        }
        input.setPosition(start);
        return delegate.read(kryo, input, type);
    }

    @Override
    public T copy(Kryo kryo, T original) {
        return delegate.copy(kryo, original);
    }
}
