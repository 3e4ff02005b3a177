package io.fedprune.actors.embed;

import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.client.Client;
import io.fedprune.serialization.WireMessage;
import java.util.HashMap;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;

/**
 * The aggregator's front desk for clients it does not know in advance: registered with the
 * Receptionist under {@link #KEY}, it takes each client's {@link Join}, registers the client with
 * the aggregator, answers {@link Joined}, and starts the aggregator once {@code minClients}
 * distinct clients have joined (later ones take part from then on). It stops with its aggregator,
 * so clients watching it learn that the aggregator is gone.
 */
public final class Enrollment extends AbstractBehavior<Enrollment.Command> {

    /** The key clients look the desk up by, locally or across a cluster. */
    public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "fedprune-enrollment");

    public sealed interface Command {
    }

    /** Client {@code clientId} asks to take part. */
    public record Join(int clientId, ActorRef<Client.Command> client, ActorRef<Joined> replyTo)
            implements Command, WireMessage {
    }

    /** The desk registered the client with its aggregator ({@code refused} empty), or why it did not. */
    public record Joined(int clientId, ActorRef<Command> desk, String refused) implements WireMessage {
        public boolean accepted() {
            return refused.isEmpty();
        }
    }

    private record AggregatorStopped() implements Command, NoSerializationVerificationNeeded {
    }

    private final ActorRef<Aggregator.Command> aggregator;
    private final int minClients;
    private final AllowList allowed;
    private final Map<Integer, ActorRef<Client.Command>> joined = new HashMap<>();
    private boolean started;

    /** @param minClients clients to wait for before starting the aggregator (0: start at once) */
    public static Behavior<Command> create(ActorRef<Aggregator.Command> aggregator, int minClients) {
        return create(aggregator, minClients, AllowList.everyone());
    }

    /** @param allowed who may join; others are refused and logged */
    public static Behavior<Command> create(ActorRef<Aggregator.Command> aggregator, int minClients,
                                           AllowList allowed) {
        if (minClients < 0) {
            throw new IllegalArgumentException("min clients must be >= 0, got " + minClients);
        }
        return Behaviors.setup(ctx -> new Enrollment(ctx, aggregator, minClients, allowed));
    }

    private Enrollment(ActorContext<Command> ctx, ActorRef<Aggregator.Command> aggregator, int minClients,
                       AllowList allowed) {
        super(ctx);
        this.aggregator = aggregator;
        this.minClients = minClients;
        this.allowed = allowed;
        ctx.watchWith(aggregator, new AggregatorStopped());
        ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
        startIfReady();
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Join.class, this::onJoin)
                .onMessage(AggregatorStopped.class, s -> Behaviors.stopped())
                .build();
    }

    private Behavior<Command> onJoin(Join j) {
        if (j.clientId() < 0) {
            getContext().getLog().warn("refusing client id {} from {}: ids are >= 0", j.clientId(), j.client());
            return this;
        }
        String host = j.client().path().address().getHost().orElse("");
        java.util.Optional<String> refusal = allowed.refusal(j.clientId(), host);
        if (refusal.isPresent()) {
            getContext().getLog().warn("refusing {}: {}", j.client(), refusal.get());
            j.replyTo().tell(new Joined(j.clientId(), getContext().getSelf(), refusal.get()));
            return this;
        }
        ActorRef<Client.Command> previous = joined.put(j.clientId(), j.client());
        if (!j.client().equals(previous)) {
            // a new client, or the same id from a new actor (a restarted process): the aggregator decides
            aggregator.tell(new Aggregator.RegisterClient(j.clientId(), j.client()));
        }
        j.replyTo().tell(new Joined(j.clientId(), getContext().getSelf(), ""));
        startIfReady();
        return this;
    }

    private void startIfReady() {
        if (!started && joined.size() >= minClients) {
            started = true;
            getContext().getLog().info("{} client(s) joined: starting the aggregator", joined.size());
            aggregator.tell(new Aggregator.Start()); // after the registrations: same sender, same order
        }
    }
}
