package io.fedprune.actors.experiment;

import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
import io.fedprune.actors.split.FedServer;
import io.fedprune.actors.split.SplitClient;
import io.fedprune.actors.split.SplitServer;
import io.fedprune.core.compress.Direction;
import io.fedprune.core.compress.MessageKind;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.metrics.TrafficByKind;
import io.fedprune.core.metrics.UpdatesPerClient;
import io.fedprune.core.split.SplitParameters;
import io.fedprune.core.train.EvalResult;
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
 * Runs one SplitFed experiment ({@code fedprune.algorithm = splitfed}) in virtual time, as
 * {@link ExperimentDriver} runs the others, and answers with the same {@link RunSummary}: spawns
 * the clock, the split server, one split client per shard and device of the experiment, and the
 * fed server; after every round that averaged the client parts it fetches the server part as it
 * is at that round's end, scores the whole model on the test set (virtual time waits) and records
 * one row: version = round, cumulative bytes of every message kind. Stops on the last round, the
 * time limit, the target (if asked), interruption, or when nothing is left to happen.
 */
final class SplitExperimentDriver extends AbstractBehavior<SplitExperimentDriver.Command> {

    sealed interface Command extends NoSerializationVerificationNeeded {
    }

    record Interrupt() implements Command {
    }

    private record FromFed(FedServer.Event event) implements Command {
    }

    private record ServerPartArrived(FedServer.RoundEnded round, SplitServer.ServerPartNow server) implements Command {
    }

    private record Evaluated(FedServer.RoundEnded round, SplitServer.ServerPartNow server, EvalResult result,
                             Throwable failure) implements Command {
    }

    private record TimeLimit() implements Command {
    }

    private record Quiescent() implements Command {
    }

    private record Stalled(VirtualClock.Stalled stall) implements Command {
    }

    private record ClockStopped(long atMicros, long events) implements Command {
    }

    /** The split server's traffic at the end (null if it did not answer). */
    private record FinalStats(SplitServer.Stats stats) implements Command {
    }

    private final SplitRunParts parts;
    private final ExperimentSettings settings;
    private final ProgressListener progress;
    private final ActorRef<ExperimentDriver.Finished> replyTo;
    private final ActorRef<VirtualClock.Command> virtualClock;
    private final Clock clock;
    private final ActorRef<SplitServer.Command> server;
    private final long startNanos = System.nanoTime();
    private final List<RoundRecord> history = new ArrayList<>();
    private int evaluating;
    private String finishedReason; // the fed server is done; stop once the last evaluation is recorded
    private String stopReason;
    private SplitServer.ServerPartNow lastServer;
    private FedServer.RoundEnded lastRound;
    private long answers;
    private ClockStopped clockStopped;
    private SplitServer.Stats finalStats;
    private boolean statsDue;

    static Behavior<Command> create(SplitRunParts parts, ProgressListener progress,
                                    ActorRef<ExperimentDriver.Finished> replyTo) {
        return Behaviors.setup(ctx -> new SplitExperimentDriver(ctx, parts, progress, replyTo));
    }

