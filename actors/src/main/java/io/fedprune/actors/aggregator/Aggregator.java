package io.fedprune.actors.aggregator;

import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.actors.monitor.RunEvent;
import io.fedprune.core.metrics.TrafficByKind;
import io.fedprune.core.server.FederatedServer;
import io.fedprune.core.server.ServerStats;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.serialization.WireMessage;
import java.util.ArrayDeque;
import java.util.List;
import java.util.SortedMap;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The server actor. It decides <em>when</em>: who is registered, who gets work, when the clock
 * ticks, when to give up; rounds or continuous work are its {@link Pacer} (synchronous rounds use
 * a {@link RoundQuery} child each). <em>What</em> happens — the strategy, decoding, validation,
 * aggregation, encoding — is a {@link FederatedServer} in core, run off this actor's thread one
 * piece at a time ({@link SerialWork}); while a message's work runs, further work messages wait
 * in arrival order, so a run is the same whatever the threads do. Under the virtual clock a
 * message is reported handled only when all the work it caused is done.
 *
 * <p>Clients answer whatever {@code ActorRef<Client.Response>} their request names: by default
 * this aggregator's adapter; with {@code responses} given, an actor standing in between (a buffer,
 * a tier coordinator) that passes answers on as {@link Responded} (through the clock in virtual
 * time). A client that stops is a dropout: a round closes without it, continuous work carries on
 * without it, and with no client left the aggregator gives up.
 */
public final class Aggregator extends AbstractBehavior<Aggregator.Command> {

    public sealed interface Command {
    }

    public record RegisterClient(int clientId, ActorRef<Client.Command> client) implements Command, WireMessage {
    }

    public record Start() implements Command, WireMessage {
    }

    /** Stop giving out work; replies with the final totals (every byte sent, accepted or not). */
    public record Stop(ActorRef<Totals> replyTo) implements Command, WireMessage {
    }

    /**
     * @param updatesPerClient      accepted updates by client id (an int[] so it stays small and Kryo-ready)
     * @param bytesByKind           bytes by direction and message kind, laid out by {@link TrafficByKind#index}
     *                              (a plain long[] for the same reason)
     * @param residualDistinctBytes bytes of distinct residual increments handed out
     */
    public record Totals(long version, long bytesUp, long bytesDown, ServerStats stats, int[] updatesPerClient,
                         long[] bytesByKind, long residualDistinctBytes) implements WireMessage {

        public TrafficByKind traffic() {
            return TrafficByKind.of(bytesByKind, residualDistinctBytes);
        }
    }

    /** A client's answer, from the aggregator's own adapter or from an actor standing in between. */
    public record Responded(Client.Response response) implements Command, WireMessage {
    }

    /** A client's answer that came after its tier's deadline ({@link TierCoordinator}): counted stale, never used. */
    public record LateAnswer(Client.Response response) implements Command, WireMessage {
    }

    public record GetModel(ActorRef<ModelSnapshot> replyTo) implements Command, WireMessage {
    }

    public record ModelSnapshot(long version, byte[] model) implements WireMessage {
    }

    /** From a {@link RoundQuery} child, through the clock: the outcome, and who timed out or stopped. */
    record RoundClosed(RoundOutcome outcome, List<Integer> stragglers, List<Integer> dropped)
            implements Command, NoSerializationVerificationNeeded {
    }

    record Tick() implements Command, NoSerializationVerificationNeeded {
    }

    private record ClientStopped(int clientId, ActorRef<Client.Command> client)
            implements Command, NoSerializationVerificationNeeded {
    }

    /** The residual-download distributor child stopped (a bug in it): the next download spawns another. */
    record DistributorStopped(ActorRef<?> distributor) implements Command, NoSerializationVerificationNeeded {
    }

    private record WorkDone(SerialWork.Done done) implements Command, NoSerializationVerificationNeeded {
    }

    private final FederatedServer server;
    private final Pacing pacing;
    private final Pacer pacer;
    private final AggregatorContext agg;
    private final Clock clock;
    private final SerialWork<Command> work;
    private final SortedMap<Integer, ActorRef<Client.Command>> clients;
    // work messages that arrived while model work was running, in arrival order
    private final ArrayDeque<Command> waiting = new ArrayDeque<>();

    private boolean clockHeld;
    private boolean started;

    /**
     * @param server    the strategy, model and codecs; owned by this actor from now on
     * @param responses where clients should answer (null: this aggregator)
     * @param executor  runs the model work (null: the actor system's blocking dispatcher)
     */
    public static Behavior<Command> create(FederatedServer server, AggregatorSettings settings,
                                           ActorRef<AggregatorEvent> listener, ClockService clocks,
                                           ActorRef<Client.Response> responses, Executor executor) {
        return Behaviors.setup(ctx -> new Aggregator(ctx, server, settings, listener, clocks, responses, executor));
    }

    public static Behavior<Command> create(FederatedServer server, AggregatorSettings settings,
                                           ActorRef<AggregatorEvent> listener, ClockService clocks) {
        return create(server, settings, listener, clocks, null, null);
    }

