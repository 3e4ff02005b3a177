package io.fedprune.actors.aggregator;

import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * One tier of a time-triggered run (TT-Fed, ALGORITHMS.md §2): the clients given work in this tier
 * answer here, not to the aggregator. It knows each member's open round and the tick by which it
 * must end; an answer that arrives before that deadline goes on to the aggregator at once, one
 * that arrives at or after it is passed on as late (counted, never aggregated), and one for a
 * round it was never told of (a repeat, a forgery, a round superseded) is dropped and logged.
 * A child of the aggregator, spawned when its tier first gets work.
 *
 * <p>Its protocol is two-sided: its own {@link Command}s from the aggregator, and the clients'
 * {@link Client.Response}s, which arrive as themselves (clients answer whatever
 * {@code ActorRef<Client.Response>} their request names), hence a behaviour of {@code Object}
 * narrowed to each side ({@link #commands}, {@link #answers}).
 */
public final class TierCoordinator extends AbstractBehavior<Object> {

    public sealed interface Command {
    }

    /** Client {@code clientId} was given work of {@code version} that must be answered before {@code deadlineMicros}. */
    record Expect(int clientId, long version, long round, long deadlineMicros)
            implements Command, NoSerializationVerificationNeeded {
    }

    private record Open(long version, long round, long deadlineMicros) {
    }

    private final int tier;
    private final Clock clock;
    private final ActorRef<Aggregator.Command> aggregator;
    private final Map<Integer, Open> open = new HashMap<>();
    private long late;
    private long unexpected;

    static Behavior<Object> create(int tier, ClockService clocks, ActorRef<Aggregator.Command> aggregator) {
        return Behaviors.setup(ctx -> new TierCoordinator(ctx, tier, clocks, aggregator));
    }

    private TierCoordinator(ActorContext<Object> ctx, int tier, ClockService clocks,
                            ActorRef<Aggregator.Command> aggregator) {
        super(ctx);
        this.tier = tier;
        this.clock = clocks.forActor(ctx);
        this.aggregator = aggregator;
    }

    /** The aggregator's side of a coordinator. */
    static ActorRef<Command> commands(ActorRef<Object> coordinator) {
        return coordinator.narrow();
    }

    /** Where this tier's members answer. */
    static ActorRef<Client.Response> answers(ActorRef<Object> coordinator) {
        return coordinator.narrow();
    }

    @Override
    public Receive<Object> createReceive() {
        return newReceiveBuilder()
                .onMessage(Expect.class, this::onExpect)
                .onMessage(Client.Trained.class, this::onAnswer)
                .onMessage(Client.Failed.class, this::onAnswer)
                .build();
    }

    private Behavior<Object> onExpect(Expect e) {
        // a newer round of the same client replaces its older one (the client superseded it too)
        open.put(e.clientId(), new Open(e.version(), e.round(), e.deadlineMicros()));
        return this; // sent directly by the aggregator while it handles a clock message: nothing to report
    }

    private Behavior<Object> onAnswer(Client.Response r) {
        Open o = open.get(r.clientId());
        if (o == null || o.version() != r.baseVersion() || o.round() != r.round()) {
            unexpected++;
            getContext().getLog().warn("tier {}: dropping an answer of client {} for version {} that it holds no "
                    + "round of ({} so far)", tier, r.clientId(), r.baseVersion(), unexpected);
        } else {
            open.remove(r.clientId());
            if (clock.nowMicros() < o.deadlineMicros()) {
                clock.send(aggregator, new Aggregator.Responded(r), 0);
            } else {
                late++;
                getContext().getLog().info("tier {}: client {} answered {} us after its deadline ({} late so far)",
                        tier, r.clientId(), clock.nowMicros() - o.deadlineMicros(), late);
                clock.send(aggregator, new Aggregator.LateAnswer(r), 0);
            }
        }
        clock.handled();
        return this;
    }
}
