package io.fedprune.actors.aggregator;

import io.fedprune.actors.client.Client;
import io.fedprune.core.server.Assignment;
import io.fedprune.core.strategy.Pacing;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Synchronous rounds: the strategy's selector picks participants, a {@link RoundQuery} child
 * tracks them (answers, failures, dropouts, the deadline), and its report closes the round. An
 * update for a round that has closed is counted stale and never used. After {@code maxIdle}
 * rounds in a row without a new model the aggregator gives up.
 */
final class RoundPacer implements Pacer {
    private final AggregatorContext agg;
    private final long deadlineMicros;
    private long openRound = -1;
    private ActorRef<RoundQuery.Command> query;
    private int idle;

    RoundPacer(AggregatorContext agg, Pacing.Rounds pacing) {
        this.agg = agg;
        this.deadlineMicros = pacing.deadlineMicros();
    }

    @Override
    public void start() {
        startRound();
    }

    @Override
    public void onRegistered(int clientId) {
        // takes part from the next round on
    }

    @Override
    public void onResponse(Client.Response response) {
        boolean inRound = response.round() == openRound;
        if (response instanceof Client.Trained t && inRound) {
            long now = agg.clock().nowMicros();
            agg.work().submit(() -> agg.server().onUpdate(AggregatorContext.incoming(t), now), o -> {
                agg.logRejection(o);
                tellQuery(new RoundQuery.Answered(t.clientId()));
            });
        } else if (response instanceof Client.Trained t) {
            agg.work().submit(() -> {
                agg.server().onStale(AggregatorContext.incoming(t));
                return null;
            }, ignored -> agg.log().debug("discarding update of client {} for closed round {}", t.clientId(),
                    t.round()));
        } else if (response instanceof Client.Failed f) {
            agg.work().submit(() -> {
                agg.server().onFailed(f.clientId(), f.baseVersion(), f.round());
                return null;
            }, ignored -> {
                if (inRound) {
                    tellQuery(new RoundQuery.Failed(f.clientId()));
                }
            });
        }
    }

    @Override
    public void onRoundClosed(Aggregator.RoundClosed closed) {
        openRound = -1;
        query = null;
        agg.work().submit(() -> {
            closed.stragglers().forEach(agg.server()::onStraggler);
            // counted here, in the version this round publishes, whichever death notice comes first
            closed.dropped().forEach(agg.server()::onDropped);
            return agg.server().onRoundEnd(closed.outcome());
        }, o -> {
            if (o.published() != null) {
                idle = 0;
                agg.publish(o.published());
            } else {
                idle++;
                agg.log().warn("round {} closed without a usable update ({} in a row)", closed.outcome().round(), idle);
            }
            if (idle >= agg.settings().maxIdle()) {
                agg.giveUp(idle + " rounds in a row produced no usable update");
            } else if (agg.canGiveWork() && !agg.capReached(agg.lastVersion())) {
                startRound();
            }
        });
    }

    private void startRound() {
        List<Integer> available = List.copyOf(agg.clients().keySet());
        long now = agg.clock().nowMicros();
        agg.work().submit(() -> {
            if (agg.server().finished()) {
                return null;
            }
            List<Integer> selected = agg.server().startRound(available);
            return new Started(agg.server().round(), selected.stream().map(id -> agg.server().assign(id, now)).toList());
        }, started -> {
            if (started == null) {
                return; // the strategy finished training meanwhile
            }
            Map<Integer, ActorRef<Client.Command>> participants = new TreeMap<>();
            for (Assignment a : started.assignments()) {
                ActorRef<Client.Command> ref = agg.clients().get(a.clientId());
                if (ref != null) {
                    participants.put(a.clientId(), ref);
                }
            }
            openRound = started.round();
            query = agg.actor().spawn(RoundQuery.create(started.round(), participants, deadlineMicros, agg.clocks(),
                    agg.actor().getSelf()), "round-" + started.round());
            started.assignments().forEach(agg::send);
        });
    }

    private record Started(long round, List<Assignment> assignments) {
    }

    private void tellQuery(RoundQuery.Command message) {
        if (query != null) {
            agg.clock().send(query, message, 0);
        }
    }
}
