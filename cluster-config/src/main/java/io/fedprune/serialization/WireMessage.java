package io.fedprune.serialization;

/**
 * Marker for every message that may cross a node boundary.
 *
 * <p>{@code reference.conf} binds this interface to {@link KryoSerializer}
 * ({@code pekko.actor.serialization-bindings}), so a protocol only has to let its sealed
 * {@code Command} interface extend {@code WireMessage} and list its records in a
 * {@link KryoRegistrations} provider. Binding a marker instead of each class keeps the
 * HOCON stable when protocols change, and it is also what makes
 * {@code pekko.actor.serialize-messages = on} exercise the real wire format in every actor test.
 *
 * <p>Messages that are deliberately local-only (holding callbacks, native buffers, ...) must
 * <em>not</em> implement this interface; they should implement
 * {@code org.apache.pekko.actor.NoSerializationVerificationNeeded} instead.
 */
public interface WireMessage {
}
