package io.fedprune.core.compress;

/**
 * Turns a parameter vector into the bytes that go on the wire and back. Every figure of
 * communication cost in fedprune is the length of arrays produced here. A codec is bound to one
 * model layout and rejects payloads of any other ({@link PayloadFormatException}).
 */
public interface WireCodec {

    String name();

    byte[] encode(float[] params);

    /** @throws PayloadFormatException if the bytes are not a complete payload for this layout */
    float[] decode(byte[] payload);
}
