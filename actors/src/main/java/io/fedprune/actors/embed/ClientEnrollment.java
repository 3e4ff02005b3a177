package io.fedprune.actors.embed;

import io.fedprune.actors.client.Client;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.SelfUp;
import org.apache.pekko.cluster.typed.Subscribe;

/**
 * A client's side of {@link Enrollment}: it subscribes to the Receptionist, joins every desk that
 * appears (so a client started before its aggregator, or one whose aggregator restarts, still
 * takes part), watches the desks it joined, and completes {@code gone} once a desk it had joined
 * has stopped and none is left.
 */
final class ClientEnrollment extends AbstractBehavior<ClientEnrollment.Command> {

    sealed interface Command extends NoSerializationVerificationNeeded {
    }

    private record Listed(Receptionist.Listing listing) implements Command {
    }

    private record Accepted(Enrollment.Joined joined) implements Command {
    }

    private record DeskStopped(ActorRef<Enrollment.Command> desk) implements Command {
    }

    /** This node is Up in its cluster. */
    private record NodeUp() implements Command {
    }

    private final int clientId;
    private final ActorRef<Client.Command> client;
    private final CompletableFuture<Void> gone;
    private final CompletableFuture<String> refused;
    private final Set<ActorRef<Enrollment.Command>> asked = new HashSet<>();
    private final Set<ActorRef<Enrollment.Command>> joined = new HashSet<>();
    private final ActorRef<Enrollment.Joined> replies;

    static Behavior<Command> create(int clientId, ActorRef<Client.Command> client, CompletableFuture<Void> gone,
                                    CompletableFuture<String> refused) {
        return Behaviors.setup(ctx -> new ClientEnrollment(ctx, clientId, client, gone, refused));
    }

    private ClientEnrollment(ActorContext<Command> ctx, int clientId, ActorRef<Client.Command> client,
                             CompletableFuture<Void> gone, CompletableFuture<String> refused) {
        super(ctx);
        this.clientId = clientId;
        this.client = client;
        this.gone = gone;
        this.refused = refused;
        this.replies = ctx.messageAdapter(Enrollment.Joined.class, Accepted::new);
        // In a cluster, a node sees the desks while it is still Joining; an aggregator that watched this
        // client then could take it for stopped (a node restarted at its old address was seen so:
        // its clients were dropped as soon as they joined). So a cluster node looks for desks once Up.
        if ("cluster".equals(ctx.getSystem().settings().config().getString("pekko.actor.provider"))) {
            Cluster.get(ctx.getSystem()).subscriptions().tell(Subscribe.create(
                    ctx.messageAdapter(SelfUp.class, u -> new NodeUp()), SelfUp.class));
        } else {
            lookForDesks();
        }
    }

    private void lookForDesks() {
        ActorRef<Receptionist.Listing> listings = getContext().messageAdapter(Receptionist.Listing.class, Listed::new);
        getContext().getSystem().receptionist().tell(Receptionist.subscribe(Enrollment.KEY, listings));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Listed.class, this::onListed)
                .onMessage(Accepted.class, this::onAccepted)
                .onMessage(DeskStopped.class, this::onDeskStopped)
                .onMessage(NodeUp.class, u -> {
                    lookForDesks();
                    return this;
                })
                .build();
    }

    private Behavior<Command> onListed(Listed l) {
        for (ActorRef<Enrollment.Command> desk : l.listing().getServiceInstances(Enrollment.KEY)) {
            if (asked.add(desk)) {
                getContext().getLog().info("client {} joins the aggregator at {}", clientId, desk.path().address());
                desk.tell(new Enrollment.Join(clientId, client, replies));
            }
        }
        return this;
    }

    private Behavior<Command> onAccepted(Accepted a) {
        ActorRef<Enrollment.Command> desk = a.joined().desk();
        if (!a.joined().accepted()) {
            getContext().getLog().error("client {} was refused by the aggregator at {}: {}", clientId,
                    desk.path().address(), a.joined().refused());
            refused.complete(a.joined().refused());
            return this;
        }
        if (joined.add(desk)) {
            getContext().watchWith(desk, new DeskStopped(desk));
        }
        return this;
    }

    private Behavior<Command> onDeskStopped(DeskStopped s) {
        joined.remove(s.desk());
        getContext().getLog().info("client {}: the aggregator at {} is gone", clientId, s.desk().path().address());
        if (joined.isEmpty()) {
            gone.complete(null);
        }
        return this;
    }
}
