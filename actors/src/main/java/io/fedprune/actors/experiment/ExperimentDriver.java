package io.fedprune.actors.experiment;

import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.aggregator.AggregatorEvent;
import io.fedprune.actors.aggregator.AggregatorGaveUp;
import io.fedprune.actors.aggregator.AggregatorSettings;
import io.fedprune.actors.aggregator.ModelPublished;
import io.fedprune.actors.buffer.Buffer;
import io.fedprune.actors.buffer.BufferClient;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.client.ClientNetwork;
import io.fedprune.actors.client.ClientSetup;
import io.fedprune.actors.client.TrainingMemo;
import io.fedprune.actors.journal.Replay;
import io.fedprune.core.server.FederatedServer;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
import io.fedprune.actors.link.ServerLink;
import io.fedprune.actors.monitor.RunMonitor;
import io.fedprune.core.strategy.UpdateBuffers;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.metrics.TrafficByKind;
import io.fedprune.core.metrics.UpdatesPerClient;
import io.fedprune.core.server.ServerStats;
import io.fedprune.core.train.EvalResult;
import io.fedprune.serialization.ActorPaths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Runs one experiment in one JVM: spawns the clock, the aggregator and one actor per client,
 * evaluates published models on the test set (on the trainer pool, while virtual time waits),
 * records one row per evaluated version and stops on max rounds, the time limit, the target
 * accuracy (if asked), when the aggregator gives up or fails, when nothing is left to happen or
 * when interrupted. Replies once with the summary, whose byte totals count every message sent.
 */
public final class ExperimentDriver extends AbstractBehavior<ExperimentDriver.Command> {

    public sealed interface Command extends NoSerializationVerificationNeeded {
    }

    /**
     * Stop now, as on any other stop condition, with reason {@code interrupted}: the summary holds
     * the versions evaluated so far. Sent through {@link RunHandle#interrupt()} (a shutdown hook).
     */
    public record Interrupt() implements Command {
    }

    private record Notified(AggregatorEvent event) implements Command {
    }

    private record Evaluated(ModelPublished model, EvalResult result, Throwable failure) implements Command {
    }

    private record TimeLimit() implements Command {
    }

    private record Quiescent(long atMicros) implements Command {
    }

    private record Stalled(VirtualClock.Stalled stall) implements Command {
    }

    /**
     * How long virtual time may stand still with nothing computing on the trainer pool before the
     * run is called stalled: long enough for any single piece of the aggregator's own model work
     * (which the pool does not see), short of waiting forever.
     */
    static final Duration WATCHDOG = Duration.ofSeconds(30);
    static final int STALL_TICKS = 20;

    private record ClockStopped(long atMicros, long events) implements Command {
    }

    private record AggregatorStopped() implements Command {
    }

    private record BufferStopped() implements Command {
    }

    private record TotalsArrived(Aggregator.Totals totals) implements Command {
    }

    private record TotalsOverdue() implements Command {
    }

    /** How long a stopping run waits for the aggregator's final totals (wall clock). */
    static final Duration TOTALS_DEADLINE = Duration.ofSeconds(30);

    /** The driver's single reply, to a local caller (the driver runs where its experiment runs). */
    public record Finished(RunSummary summary) implements NoSerializationVerificationNeeded {
    }

    /** The standard columns after the fixed ones of rounds.csv, then the strategy's own. */
    static final List<String> STAT_COLUMNS = List.of("round", "participants", "accepted", "rejected", "stale",
            "stragglers", "mean_staleness", "failed", "dropped");

    private final Experiment experiment;
    private final ExperimentSettings settings;
    private final ProgressListener progress;
    private final ActorRef<Finished> replyTo;
    private final ActorRef<VirtualClock.Command> virtualClock;
    private final AtomicLong virtualNow = new AtomicLong();
    private final Clock clock;
    private final ActorRef<Aggregator.Command> aggregator;
    private final long startNanos = System.nanoTime();
    private final List<RoundRecord> history = new ArrayList<>();
    private final Replay replay;

    private ModelPublished last;
    // versions being evaluated, in publication order, and evaluations done but not yet recorded
    private final java.util.ArrayDeque<Long> evaluating = new java.util.ArrayDeque<>();
    private final java.util.TreeMap<Long, Evaluated> evaluated = new java.util.TreeMap<>();
    private String stopReason;
    private Aggregator.Totals totals;
    private boolean totalsDue;
    private Long stoppedAtMicros;
    private long clockEvents;
    private boolean settingUp = true;

