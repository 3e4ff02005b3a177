package io.fedprune.actors.embed;

import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The top-level actor an embedded client or aggregator lives under when spawned straight into an
 * actor system: it spawns the role's actors as its children and stops them all on {@link Stop}
 * (typed actor systems let nobody else stop a top-level actor).
 */
final class ServiceHost {

    sealed interface Command extends NoSerializationVerificationNeeded {
    }

    enum Stop implements Command {
        INSTANCE
    }

    private ServiceHost() {
    }

    /** A role spawned under its host: the host (to stop it all) and what the children gave back. */
    record Spawned<T>(ActorRef<Command> host, T role) {
    }

    /**
     * Spawns a host named {@code name} into {@code system} whose setup spawns the role's actors
     * with {@code children}, and waits for that setup (it runs before the host takes any message).
     * Call from a service thread, never an actor's.
     */
    static <T> Spawned<T> spawn(ActorSystem<?> system, String name, Function<ActorContext<Command>, T> children) {
        CompletableFuture<T> spawned = new CompletableFuture<>();
        ActorRef<Command> host = system.systemActorOf(Behaviors.<Command>setup(ctx -> {
            spawned.complete(children.apply(ctx));
            return Behaviors.receiveMessage(m -> Behaviors.stopped());
        }), name, Props.empty());
        return new Spawned<>(host, spawned.join());
    }
}
