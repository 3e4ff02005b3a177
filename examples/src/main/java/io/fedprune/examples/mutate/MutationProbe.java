package io.fedprune.examples.mutate;

import io.fedprune.serialization.WireMessage;

/**
 * A message that carries one value of a type registered for the wire but not a message itself
 * (arrays, collections, UUID, ActorRef...: CoreKryoRegistrations), so the Kryo mutation campaign
 * can send each such type at the top of a message. Registered by {@link ExamplesKryoRegistrations}.
 */
public record MutationProbe(Object value) implements WireMessage {
}
