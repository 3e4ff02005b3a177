package io.fedprune.actors.clock;

import org.apache.pekko.actor.typed.javadsl.ActorContext;

/** Gives each actor its {@link Clock}: virtual (simulation) or real (cluster, services). */
public interface ClockService {

    Clock forActor(ActorContext<?> context);

    /** True if time only moves when no actor has work in hand. */
    boolean isVirtual();
}
