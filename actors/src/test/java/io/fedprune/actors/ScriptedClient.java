package io.fedprune.actors;

import io.fedprune.actors.aggregator.AggregatorEvent;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A listener that speaks the protocol through a clock, so it works under the virtual clock too:
 * it forwards what an aggregator publishes to a probe. (Scripted clients are the test kit's
 * {@link io.fedprune.actors.testkit.FakeClient}.)
 */
final class ScriptedClient {
    private ScriptedClient() {
    }

    /** Forwards every event to {@code probe} and reports it handled. */
    static Behavior<AggregatorEvent> listener(ClockService clocks, ActorRef<AggregatorEvent> probe) {
        return Behaviors.setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            return Behaviors.receiveMessage(e -> {
                probe.tell(e);
                clock.handled();
                return Behaviors.same();
            });
        });
    }
}
