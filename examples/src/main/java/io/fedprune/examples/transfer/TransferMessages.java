package io.fedprune.examples.transfer;

import io.fedprune.serialization.WireMessage;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * The benchmark's own wire messages (registered in
 * {@link io.fedprune.examples.mutate.ExamplesKryoRegistrations}): the baseline payload and the
 * flow-control handshake. The model-carrying messages themselves are the actors' real ones.
 */
public final class TransferMessages {
    private TransferMessages() {
    }

    /**
     * The "raw bytes" baseline: a byte array in the smallest registered message, sized so that its
     * serialized form is as long as the model message it is compared with.
     */
    public record RawBytes(long seq, byte[] bytes) implements WireMessage {
    }

    /** Tells a sink where to acknowledge; answered with an {@link Ack} of sequence -1. */
    public record Bind(ActorRef<Ack> ackTo) implements WireMessage {
    }

    /**
     * A sink received message {@code seq} whose payload has CRC32C {@code crc}: the sender's
     * window moves on, and the checksum proves the payload arrived intact.
     */
    public record Ack(long seq, int crc, int payloadBytes) implements WireMessage {
    }
}
