package io.fedprune.examples.transfer;

import io.fedprune.actors.client.Client;
import io.fedprune.examples.transfer.TransferMessages.Ack;
import io.fedprune.examples.transfer.TransferMessages.Bind;
import io.fedprune.examples.transfer.TransferMessages.RawBytes;
import io.fedprune.serialization.ActorPaths;
import java.util.zip.CRC32C;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The receiving end of {@code fedprune bench-transfer}: stands where a client or the aggregator
 * stands on a node (same actor paths, hence the same Artery lane), takes the real model-carrying
 * messages and the baselines, and acknowledges each with the CRC32C of its payload. Every kind
 * costs the sink the same checksum pass over the same number of bytes, so the work on arrival is
 * equal and only the path through serializer and transport differs.
 *
 * <p>{@code Behavior<Object>} because it accepts other protocols' messages ({@link Client.TrainRequest},
 * {@link Client.Trained}) beside its own and a plain {@code byte[]}.
 */
public final class TransferSink {
    /** The sink a train request goes to: where client 0 stands under the node's root. */
    public static final String CLIENT = ActorPaths.client(0);
    /** The sink an update goes to: where the aggregator stands. */
    public static final String AGGREGATOR = ActorPaths.AGGREGATOR;

    private TransferSink() {
    }

    /** The node's root ({@code /user/fedprune}) with both sinks as children. */
    public static Behavior<Void> root() {
        return Behaviors.setup(ctx -> {
            ctx.spawn(sink(), CLIENT);
            ctx.spawn(sink(), AGGREGATOR);
            return Behaviors.empty();
        });
    }

    /** A sink that acknowledges nothing until {@link Bind} tells it where to. */
    public static Behavior<Object> sink() {
        return Behaviors.receiveMessage(m -> m instanceof Bind b ? bound(b.ackTo()) : Behaviors.unhandled());
    }

    private static Behavior<Object> bound(ActorRef<Ack> ackTo) {
        ackTo.tell(new Ack(-1, 0, 0));
        long[] plainSeq = {0}; // plain byte[] carries no sequence number; Artery keeps the order
        return Behaviors.receiveMessage(m -> {
            if (m instanceof Bind b) {
                return bound(b.ackTo());
            } else if (m instanceof Client.TrainRequest r) {
                ackTo.tell(ack(r.version(), r.model()));
            } else if (m instanceof Client.Trained t) {
                ackTo.tell(ack(t.baseVersion(), t.update()));
            } else if (m instanceof RawBytes raw) {
                ackTo.tell(ack(raw.seq(), raw.bytes()));
            } else if (m instanceof byte[] bytes) {
                ackTo.tell(ack(plainSeq[0]++, bytes));
            } else {
                return Behaviors.unhandled();
            }
            return Behaviors.same();
        });
    }

    static Ack ack(long seq, byte[] payload) {
        return new Ack(seq, crc(payload), payload.length);
    }

    static int crc(byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return (int) crc.getValue();
    }
}