    private SplitExperimentDriver(ActorContext<Command> ctx, SplitRunParts parts, ProgressListener progress,
                                  ActorRef<ExperimentDriver.Finished> replyTo) {
        super(ctx);
        this.parts = parts;
        this.settings = parts.experiment.settings();
        this.progress = progress;
        this.replyTo = replyTo;
        if (!settings.clock().virtual()) {
            throw new SettingsException("fedprune.clock.mode: a splitfed run is simulated in virtual time only");
        }
        AtomicLong now = new AtomicLong();
        virtualClock = ctx.spawn(VirtualClock.create(now, ctx.messageAdapter(VirtualClock.Quiescent.class,
                        q -> new Quiescent()), ExperimentDriver.WATCHDOG, VirtualClock.DEFAULT_MAX_WAVE,
                ctx.messageAdapter(VirtualClock.Stalled.class, Stalled::new), ExperimentDriver.STALL_TICKS), "clock");
        VirtualClockService clocks = new VirtualClockService(virtualClock, now);
        this.clock = clocks.forActor(ctx);
        server = ctx.spawn(SplitServer.create(parts.serverTraining(), parts.serverProfile(),
                1 - parts.cut.clientComputeFraction(), parts.executor, clocks), "split-server");
        SplitClient.Setup setup = new SplitClient.Setup(server, settings.training().batchSize(),
                parts.cut.clientComputeFraction(), parts.executor, clocks, parts.split.stepDeadlineMicros());
        List<ActorRef<SplitClient.Command>> clients = new ArrayList<>();
        for (int i = 0; i < parts.experiment.shards().size(); i++) {
            clients.add(ctx.spawn(SplitClient.create(i, parts.experiment.shards().get(i),
                    parts.experiment.devices().get(i), settings.seed() * 7919 + i, parts.clientSide(i), setup,
                    parts.partCodecs(i)), "split-client-" + i));
        }
        int rounds = Math.toIntExact(Math.min(Integer.MAX_VALUE, settings.stop().maxRounds() == 0 ? Integer.MAX_VALUE
                : settings.stop().maxRounds()));
        ActorRef<FedServer.Command> fed = ctx.spawn(FedServer.create(clients, parts.start.client(),
                parts.fedServerCodecs(), parts.clientPartStrategy(),
                new FedServer.Plan(rounds, parts.split.stepsPerRound(), parts.split.fedInterval()), server,
                ctx.messageAdapter(FedServer.Event.class, FromFed::new), clocks), "fed-server");
        clock.send(fed, new FedServer.Start(), 0);
        if (settings.stop().maxVirtualTimeS() > 0) {
            clock.after(ctx.getSelf(), new TimeLimit(), Math.round(settings.stop().maxVirtualTimeS() * 1e6));
        }
        virtualClock.tell(new VirtualClock.Resume());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(FromFed.class, this::onFed)
                .onMessage(ServerPartArrived.class, this::onServerPart)
                .onMessage(Evaluated.class, this::onEvaluated)
                .onMessage(Interrupt.class, i -> stop("interrupted"))
                .onMessage(TimeLimit.class, t -> stop("max-virtual-time"))
                .onMessage(Quiescent.class, q -> stop("no-more-events"))
                .onMessage(Stalled.class, this::onStalled)
                .onMessage(ClockStopped.class, c -> {
                    clockStopped = c;
                    return finishIfReady();
                })
                .onMessage(FinalStats.class, f -> {
                    finalStats = f.stats();
                    statsDue = false;
                    return finishIfReady();
                })
                .build();
    }

    private Behavior<Command> onFed(FromFed m) {
        if (m.event() instanceof FedServer.Finished f) {
            clock.handled();
            finishedReason = f.reason().equals("last round") ? "max-rounds" : "no-clients-left";
            return evaluating == 0 ? stop(finishedReason) : this;
        }
        FedServer.RoundEnded r = (FedServer.RoundEnded) m.event();
        answers += r.answered();
        lastRound = r;
        if (stopReason != null || r.clientPart().length == 0) {
            clock.handled(); // not an aggregating round (or nobody answered): no whole model to score
            return this;
        }
        evaluating++;
        // the server part once this round's end has reached the server (V1 averages its copies then)
        getContext().ask(SplitServer.ServerPartNow.class, server, ExperimentDriver.TOTALS_DEADLINE,
                reply -> new SplitServer.GetServerPart(r.round(), reply),
                (reply, failure) -> new ServerPartArrived(r, reply));
        return this;
    }

    private Behavior<Command> onServerPart(ServerPartArrived a) {
        if (a.server() == null) {
            getContext().getLog().error("the split server did not answer for round {} within {}", a.round().round(),
                    ExperimentDriver.TOTALS_DEADLINE);
            evaluating--;
            return stop("server-failed");
        }
        lastServer = a.server();
        float[] client = parts.clientPartDecoder().decode(a.round().clientPart());
        float[] serverPart = parts.serverPartDecoder().decode(a.server().part());
        float[] whole = new SplitParameters(client, serverPart).joined();
        getContext().pipeToSelf(parts.experiment.pool().evaluate(whole, parts.experiment.test(),
                settings.eval().batchSize()), (res, err) -> new Evaluated(a.round(), a.server(), res, err));
        return this;
    }

    private Behavior<Command> onEvaluated(Evaluated e) {
        evaluating--;
        if (stopReason != null) {
            return this;
        }
        if (e.failure() != null) {
            getContext().getLog().error("evaluation of round {} failed", e.round().round(), e.failure());
            return stop("evaluation-failed");
        }
        FedServer.RoundEnded r = e.round();
        SplitServer.ServerPartNow s = e.server();
        RoundRecord row = new RoundRecord(r.round(), clock.nowSeconds(), wallSeconds(), e.result().accuracy(),
                e.result().loss(), s.bytesUp() + r.bytesUp(), s.bytesDown() + r.bytesDown(), columns(r, s));
        history.add(row);
        progress.onRound(row);
        ExperimentSettings.StopSettings stop = settings.stop();
        if (stop.stopAtTarget() && stop.targetAccuracy() != null && row.testAccuracy() >= stop.targetAccuracy()) {
            return stop("target-accuracy");
        }
        if (finishedReason != null && evaluating == 0) {
            return stop(finishedReason);
        }
        clock.handled(); // the RoundEnded: time goes on now that the round is scored
        return this;
    }