    public static Behavior<Command> create(Experiment experiment, ProgressListener progress, ActorRef<Finished> replyTo) {
        return create(experiment, progress, replyTo, null);
    }

    /** With the server's inputs journaled through {@code replay} (null: not journaled), resuming what it recovered. */
    public static Behavior<Command> create(Experiment experiment, ProgressListener progress, ActorRef<Finished> replyTo,
                                           Replay replay) {
        return Behaviors.setup(ctx -> new ExperimentDriver(ctx, experiment, progress, replyTo, replay));
    }

    private ExperimentDriver(ActorContext<Command> ctx, Experiment experiment, ProgressListener progress,
                             ActorRef<Finished> replyTo, Replay replay) {
        super(ctx);
        this.experiment = experiment;
        this.settings = experiment.settings();
        this.progress = progress;
        this.replyTo = replyTo;
        this.replay = replay;
        if (progress.runEvents() != null) { // before any actor that publishes
            RunMonitor.get(ctx.getSystem()).attach(progress.runEvents());
        }
        ClockService clocks;
        if (settings.clock().virtual()) {
            ActorRef<VirtualClock.Quiescent> onQuiet = ctx.messageAdapter(VirtualClock.Quiescent.class,
                    q -> new Quiescent(q.atMicros()));
            ActorRef<VirtualClock.Stalled> onStall = ctx.messageAdapter(VirtualClock.Stalled.class, Stalled::new);
            virtualClock = ctx.spawn(VirtualClock.create(virtualNow, onQuiet, WATCHDOG, VirtualClock.DEFAULT_MAX_WAVE,
                    onStall, STALL_TICKS), "clock");
            clocks = new VirtualClockService(virtualClock, virtualNow);
        } else {
            virtualClock = null;
            clocks = new RealTimeClockService(settings.clock().latencyScale());
        }
        this.clock = clocks.forActor(ctx);
        ActorRef<AggregatorEvent> events = ctx.messageAdapter(AggregatorEvent.class, Notified::new);
        FederatedServer server = experiment.newServer(buffers(ctx));
        if (replay != null) {
            server.recordInputs(replay);
        }
        aggregator = ctx.spawn(Aggregator.create(server, new AggregatorSettings(settings.stop().maxRounds()), events,
                clocks), ActorPaths.AGGREGATOR);
        ctx.watchWith(aggregator, new AggregatorStopped());
        ClientSetup setup = new ClientSetup(experiment.train(), experiment.pool(), experiment.codec(),
                experiment::uplinkEncoder, settings.training(), clocks, experiment.fixedUploadBytes(),
                clientNetwork(ctx, clocks), experiment.deviceTests(), replay != null ? replay : TrainingMemo.NONE);
        for (int i = 0; i < experiment.shards().size(); i++) {
            ActorRef<Client.Command> client = ctx.spawn(Client.create(i, experiment.shards().get(i),
                    experiment.devices().get(i), settings.seed() * 7919 + i, setup), ActorPaths.client(i));
            clock.send(aggregator, new Aggregator.RegisterClient(i, client), 0);
        }
        clock.send(aggregator, new Aggregator.Start(), 0);
        if (settings.stop().maxVirtualTimeS() > 0) {
            clock.after(ctx.getSelf(), new TimeLimit(), Math.round(settings.stop().maxVirtualTimeS() * 1e6));
        }
        if (virtualClock != null) {
            virtualClock.tell(new VirtualClock.Resume()); // after the set-up burst, from the same sender
        }
        settingUp = false;
    }

    /**
     * A buffering strategy's slots go to a {@link Buffer} actor of their own, spawned (while the
     * strategy is built, on this thread) and watched: a buffer that stops ends the run.
     */
    private UpdateBuffers buffers(ActorContext<Command> ctx) {
        return modelSize -> {
            if (!settingUp) {
                throw new IllegalStateException("a strategy asked for an update buffer after it was built");
            }
            ActorRef<Buffer.Command> buffer = ctx.spawn(Buffer.create(modelSize), Buffer.NAME);
            ctx.watchWith(buffer, new BufferStopped());
            return new BufferClient(buffer, ctx.getSystem().scheduler(), BufferClient.DEFAULT_DEADLINE);
        };
    }

