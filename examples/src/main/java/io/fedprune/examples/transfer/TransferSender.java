package io.fedprune.examples.transfer;

import io.fedprune.examples.transfer.TransferMessages.Ack;
import java.util.BitSet;
import java.util.function.LongFunction;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Sends one trial's messages to a remote {@link TransferSink} with a window of at most
 * {@code window} unacknowledged messages, so the figure is sustained transfer (serialize, frame,
 * send, receive, deserialize, deliver) and not how fast a mailbox or Artery's outbound queue
 * fills. The clock runs from the first send to the last acknowledgement.
 */
public final class TransferSender {

    public sealed interface Command {
    }

    /**
     * Send {@code count} messages made by {@code message} (from the sequence number) to
     * {@code target}; every acknowledgement must carry {@code expectedCrc} and
     * {@code expectedPayloadBytes}. {@code sequenced} = the sink reports the sequence number the
     * message carried (not so for a plain {@code byte[]}).
     */
    public record Trial(ActorRef<Object> target, LongFunction<Object> message, int count, int window,
                        int expectedCrc, int expectedPayloadBytes, boolean sequenced, ActorRef<TrialResult> replyTo)
            implements Command, NoSerializationVerificationNeeded {
    }

    /** Tell a sink to acknowledge here; {@code replyTo} hears once it has. */
    public record BindSink(ActorRef<Object> sink, ActorRef<Boolean> replyTo)
            implements Command, NoSerializationVerificationNeeded {
    }

    private record Acked(Ack ack) implements Command, NoSerializationVerificationNeeded {
    }

    /**
     * What one trial measured: acknowledged messages, how many carried the wrong checksum or size
     * or an unexpected sequence number, and the wall time from the first send to the last ack.
     */
    public record TrialResult(int sent, int acked, int corrupt, long nanos) implements NoSerializationVerificationNeeded {
    }

    private TransferSender() {
    }

    public static Behavior<Command> create() {
        return Behaviors.setup(ctx -> idle(ctx, ctx.messageAdapter(Ack.class, Acked::new), null));
    }

    private static Behavior<Command> idle(ActorContext<Command> ctx, ActorRef<Ack> acks, ActorRef<Boolean> binding) {
        return Behaviors.receive(Command.class)
                .onMessage(BindSink.class, b -> {
                    b.sink().tell(new TransferMessages.Bind(acks));
                    return idle(ctx, acks, b.replyTo());
                })
                .onMessage(Acked.class, a -> {
                    if (a.ack().seq() == -1 && binding != null) {
                        binding.tell(true);
                    }
                    return Behaviors.same();
                })
                .onMessage(Trial.class, t -> new Running(t).start(ctx, acks))
                .build();
    }

    /** One trial in progress; mutable on purpose (the actor's own state, one message at a time). */
    private static final class Running {
        private final Trial trial;
        private final BitSet seen = new BitSet();
        private int sent;
        private int acked;
        private int corrupt;
        private long start;

        Running(Trial trial) {
            this.trial = trial;
        }

        Behavior<Command> start(ActorContext<Command> ctx, ActorRef<Ack> acks) {
            start = System.nanoTime();
            while (sent < Math.min(trial.window(), trial.count())) {
                send();
            }
            return Behaviors.receive(Command.class)
                    .onMessage(Acked.class, a -> {
                        if (a.ack().seq() == -1) {
                            return Behaviors.same(); // a late Bind answer
                        }
                        check(a.ack());
                        if (++acked == trial.count()) {
                            trial.replyTo().tell(new TrialResult(sent, acked, corrupt, System.nanoTime() - start));
                            return idle(ctx, acks, null);
                        }
                        if (sent < trial.count()) {
                            send();
                        }
                        return Behaviors.same();
                    })
                    .build();
        }

        private void send() {
            trial.target().tell(trial.message().apply(sent));
            sent++;
        }

        private void check(Ack ack) {
            boolean ok = ack.crc() == trial.expectedCrc() && ack.payloadBytes() == trial.expectedPayloadBytes();
            if (trial.sequenced()) {
                ok &= ack.seq() >= 0 && ack.seq() < trial.count() && !seen.get((int) ack.seq());
                if (ack.seq() >= 0 && ack.seq() < trial.count()) {
                    seen.set((int) ack.seq());
                }
            }
            if (!ok) {
                corrupt++;
            }
        }
    }
}
