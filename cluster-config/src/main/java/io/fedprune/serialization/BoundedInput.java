package io.fedprune.serialization;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;

/**
 * Kryo {@link Input} over a complete message that refuses to allocate for lengths the remaining
 * bytes cannot possibly hold.
 *
 * <p>Kryo reads an array or string length from the stream and allocates <em>before</em> reading
 * the elements, so a forged 5-byte varint can request a 2 GiB array and end in an
 * {@link OutOfMemoryError} long before the buffer underflows. Because fedprune always decodes a
 * whole message held in memory, every element costs at least one byte (fixed-width types their
 * width), and a length larger than that bound is proof of corruption.
 *
 * <p>Array and collection serializers get the same check from {@link BoundedArraySerializer} and
 * {@link BoundedCollectionSerializer}/{@link BoundedMapSerializer}; this class covers the
 * {@code Input.readXxx(length)} calls used by strings and by hand-written serializers.
 */
final class BoundedInput extends Input {

    BoundedInput(byte[] bytes) {
        super(bytes);
    }

    /** Over {@code bytes[offset, offset + count)}: the message without its frame. */
    BoundedInput(byte[] bytes, int offset, int count) {
        super(bytes, offset, count);
    }

    /** Bytes left between the read position and the end of the message. */
    int remaining() {
        return limit - position;
    }

    /** Throws if {@code count} elements of at least {@code minBytes} each cannot fit. */
    static void checkLength(Input input, long count, int minBytes, String what) {
        int remaining = input.limit() - input.position();
        if (count < 0 || count * minBytes > remaining) {
            throw new KryoException("Corrupt message: " + what + " claims " + count + " elements but only "
                    + remaining + " bytes remain");
        }
    }

    @Override
    public byte[] readBytes(int length) {
        checkLength(this, length, 1, "byte array");
        return super.readBytes(length);
    }

    @Override
    public int[] readInts(int length) {
        checkLength(this, length, 4, "int array");
        return super.readInts(length);
    }

    @Override
    public int[] readInts(int length, boolean optimizePositive) {
        checkLength(this, length, 1, "int array");
        return super.readInts(length, optimizePositive);
    }

    @Override
    public long[] readLongs(int length) {
        checkLength(this, length, 8, "long array");
        return super.readLongs(length);
    }

    @Override
    public long[] readLongs(int length, boolean optimizePositive) {
        checkLength(this, length, 1, "long array");
        return super.readLongs(length, optimizePositive);
    }

    @Override
    public float[] readFloats(int length) {
        checkLength(this, length, 4, "float array");
        return super.readFloats(length);
    }

    @Override
    public double[] readDoubles(int length) {
        checkLength(this, length, 8, "double array");
        return super.readDoubles(length);
    }

    @Override
    public short[] readShorts(int length) {
        checkLength(this, length, 2, "short array");
        return super.readShorts(length);
    }

    @Override
    public char[] readChars(int length) {
        checkLength(this, length, 2, "char array");
        return super.readChars(length);
    }

    @Override
    public boolean[] readBooleans(int length) {
        checkLength(this, length, 1, "boolean array");
        return super.readBooleans(length);
    }

    @Override
    public String readString() {
        checkUtf8Length();
        return super.readString();
    }

    @Override
    public StringBuilder readStringBuilder() {
        checkUtf8Length();
        return super.readStringBuilder();
    }

    /**
     * Kryo marks non-ASCII strings with the high bit of the first byte and then stores
     * {@code charCount + 1}; it sizes a char[] from that count. ASCII strings are scanned up to
     * their terminating byte and are bounded by the buffer already.
     */
    private void checkUtf8Length() {
        checkUtf8Length(this);
    }

    /** {@link #checkUtf8Length()} for any input over a whole message (also {@link BoundedBufferInput}). */
    static void checkUtf8Length(Input input) {
        int start = input.position();
        if (input.readVarIntFlag()) { // peeks, does not consume
            long charCountPlusOne = input.readVarIntFlag(true) & 0xFFFFFFFFL;
            if (charCountPlusOne > 1) {
                checkLength(input, charCountPlusOne - 1, 1, "string");
            }
            input.setPosition(start);
        }
    }
}