    /** PR-FL's network: per-round redraws and, if configured, the shared server link the clients use. */
    private ClientNetwork clientNetwork(ActorContext<Command> ctx, ClockService clocks) {
        ServerLink.Capacity capacity = experiment.serverLinkCapacity();
        ActorRef<ServerLink.Command> link = capacity == null ? null
                : ctx.spawn(ServerLink.create(capacity, clocks), "server-link");
        return new ClientNetwork(settings.network().clientRedraw(settings.seed()), link);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Notified.class, this::onNotified)
                .onMessage(Evaluated.class, this::onEvaluated)
                .onMessage(Interrupt.class, i -> stop("interrupted"))
                .onMessage(TimeLimit.class, t -> stop(settings.clock().virtual() ? "max-virtual-time" : "max-time"))
                .onMessage(Quiescent.class, q -> onQuiescent())
                .onMessage(Stalled.class, this::onStalled)
                .onMessage(AggregatorStopped.class, s -> onAggregatorStopped())
                .onMessage(BufferStopped.class, s -> {
                    getContext().getLog().error("the update buffer stopped unexpectedly (see the log above)");
                    return stop("buffer-failed");
                })
                .onMessage(ClockStopped.class, s -> {
                    stoppedAtMicros = s.atMicros();
                    clockEvents = s.events();
                    return finishIfReady();
                })
                .onMessage(TotalsOverdue.class, t -> {
                    if (totalsDue) {
                        getContext().getLog().warn("no final totals from the aggregator within {}; byte counts are "
                                + "those of the last published version", TOTALS_DEADLINE);
                        totalsDue = false;
                    }
                    return finishIfReady();
                })
                .onMessage(TotalsArrived.class, t -> {
                    totals = t.totals();
                    totalsDue = false;
                    return finishIfReady();
                })
                .build();
    }

    private Behavior<Command> onNotified(Notified n) {
        if (n.event() instanceof AggregatorGaveUp g) {
            getContext().getLog().error("the aggregator gave up after version {}: {}", g.version(), g.reason());
            return stop("aggregator-gave-up");
        }
        ModelPublished m = (ModelPublished) n.event();
        if (stopReason != null) {
            return this;
        }
        last = m;
        long cap = settings.stop().maxRounds();
        // versions an in-flight update published past the cap are not part of the run's history
        if ((cap == 0 || m.version() <= cap)
                && (m.version() % settings.eval().every() == 0 || m.version() == cap || m.last())) {
            // The broadcast (what clients start from) or the server's own model; they differ only
            // when the downlink is lossy. Decoded and scored on the pool; virtual time waits for
            // the evaluation: the report is sent when it is done, in version order.
            boolean own = settings.eval().aggregate() && m.aggregate().length > 0;
            evaluating.add(m.version());
            getContext().pipeToSelf(experiment.pool().evaluate(() -> own ? m.aggregate()
                            : experiment.codec().decode(m.model()), experiment.test(), settings.eval().batchSize()),
                    (r, err) -> new Evaluated(m, r, err));
            return this;
        }
        clock.handled();
        return this;
    }

    /**
     * Virtual time has stood still for a while. If the trainer pool is computing, a long local
     * round holds it and all is well; if nothing computes, a delivered message will never be
     * reported handled (it was lost) and the run would wait forever: it ends, with what it has.
     */
    private Behavior<Command> onStalled(Stalled s) {
        if (experiment.pool().running() > 0) {
            return this;
        }
        getContext().getLog().error("virtual time stood still at {} s for {} with nothing computing, waiting for {} "
                + "to report messages handled: a message was lost (see the log above); the run ends here",
                s.stall().atMicros() / 1e6, WATCHDOG.multipliedBy(STALL_TICKS), s.stall().waitingFor());
        return stop("stalled");
    }

    /** Evaluations finish in any order on the pool's workers; rows are recorded in version order. */
    private Behavior<Command> onEvaluated(Evaluated e) {
        evaluated.put(e.model().version(), e);
        Behavior<Command> next = this;
        while (stopReason == null && !evaluating.isEmpty() && evaluated.containsKey(evaluating.peek())) {
            next = record(evaluated.remove(evaluating.poll()));
        }
        return next;
    }

    private Behavior<Command> record(Evaluated e) {
        if (stopReason != null) {
            return this;
        }
        if (e.failure() != null) {
            getContext().getLog().error("evaluation of version {} failed", e.model().version(), e.failure());
            return stop("evaluation-failed");
        }
        ModelPublished m = e.model();
        RoundRecord row = new RoundRecord(m.version(), clock.nowSeconds(), wallSeconds(), e.result().accuracy(),
                e.result().loss(), m.bytesUp(), m.bytesDown(), columns(m));
        history.add(row);
        progress.onRound(row);
        ExperimentSettings.StopSettings stop = settings.stop();
        if (stop.stopAtTarget() && stop.targetAccuracy() != null && row.testAccuracy() >= stop.targetAccuracy()) {
            return stop("target-accuracy");
        }
        if (stop.maxRounds() > 0 && m.version() >= stop.maxRounds()) {
            return stop("max-rounds");
        }
        if (m.last()) {
            return stop("training-finished"); // the strategy's own end, e.g. PR-FL's recovery is complete
        }
        clock.handled();
        return this;
    }

    static Map<String, Double> columns(ModelPublished m) {
        ServerStats s = m.stats();
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("round", (double) m.round());
        extra.put("participants", (double) s.participants());
        extra.put("accepted", (double) s.accepted());
        extra.put("rejected", (double) s.rejected());
        extra.put("stale", (double) s.stale());
        extra.put("stragglers", (double) s.stragglers());
        extra.put("mean_staleness", s.meanStaleness());
        extra.put("failed", (double) s.failed());
        extra.put("dropped", (double) s.dropped());
        extra.putAll(m.metrics());
        return extra;
    }

    /**
     * Nothing is left to happen. A failed aggregator also leaves the clock with nothing to do, and
     * its death notice may still be queued behind this: the child is gone already, so say so.
     */
    private Behavior<Command> onQuiescent() {
        if (getContext().getChild(ActorPaths.AGGREGATOR).isEmpty()) {
            return onAggregatorStopped();
        }
        return stop("no-more-events");
    }

    private Behavior<Command> onAggregatorStopped() {
        totalsDue = false; // it will not answer any more
        if (stopReason == null) {
            getContext().getLog().error("the aggregator stopped unexpectedly (it failed; see the log above)");
            return stop("aggregator-failed");
        }
        return finishIfReady();
    }

    private Behavior<Command> stop(String reason) {
        if (stopReason != null) {
            return this;
        }
        stopReason = reason;
        if (getContext().getChild(ActorPaths.AGGREGATOR).isPresent() && !reason.equals("aggregator-failed")) {
            totalsDue = true;
            aggregator.tell(new Aggregator.Stop(getContext().messageAdapter(Aggregator.Totals.class,
                    TotalsArrived::new)));
            getContext().scheduleOnce(TOTALS_DEADLINE, getContext().getSelf(), new TotalsOverdue());
        }
        if (virtualClock != null) {
            ActorRef<VirtualClock.Stopped> onStopped = getContext().messageAdapter(VirtualClock.Stopped.class,
                    s -> new ClockStopped(s.atMicros(), s.events()));
            virtualClock.tell(new VirtualClock.Stop(onStopped));
        } else {
            stoppedAtMicros = clock.nowMicros();
        }
        return finishIfReady();
    }

    private Behavior<Command> finishIfReady() {
        if (stopReason == null || totalsDue || stoppedAtMicros == null) {
            return this;
        }
        long up = totals != null ? totals.bytesUp() : last == null ? 0 : last.bytesUp();
        long down = totals != null ? totals.bytesDown() : last == null ? 0 : last.bytesDown();
        ServerStats stats = totals != null ? totals.stats() : last == null ? null : last.stats();
        RunSummary summary = RunSummary.of(settings.algorithm().name(), experiment.train().name(),
                settings.data().clients(), settings.seed(), settings.stop().targetAccuracy(), history,
                stoppedAtMicros / 1e6, wallSeconds(), up, down, stopReason,
                stats == null ? 0 : stats.accepted(), stats == null ? 0 : stats.rejected(), clockEvents,
                totals == null ? UpdatesPerClient.none() : UpdatesPerClient.of(totals.updatesPerClient()),
                totals == null ? TrafficByKind.none() : totals.traffic());
        getContext().getLog().info("experiment {} finished ({}): {} versions, final accuracy {}, virtual {} s",
                settings.name(), stopReason, summary.rounds(), summary.finalAccuracy(), summary.virtualTimeS());
        if (last != null) {
            progress.onFinalModel(last.version(), last.model());
        }
        if (replay != null) {
            progress.onJournal(replay.recoveredSize(), replay.recalled(), replay.appended(), replay.caughtUpSeconds());
        }
        progress.onFinish(summary);
        replyTo.tell(new Finished(summary));
        return Behaviors.stopped();
    }

    private double wallSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
