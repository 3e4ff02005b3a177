package io.fedprune.actors.experiment;

import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.aggregator.ModelPublished;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.train.EvalResult;
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
 * records one row per evaluated version and stops on max rounds, max virtual time, the target
 * accuracy (if asked), when nothing is left to happen or when interrupted. Replies once with the summary.
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

    private record Published(ModelPublished model) implements Command {
    }

    private record Evaluated(ModelPublished model, EvalResult result, Throwable failure) implements Command {
    }

    private record TimeLimit() implements Command {
    }

    private record Quiescent(long atMicros) implements Command {
    }

    private record ClockStopped(long atMicros) implements Command {
    }

    /** The driver's single reply, to a local caller (the driver runs where its experiment runs). */
    public record Finished(RunSummary summary) implements NoSerializationVerificationNeeded {
    }

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

    private ModelPublished last;
    private String stopReason;

    public static Behavior<Command> create(Experiment experiment, ProgressListener progress, ActorRef<Finished> replyTo) {
        return Behaviors.setup(ctx -> new ExperimentDriver(ctx, experiment, progress, replyTo));
    }

    private ExperimentDriver(ActorContext<Command> ctx, Experiment experiment, ProgressListener progress,
                             ActorRef<Finished> replyTo) {
        super(ctx);
        this.experiment = experiment;
        this.settings = experiment.settings();
        this.progress = progress;
        this.replyTo = replyTo;
        ClockService clocks;
        if (settings.clock().virtual()) {
            ActorRef<VirtualClock.Quiescent> onQuiet = ctx.messageAdapter(VirtualClock.Quiescent.class,
                    q -> new Quiescent(q.atMicros()));
            virtualClock = ctx.spawn(VirtualClock.create(virtualNow, onQuiet, Duration.ofSeconds(30)), "clock");
            clocks = new VirtualClockService(virtualClock, virtualNow);
        } else {
            virtualClock = null;
            clocks = new RealTimeClockService(settings.clock().latencyScale());
        }
        this.clock = clocks.forActor(ctx);
        ActorRef<ModelPublished> onModel = ctx.messageAdapter(ModelPublished.class, Published::new);
        aggregator = ctx.spawn(Aggregator.create(settings.aggregator(), experiment.newStrategy(), experiment.codec(),
                experiment.uplinkDecoder(), settings.codec().payload(), experiment.pool().initialParameters(),
                onModel, clocks), "aggregator");
        Client.Setup setup = new Client.Setup(experiment.train(), experiment.pool(), experiment.codec(),
                experiment::uplinkEncoder, settings.training(), clocks);
        for (int i = 0; i < experiment.shards().size(); i++) {
            ActorRef<Client.Command> client = ctx.spawn(Client.create(i, experiment.shards().get(i),
                    experiment.devices().get(i), settings.seed() * 7919 + i, setup), "client-" + i);
            clock.send(aggregator, new Aggregator.RegisterClient(i, client), 0);
        }
        clock.send(aggregator, new Aggregator.Start(), 0);
        if (settings.stop().maxVirtualTimeS() > 0) {
            clock.send(ctx.getSelf(), new TimeLimit(), Math.round(settings.stop().maxVirtualTimeS() * 1e6));
        }
        if (virtualClock != null) {
            virtualClock.tell(new VirtualClock.Resume()); // after the set-up burst, from the same sender
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Published.class, this::onPublished)
                .onMessage(Evaluated.class, this::onEvaluated)
                .onMessage(Interrupt.class, i -> stop("interrupted"))
                .onMessage(TimeLimit.class, t -> stop("max-virtual-time"))
                .onMessage(Quiescent.class, q -> stop("no-more-events"))
                .onMessage(ClockStopped.class, this::onClockStopped)
                .build();
    }

    private Behavior<Command> onPublished(Published p) {
        if (stopReason != null) {
            return this;
        }
        ModelPublished m = p.model();
        last = m;
        boolean finalVersion = settings.stop().maxRounds() > 0 && m.version() >= settings.stop().maxRounds();
        if (m.version() % settings.eval().every() == 0 || finalVersion) {
            // The broadcast (what clients start from) or the server's own model; they differ only
            // when the downlink is lossy.
            float[] params = settings.eval().aggregate() && m.aggregate().length > 0 ? m.aggregate()
                    : experiment.codec().decode(m.model());
            // Virtual time waits for the evaluation: the report below is sent when it is done.
            getContext().pipeToSelf(experiment.pool().evaluate(params, experiment.test(), settings.eval().batchSize()),
                    (r, err) -> new Evaluated(m, r, err));
            return this;
        }
        clock.handled();
        return this;
    }

    private Behavior<Command> onEvaluated(Evaluated e) {
        if (stopReason != null) {
            return this;
        }
        if (e.failure() != null) {
            getContext().getLog().error("evaluation of version {} failed", e.model().version(), e.failure());
            return stop("evaluation-failed");
        }
        ModelPublished m = e.model();
        Map<String, Double> extra = new LinkedHashMap<>();
        extra.put("round", (double) m.round());
        extra.put("participants", (double) m.stats().participants());
        extra.put("accepted", (double) m.stats().accepted());
        extra.put("rejected", (double) m.stats().rejected());
        extra.put("stale", (double) m.stats().stale());
        extra.put("stragglers", (double) m.stats().stragglers());
        extra.put("mean_staleness", m.stats().meanStaleness());
        RoundRecord row = new RoundRecord(m.version(), clock.nowSeconds(), wallSeconds(), e.result().accuracy(),
                e.result().loss(), m.bytesUp(), m.bytesDown(), extra);
        history.add(row);
        progress.onRound(row);
        ExperimentSettings.StopSettings stop = settings.stop();
        if (stop.stopAtTarget() && stop.targetAccuracy() != null && row.testAccuracy() >= stop.targetAccuracy()) {
            return stop("target-accuracy");
        }
        if (stop.maxRounds() > 0 && m.version() >= stop.maxRounds()) {
            return stop("max-rounds");
        }
        clock.handled();
        return this;
    }

    private Behavior<Command> stop(String reason) {
        if (stopReason != null) {
            return this;
        }
        stopReason = reason;
        aggregator.tell(new Aggregator.Stop());
        if (virtualClock != null) {
            ActorRef<VirtualClock.Stopped> onStopped = getContext().messageAdapter(VirtualClock.Stopped.class,
                    s -> new ClockStopped(s.atMicros()));
            virtualClock.tell(new VirtualClock.Stop(onStopped));
            return this;
        }
        return finish(clock.nowMicros());
    }

    private Behavior<Command> onClockStopped(ClockStopped s) {
        return finish(s.atMicros());
    }

    private Behavior<Command> finish(long atMicros) {
        long up = last == null ? 0 : last.bytesUp();
        long down = last == null ? 0 : last.bytesDown();
        RunSummary summary = RunSummary.of(settings.algorithm().id(), experiment.train().name(),
                settings.data().clients(), settings.seed(), settings.stop().targetAccuracy(), history, atMicros / 1e6,
                wallSeconds(), up, down, stopReason);
        getContext().getLog().info("experiment {} finished ({}): {} versions, final accuracy {}, virtual {} s",
                settings.name(), stopReason, summary.rounds(), summary.finalAccuracy(), summary.virtualTimeS());
        progress.onFinish(summary);
        replyTo.tell(new Finished(summary));
        return Behaviors.stopped();
    }

    private double wallSeconds() {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
