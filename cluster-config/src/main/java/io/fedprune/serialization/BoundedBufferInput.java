package io.fedprune.serialization;

import com.esotericsoftware.kryo.io.ByteBufferInput;
import java.nio.ByteBuffer;

/**
 * {@link BoundedInput} over a {@link ByteBuffer}: the same refusals, before any allocation, of
 * lengths that the rest of the message cannot hold, for reading a message straight out of Artery's
 * envelope buffer. Kryo's {@link ByteBufferInput} reads exactly the format {@code Input} reads
 * (fixed-width values byte by byte, big-endian, whatever the buffer's byte order).
 */
final class BoundedBufferInput extends ByteBufferInput {

    /** Over {@code buffer}'s position to its limit: the message without its frame. */
    BoundedBufferInput(ByteBuffer buffer) {
        super(buffer);
    }

    @Override
    public byte[] readBytes(int length) {
        BoundedInput.checkLength(this, length, 1, "byte array");
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        BoundedInput.checkLength(this, length, 4, "int array");
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        BoundedInput.checkLength(this, length, 1, "int array");
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        BoundedInput.checkLength(this, length, 8, "long array");
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        BoundedInput.checkLength(this, length, 1, "long array");
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        BoundedInput.checkLength(this, length, 4, "float array");
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        BoundedInput.checkLength(this, length, 8, "double array");
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        BoundedInput.checkLength(this, length, 2, "short array");
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        BoundedInput.checkLength(this, length, 2, "char array");
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        BoundedInput.checkLength(this, length, 1, "boolean array");
        return super.readBooleans(length);
    }

    @Override
    public String readString() {
        BoundedInput.checkUtf8Length(this);
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        BoundedInput.checkUtf8Length(this);
        return super.readStringBuilder();
    }
}
