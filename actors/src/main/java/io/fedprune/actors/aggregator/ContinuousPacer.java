package io.fedprune.actors.aggregator;

import io.fedprune.actors.client.Client;
import io.fedprune.core.server.Assignment;
import io.fedprune.core.server.Outcome;
import io.fedprune.core.server.Publication;
import io.fedprune.core.strategy.Pacing;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Continuous work: every registered client always holds work; each answer goes to the strategy
 * at once and its client gets work from the newest model. A client whose local round failed waits
 * for the next version (no zero-time retry loop). The aggregator gives up when no client is left, or after {@code maxIdle}
 * rounds' worth of rejected updates in a row (every client's work is being refused).
 */
final class ContinuousPacer implements Pacer {
    private final AggregatorContext agg;
    private final TreeSet<Integer> parked = new TreeSet<>();
    private long rejectedInARow;

    ContinuousPacer(AggregatorContext agg, Pacing.Continuous pacing) {
        this.agg = agg;
    }

    @Override
    public void start() {
        List<Integer> ids = List.copyOf(agg.clients().keySet());
        assignAndSend(ids);
    }

    /** Gives each of {@code ids} work from the current model (off the actor thread) and sends it. */
    private void assignAndSend(List<Integer> ids) {
        long now = agg.clock().nowMicros();
        agg.work().submit(() -> agg.server().finished() ? List.<Assignment>of()
                : ids.stream().map(id -> agg.server().assign(id, now)).toList(), a -> a.forEach(agg::send));
    }

    @Override
    public void onRegistered(int clientId) {
        if (agg.canGiveWork()) {
            long now = agg.clock().nowMicros();
            agg.work().submit(() -> agg.server().holdsWork(clientId) || agg.server().finished() ? null
                    : agg.server().assign(clientId, now), a -> {
                if (a != null) {
                    agg.send(a);
                }
            });
        }
    }

    @Override
    public void onResponse(Client.Response response) {
        int id = response.clientId();
        boolean more = agg.canGiveWork();
        if (response instanceof Client.Trained t) {
                long now = agg.clock().nowMicros();
                agg.work().submit(() -> {
                    Outcome o = agg.server().onUpdate(AggregatorContext.incoming(t), now);
                    boolean again = more && !agg.server().finished() && !agg.capReached(agg.server().version())
                            && !agg.server().holdsWork(id);
                    return new Effects(o, again ? agg.server().assign(id, now) : null);
                }, e -> {
                    agg.logRejection(e.outcome());
                    countRejected(e.outcome());
                    if (e.outcome().published() != null) {
                        agg.publish(e.outcome().published());
                    }
                    if (e.next() != null) {
                        agg.send(e.next());
                    }
                });
        } else if (response instanceof Client.Failed f) {
            agg.work().submit(() -> {
                agg.server().onFailed(id, f.baseVersion(), f.round());
                return null;
            }, ignored -> parked.add(id));
        }
    }

    private record Effects(Outcome outcome, Assignment next) {
    }

    @Override
    public void onPublished(Publication p) {
        if (p.version() > 0 && !parked.isEmpty() && agg.canGiveWork() && !agg.capReached(p.version())) {
            List<Integer> retry = new ArrayList<>(parked);
            parked.clear();
            assignAndSend(retry);
        }
    }

    @Override
    public void onClientStopped(int clientId) {
        parked.remove(clientId);
    }

    private void countRejected(Outcome o) {
        rejectedInARow = o.rejected() ? rejectedInARow + 1 : 0;
        if (rejectedInARow >= (long) agg.settings().maxIdle() * Math.max(1, agg.clients().size())) {
            agg.giveUp(rejectedInARow + " updates in a row were rejected");
        }
    }
}
