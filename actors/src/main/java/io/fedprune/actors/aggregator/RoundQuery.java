package io.fedprune.actors.aggregator;

import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.core.strategy.RoundOutcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One synchronous round, on the shape of Pekko's DeviceGroupQuery: a short-lived child that is
 * told who must answer, starts one deadline, watches every participant (one that stops is a
 * dropout, never waited for), is told of each answer, reports once how the round ended and stops.
 * Its messages come and go through the clock, so a round's end is an event in virtual time.
 */
final class RoundQuery extends AbstractBehavior<RoundQuery.Command> {

    sealed interface Command extends NoSerializationVerificationNeeded {
    }

    /** The parent received the participant's update (accepted or rejected: it answered). */
    record Answered(int clientId) implements Command {
    }

    /** The participant reported a failed local round. */
    record Failed(int clientId) implements Command {
    }

    private record Deadline() implements Command {
    }

    private record ParticipantStopped(int clientId) implements Command {
    }

    private final long round;
    private final ActorRef<Aggregator.Command> parent;
    private final Clock clock;
    private final TreeSet<Integer> awaiting;
    private final int selected;
    private int answered;
    private int failed;
    private final List<Integer> dropped = new ArrayList<>();

    static Behavior<Command> create(long round, Map<Integer, ActorRef<Client.Command>> participants,
                                    long deadlineMicros, ClockService clocks, ActorRef<Aggregator.Command> parent) {
        return Behaviors.setup(ctx -> new RoundQuery(ctx, round, participants, deadlineMicros, clocks, parent)
                .closeIfComplete());
    }

    private RoundQuery(ActorContext<Command> context, long round, Map<Integer, ActorRef<Client.Command>> participants,
                       long deadlineMicros, ClockService clocks, ActorRef<Aggregator.Command> parent) {
        super(context);
        this.round = round;
        this.parent = parent;
        this.clock = clocks.forActor(context);
        this.awaiting = new TreeSet<>(participants.keySet());
        this.selected = participants.size();
        participants.forEach((id, ref) -> context.watchWith(ref, new ParticipantStopped(id)));
        if (deadlineMicros > 0 && !participants.isEmpty()) {
            clock.after(context.getSelf(), new Deadline(), deadlineMicros);
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Answered.class, a -> settle(a.clientId(), true))
                .onMessage(Failed.class, f -> settle(f.clientId(), false))
                .onMessage(ParticipantStopped.class, this::onStopped)
                .onMessage(Deadline.class, d -> onDeadline())
                .build();
    }

    private Behavior<Command> settle(int clientId, boolean answer) {
        if (awaiting.remove(clientId)) {
            if (answer) {
                answered++;
            } else {
                failed++;
            }
        }
        Behavior<Command> next = closeIfComplete();
        clock.handled(); // last: what this message led to must be queued before time may move on
        return next;
    }

    private Behavior<Command> onStopped(ParticipantStopped s) {
        if (awaiting.remove(s.clientId())) {
            dropped.add(s.clientId());
        }
        return closeIfComplete();
    }

    private Behavior<Command> onDeadline() {
        Behavior<Command> next = close(new ArrayList<>(awaiting));
        clock.handled();
        return next;
    }

    private Behavior<Command> closeIfComplete() {
        return awaiting.isEmpty() ? close(List.of()) : this;
    }

    private Behavior<Command> close(List<Integer> stragglers) {
        RoundOutcome outcome = new RoundOutcome(round, selected, answered, failed, dropped.size(), stragglers.size());
        clock.send(parent, new Aggregator.RoundClosed(outcome, List.copyOf(stragglers), List.copyOf(dropped)), 0);
        return Behaviors.stopped();
    }
}
