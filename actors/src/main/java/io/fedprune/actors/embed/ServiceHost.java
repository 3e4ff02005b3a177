package io.fedprune.actors.embed;

import java.util.function.Consumer;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
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

    static Behavior<Command> create(Consumer<ActorContext<Command>> children) {
        return Behaviors.setup(ctx -> {
            children.accept(ctx);
            return Behaviors.receiveMessage(m -> Behaviors.stopped());
        });
    }
}
