package io.fedprune.actors.journal;

import io.fedprune.core.server.ServerInput;
import io.fedprune.serialization.WireMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.persistence.typed.PersistenceId;
import org.apache.pekko.persistence.typed.RecoveryCompleted;
import org.apache.pekko.persistence.typed.javadsl.CommandHandler;
import org.apache.pekko.persistence.typed.javadsl.EffectBuilder;
import org.apache.pekko.persistence.typed.javadsl.EventHandler;
import org.apache.pekko.persistence.typed.javadsl.EventSourcedBehavior;
import org.apache.pekko.persistence.typed.javadsl.SignalHandler;

/**
 * A run's journal, an event-sourced actor (Pekko Persistence, any journal plugin; the run uses
 * JDBC): one event per input of the run's server, in the order the server acted on them. On start
 * it recovers what an earlier, killed run of the same id journaled and hands it out once
 * ({@link GetRecovered}); from then on it appends what {@link Replay} queues, a batch per write.
 *
 * <p>Appends are queued outside the actor and the actor is woken once per batch, so a burst of
 * inputs costs one write, and the server's work never waits on the database: in virtual time a
 * lost tail is made again, bit for bit, by the resumed run (docs/DURABILITY.md).
 */
public final class RunJournal extends EventSourcedBehavior<RunJournal.Command, RunJournal.Event, RunJournal.State> {

    public sealed interface Command extends NoSerializationVerificationNeeded {
    }

    /** Inputs are waiting in the queue. */
    record Wake() implements Command {
    }

    /** Replies once with the inputs recovered at start (empty for a new run). */
    public record GetRecovered(ActorRef<Recovered> replyTo) implements Command {
    }

    /** @param fingerprint the journaled run's, null for an empty journal */
    public record Recovered(String fingerprint, List<ServerInput> inputs) implements NoSerializationVerificationNeeded {
    }

    /** Journals the run's fingerprint first (an empty journal only), then replies. */
    public record Begin(String fingerprint, ActorRef<Done> replyTo) implements Command {
    }

    /** Writes whatever is queued, then replies: everything appended before it is durable. */
    public record Flush(ActorRef<Done> replyTo) implements Command {
    }

    /**
     * Writes {@code input} now (after whatever is queued), then replies: the real-time aggregator's
     * inputs are durable before the server acts on them ({@link DurableInputs}).
     */
    public record Append(ServerInput input, ActorRef<Done> replyTo) implements Command {
    }

    /** Stops the journal (its aggregator was closed); whatever it confirmed is written. */
    public record Stop() implements Command {
    }

    public sealed interface Event extends WireMessage {
    }

    /** One input of the server. */
    public record Recorded(ServerInput input) implements Event {
    }

    /**
     * The first event: what identifies the run (a digest of its resolved configuration), so that a
     * journal is never resumed by another run whose first inputs happen to look the same.
     */
    public record Header(String fingerprint) implements Event {
    }

    /** Events so far, and the recovered ones until they are handed out. */
    static final class State {
        long events;
        boolean live;
        String fingerprint;
        List<ServerInput> recovered = new ArrayList<>();
    }

    private final Queue<ServerInput> queue;
    private final AtomicBoolean woken;

    /**
     * @param queue where {@link Replay} puts inputs to append
     * @param woken set by whoever sends {@link Wake}, cleared by the journal before it drains the queue
     */
    public static Behavior<Command> create(String persistenceId, Queue<ServerInput> queue, AtomicBoolean woken) {
        return new RunJournal(PersistenceId.ofUniqueId(persistenceId), queue, woken);
    }

    private RunJournal(PersistenceId id, Queue<ServerInput> queue, AtomicBoolean woken) {
        super(id);
        this.queue = queue;
        this.woken = woken;
    }

    /** The message that tells the journal inputs are queued. */
    public static Command wake() {
        return new Wake();
    }

    @Override
    public State emptyState() {
        return new State();
    }

    @Override
    public CommandHandler<Command, Event, State> commandHandler() {
        return newCommandHandlerBuilder().forAnyState()
                .onCommand(Wake.class, (state, w) -> drain())
                .onCommand(GetRecovered.class, (state, g) -> {
                    g.replyTo().tell(new Recovered(state.fingerprint, state.recovered));
                    state.recovered = new ArrayList<>(); // handed out: not kept twice
                    return Effect().none();
                })
                .onCommand(Begin.class, (state, b) -> state.events > 0
                        ? Effect().none().thenRun(st -> b.replyTo().tell(Done.getInstance()))
                        : Effect().persist((Event) new Header(b.fingerprint()))
                                .thenRun(st -> b.replyTo().tell(Done.getInstance())))
                .onCommand(Flush.class, (state, f) -> drain().thenRun(s -> f.replyTo().tell(Done.getInstance())))
                .onCommand(Stop.class, (state, st) -> Effect().stop())
                .onCommand(Append.class, (state, a) -> {
                    queue.add(a.input());
                    return drain().thenRun(s -> a.replyTo().tell(Done.getInstance()));
                })
                .build();
    }

    private EffectBuilder<Event, State> drain() {
        woken.set(false); // before draining: an input queued after this sends another Wake
        List<Event> batch = new ArrayList<>();
        for (ServerInput i = queue.poll(); i != null; i = queue.poll()) {
            batch.add(new Recorded(i));
        }
        return batch.isEmpty() ? Effect().none() : Effect().persist(batch);
    }

    @Override
    public EventHandler<State, Event> eventHandler() {
        return newEventHandlerBuilder().forAnyState()
                .onEvent(Recorded.class, (state, e) -> {
                    state.events++;
                    if (!state.live) {
                        state.recovered.add(e.input());
                    }
                    return state;
                })
                .onEvent(Header.class, (state, h) -> {
                    state.events++;
                    state.fingerprint = h.fingerprint();
                    return state;
                })
                .build();
    }

    @Override
    public SignalHandler<State> signalHandler() {
        return newSignalHandlerBuilder().onSignal(RecoveryCompleted.instance(), state -> state.live = true).build();
    }
}
