package io.fedprune.actors;

import io.fedprune.actors.aggregator.AggregatorEvent;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Stand-ins that speak the protocol through a clock, so they work under the virtual clock too: a
 * client that answers every request with a fixed model after a delay (or holds it forever, like a
 * device still training), and a listener that forwards what an aggregator publishes to a probe.
 */
final class ScriptedClient {
    private ScriptedClient() {
    }

    /** Answers version v's request with {@code value} everywhere after {@code delayMicros}; holds it if {@code hold}. */
    static Behavior<Client.Command> create(int id, ClockService clocks, float value, long delayMicros, boolean hold) {
        return Behaviors.setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            return Behaviors.receiveMessage(m -> {
                if (m instanceof Client.TrainRequest r && !hold) {
                    clock.send(r.replyTo(), new Client.Trained(id, r.version(), r.round(), TestModels.encoded(value), 10,
                            0.1), delayMicros);
                    clock.handled();
                }
                return Behaviors.same(); // holding: never reports the request handled, as if still training
            });
        });
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
