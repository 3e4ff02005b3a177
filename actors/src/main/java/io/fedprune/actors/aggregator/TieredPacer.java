package io.fedprune.actors.aggregator;

import io.fedprune.actors.client.Client;
import io.fedprune.core.server.Assignment;
import io.fedprune.core.server.Outcome;
import io.fedprune.core.strategy.Pacing;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * Time-triggered tiers (TT-Fed, {@link Pacing.Tiered}): the clock ticks every ΔT; at tick k the
 * strategy aggregates the tiers whose deadline k is ({@code onTick}), then names who starts a
 * local round from the model just published ({@code startingAt}). Each starter's work names its
 * tier's {@link TierCoordinator} as where to answer, and the coordinator learns the round's
 * deadline: an answer in time reaches the strategy at once, a late one is counted stale. Tick 0 is
 * the start. After {@code maxIdle} ticks in a row at which nobody could be given work and nobody
 * was working, the aggregator gives up.
 */
final class TieredPacer implements Pacer {
    private final AggregatorContext agg;
    private final long tickMicros;
    private final Map<Integer, ActorRef<Object>> coordinators = new HashMap<>();
    private long tick;
    private long startMicros;
    private int idle;
    private long lastDeadline; // the latest deadline tick of any work given

    TieredPacer(AggregatorContext agg, Pacing.Tiered pacing) {
        this.agg = agg;
        this.tickMicros = pacing.tickMicros();
    }

    @Override
    public void start() {
        startMicros = agg.clock().nowMicros();
        dispatch(0, null);
    }

    @Override
    public void onRegistered(int clientId) {
        // joins at the next tick its tier is due
    }

    /** Tick k: aggregate the tiers due, then give work to whoever starts now. */
    void onTick() {
        long k = ++tick;
        long now = agg.clock().nowMicros();
        dispatch(k, now);
    }

    private void dispatch(long k, Long tickNow) {
        List<Integer> available = List.copyOf(agg.clients().keySet());
        long now = agg.clock().nowMicros();
        agg.work().submit(() -> {
            Outcome o = tickNow == null ? null : agg.server().onTick(tickNow);
            if (agg.server().finished()) {
                return new Ticked(o, List.of(), List.of());
            }
            List<Integer> starting = agg.server().startingAt(k, available);
            List<Assignment> work = new ArrayList<>();
            List<Long> deadlines = new ArrayList<>();
            for (int id : starting) {
                work.add(agg.server().assign(id, now));
                deadlines.add(agg.server().deadlineTick(id, k));
            }
            return new Ticked(o, work, deadlines);
        }, t -> {
            if (t.outcome() != null && t.outcome().published() != null) {
                agg.publish(t.outcome().published());
            }
            if (!agg.canGiveWork() || agg.capReached(agg.lastVersion())) {
                return;
            }
            for (int i = 0; i < t.work().size(); i++) {
                Assignment a = t.work().get(i);
                int tier = agg.server().tierOf(a.clientId());
                ActorRef<Object> c = coordinator(tier);
                long deadline = startMicros + t.deadlines().get(i) * tickMicros;
                TierCoordinator.commands(c).tell(new TierCoordinator.Expect(a.clientId(), a.version(), a.round(),
                        deadline));
                agg.send(a, TierCoordinator.answers(c));
            }
            for (long d : t.deadlines()) {
                lastDeadline = Math.max(lastDeadline, d);
            }
            // idle: nobody starts and no round is open any more (every deadline has passed)
            idle = t.work().isEmpty() && k >= lastDeadline ? idle + 1 : 0;
            if (idle >= agg.settings().maxIdle()) {
                agg.giveUp(idle + " ticks in a row with nobody to give work to and no round open");
            }
        });
    }

    private record Ticked(Outcome outcome, List<Assignment> work, List<Long> deadlines) {
    }

    private ActorRef<Object> coordinator(int tier) {
        return coordinators.computeIfAbsent(tier, m -> agg.actor().spawn(
                TierCoordinator.create(m, agg.clocks(), agg.actor().getSelf()), "tier-" + m));
    }

    @Override
    public void onResponse(Client.Response response) {
        int id = response.clientId();
        long now = agg.clock().nowMicros();
        if (response instanceof Client.Trained t) {
            agg.work().submit(() -> agg.server().onUpdate(AggregatorContext.incoming(t), now), agg::logRejection);
        } else if (response instanceof Client.Failed f) {
            agg.work().submit(() -> {
                agg.server().onFailed(id, f.baseVersion(), f.round());
                return null;
            }, ignored -> { });
        }
    }

    /** An answer after its tier's deadline: counted stale, never aggregated. */
    void onLate(Client.Response response) {
        if (response instanceof Client.Trained t) {
            agg.work().submit(() -> {
                agg.server().onStale(AggregatorContext.incoming(t));
                return null;
            }, ignored -> { });
        }
    }

    @Override
    public void onClientStopped(int clientId) {
        // its open round closes at its deadline tick without it
    }
}