    private Aggregator(ActorContext<Command> ctx, FederatedServer server, AggregatorSettings settings,
                       ActorRef<AggregatorEvent> listener, ClockService clocks, ActorRef<Client.Response> responses,
                       Executor executor) {
        super(ctx);
        ctx.setLoggerName(Aggregator.class); // its pacers and context log as the aggregator
        this.server = server;
        this.pacing = server.pacing();
        this.work = new SerialWork<>(ctx, executor != null ? executor
                : ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking()), WorkDone::new);
        this.agg = new AggregatorContext(ctx, server, work, clocks, settings, listener,
                responses != null ? responses : ctx.messageAdapter(Client.Response.class, Responded::new));
        this.clock = agg.clock();
        this.clients = agg.clients();
        if (pacing instanceof Pacing.Rounds r) {
            this.pacer = new RoundPacer(agg, r);
        } else if (pacing instanceof Pacing.Tiered t) {
            this.pacer = new TieredPacer(agg, t);
        } else {
            this.pacer = new ContinuousPacer(agg, (Pacing.Continuous) pacing);
        }
        agg.pacer(pacer);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(WorkDone.class, this::onWorkDone)
                .onMessage(Stop.class, this::onStop)
                .onMessage(GetModel.class, q -> {
                    q.replyTo().tell(new ModelSnapshot(agg.lastVersion(), agg.lastModel()));
                    return this;
                })
                .onAnyMessage(this::arrive)
                .build();
    }

    /** Work messages are handled one at a time: one waits while the work of another runs. */
    private Behavior<Command> arrive(Command message) {
        if (clockHeld || !work.idle() || !waiting.isEmpty()) {
            waiting.add(message);
        } else {
            handle(message);
            finishIfDone();
        }
        return this;
    }

    private void handle(Command message) {
        // all but death-watch signals come through the clock in virtual time
        clockHeld = !(message instanceof ClientStopped || message instanceof DistributorStopped);
        if (message instanceof RegisterClient r) {
            onRegister(r);
        } else if (message instanceof Start) {
            onStart();
        } else if (message instanceof Responded r) {
            onResponse(r.response());
        } else if (message instanceof LateAnswer l) {
            ((TieredPacer) pacer).onLate(l.response());
        } else if (message instanceof RoundClosed c) {
            pacer.onRoundClosed(c);
        } else if (message instanceof Tick) {
            onTick();
        } else if (message instanceof ClientStopped s) {
            onClientStopped(s);
        } else if (message instanceof DistributorStopped d) {
            agg.distributorStopped(d.distributor());
        } else {
            throw new IllegalStateException("unexpected " + message);
        }
    }

    private Behavior<Command> onWorkDone(WorkDone d) {
        work.completed(d.done());
        finishIfDone();
        return this;
    }

    /** When the current message's work is done: report it handled, then take the next waiting one. */
    private void finishIfDone() {
        while (work.idle()) {
            if (clockHeld) {
                clockHeld = false;
                clock.handled();
            }
            Command next = waiting.poll();
            if (next == null) {
                return;
            }
            handle(next);
        }
    }

    private void onRegister(RegisterClient r) {
        ActorRef<Client.Command> previous = clients.put(r.clientId(), r.client());
        if (previous != null && !previous.equals(r.client())) {
            getContext().getLog().warn("client id {} re-registered from {} (was {})", r.clientId(), r.client(), previous);
            getContext().unwatch(previous);
        }
        getContext().watchWith(r.client(), new ClientStopped(r.clientId(), r.client()));
        if (started) {
            pacer.onRegistered(r.clientId());
        }
    }

    private void onStart() {
        if (started) {
            return;
        }
        started = true;
        if (clients.isEmpty()) {
            getContext().getLog().warn("aggregator started with no registered clients");
        }
        work.submit(server::initial, agg::publish);
        pacer.start();
        if (pacing.tickMicros() > 0) {
            clock.after(getContext().getSelf(), new Tick(), pacing.tickMicros());
        }
    }

    private Behavior<Command> onStop(Stop s) {
        agg.stop();
        work.submit(() -> {
            TrafficByKind traffic = server.trafficByKind();
            return new Totals(server.version(), server.bytesUp(), server.bytesDown(), server.stats(),
                    server.updatesPerClient(), traffic.toArray(), traffic.residualDistinct());
        }, t -> s.replyTo().tell(t));
        return this;
    }

    private void onResponse(Client.Response response) {
        if (agg.monitor().watched()) {
            agg.monitor().publish(new RunEvent.Answered(response.clientId(), response.baseVersion(), agg.lastVersion(),
                    response instanceof Client.Trained, clock.nowMicros()));
        }
        if (response instanceof Client.Failed f) {
            getContext().getLog().info("client {} failed its round on version {}: {}", f.clientId(), f.baseVersion(),
                    f.reason());
        }
        pacer.onResponse(response);
    }

    private void onTick() {
        if (!agg.canGiveWork()) {
            return;
        }
        long now = clock.nowMicros();
        if (pacer instanceof TieredPacer tiered) {
            tiered.onTick(); // aggregates the tiers due and gives out the tick's work
        } else {
            work.submit(() -> server.onTick(now), o -> {
                if (o.published() != null) {
                    agg.publish(o.published());
                }
            });
        }
        if (clients.isEmpty()) {
            agg.giveUp("no clients left");
        } else if (!agg.capReached(agg.lastVersion())) {
            clock.after(getContext().getSelf(), new Tick(), pacing.tickMicros());
        }
    }

    private void onClientStopped(ClientStopped s) {
        if (!s.client().equals(clients.get(s.clientId()))) {
            return; // an earlier registration of that id
        }
        clients.remove(s.clientId());
        pacer.onClientStopped(s.clientId());
        getContext().getLog().info("client {} stopped: a dropout", s.clientId());
        agg.monitor().publish(new RunEvent.Dropped(s.clientId(), clock.nowMicros()));
        int id = s.clientId();
        work.submit(() -> {
            server.onDropped(id);
            return null;
        }, ignored -> {
            if (clients.isEmpty() && started) {
                agg.giveUp("no clients left");
            }
        });
    }
}