    private static Map<String, Double> columns(FedServer.RoundEnded r, SplitServer.ServerPartNow s) {
        Map<String, Double> c = new LinkedHashMap<>();
        c.put("round", (double) r.round());
        c.put("participants", (double) r.answered());
        c.put("failed", (double) r.failed());
        c.put("dropped", (double) r.dropped());
        c.put("train_loss", r.meanLoss());
        c.put("server_steps", (double) s.steps());
        c.put("rejected", (double) s.rejected());
        c.put("activation_bytes", (double) s.bytesUp());
        c.put("gradient_bytes", (double) s.bytesDown());
        c.put("client_part_bytes_up", (double) r.bytesUp());
        c.put("client_part_bytes_down", (double) r.bytesDown());
        return c;
    }

    /** Virtual time stood still: fine while split passes compute, a lost message otherwise. */
    private Behavior<Command> onStalled(Stalled s) {
        if (parts.executor.getActiveCount() > 0 || parts.experiment.pool().running() > 0) {
            return this;
        }
        getContext().getLog().error("virtual time stood still at {} s with nothing computing, waiting for {}: a message "
                + "was lost (see the log above); the run ends here", s.stall().atMicros() / 1e6, s.stall().waitingFor());
        return stop("stalled");
    }

    private Behavior<Command> stop(String reason) {
        if (stopReason != null) {
            return this;
        }
        stopReason = reason;
        statsDue = true; // asked directly: the server answers at once, whatever it is computing
        getContext().ask(SplitServer.Stats.class, server, ExperimentDriver.TOTALS_DEADLINE, SplitServer.GetStats::new,
                (st, failure) -> new FinalStats(st));
        virtualClock.tell(new VirtualClock.Stop(getContext().messageAdapter(VirtualClock.Stopped.class,
                st -> new ClockStopped(st.atMicros(), st.events()))));
        return this;
    }

    private Behavior<Command> finishIfReady() {
        if (clockStopped == null || statsDue) {
            return this;
        }
        ClockStopped stopped = clockStopped;
        if (finalStats == null) {
            getContext().getLog().warn("no final traffic from the split server; cut-layer bytes are those of the last "
                    + "scored round");
        }
        long activations = finalStats != null ? finalStats.bytesUp() : lastServer == null ? 0 : lastServer.bytesUp();
        long gradients = finalStats != null ? finalStats.bytesDown() : lastServer == null ? 0 : lastServer.bytesDown();
        long rejected = finalStats != null ? finalStats.rejected() : lastServer == null ? 0 : lastServer.rejected();
        long partsUp = lastRound == null ? 0 : lastRound.bytesUp();
        long partsDown = lastRound == null ? 0 : lastRound.bytesDown();
        long[] kinds = new long[TrafficByKind.SIZE];
        kinds[TrafficByKind.index(Direction.UPLINK, MessageKind.ACTIVATIONS)] = activations;
        kinds[TrafficByKind.index(Direction.DOWNLINK, MessageKind.ACTIVATION_GRADIENTS)] = gradients;
        kinds[TrafficByKind.index(Direction.UPLINK, MessageKind.CLIENT_PART)] = partsUp;
        kinds[TrafficByKind.index(Direction.DOWNLINK, MessageKind.CLIENT_PART)] = partsDown;
        RunSummary summary = RunSummary.of(settings.algorithm().name(), parts.experiment.train().name(),
                settings.data().clients(), settings.seed(), settings.stop().targetAccuracy(), history,
                stopped.atMicros() / 1e6, wallSeconds(), activations + partsUp, gradients + partsDown, stopReason,
                answers, rejected, stopped.events(), UpdatesPerClient.none(),
                TrafficByKind.of(kinds, 0));
        getContext().getLog().info("split experiment {} finished ({}): {} rounds, final accuracy {}, virtual {} s",
                settings.name(), stopReason, summary.rounds(), summary.finalAccuracy(), summary.virtualTimeS());
        progress.onFinish(summary);
        replyTo.tell(new ExperimentDriver.Finished(summary));
        return Behaviors.stopped();
    }

    private double wallSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
