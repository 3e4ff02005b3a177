package io.fedprune.actors.experiment;

import io.fedprune.actors.journal.Replay;
import io.fedprune.actors.journal.RunJournal;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.server.ServerInput;
import io.fedprune.serialization.ActorPaths;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;

/**
 * The guardian of a journaled run: makes the journal's tables if they are missing, starts the
 * {@link RunJournal} and waits for what it recovers, then starts the driver with a {@link Replay}
 * of it; when the driver has finished, writes the journal's tail before the run returns. Every
 * wait has a deadline.
 */
final class JournaledGuardian {

    sealed interface Msg {
    }

    private record SchemaReady(Throwable failure) implements Msg {
    }

    private record Recovered(RunJournal.Recovered recovered, Throwable failure) implements Msg {
    }

    private record Begun(Replay replay, Throwable failure) implements Msg {
    }

    private record DriverFinished(ExperimentDriver.Finished finished) implements Msg {
    }

    private record Flushed(Throwable failure) implements Msg {
    }

    /** Reading a long journal back is the bulk of a resume's start: generous, but finite. */
    static final Duration RECOVERY_DEADLINE = Duration.ofMinutes(10);
    static final Duration FLUSH_DEADLINE = Duration.ofMinutes(2);

    private final ActorContext<Msg> ctx;
    private final Experiment experiment;
    private final ProgressListener progress;
    private final RunHandle handle;
    private final String fingerprint;
    private final String where;
    private final CompletableFuture<RunSummary> result;
    private final ConcurrentLinkedQueue<ServerInput> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean woken = new AtomicBoolean();
    private ActorRef<RunJournal.Command> journal;
    private RunSummary summary;
    private Replay replay;

    private JournaledGuardian(ActorContext<Msg> ctx, Experiment experiment, ProgressListener progress,
                              RunHandle handle, CompletableFuture<RunSummary> result, String fingerprint, String where) {
        this.ctx = ctx;
        this.fingerprint = fingerprint;
        this.where = where;
        this.experiment = experiment;
        this.progress = progress;
        this.handle = handle;
        this.result = result;
    }

    /** @param fingerprint what identifies the run (a digest of its resolved configuration) */
    static Behavior<Msg> create(Experiment experiment, JournalSettings settings, String fingerprint,
                                ProgressListener progress, RunHandle handle, CompletableFuture<RunSummary> result) {
        return Behaviors.setup(ctx -> {
            JournaledGuardian g = new JournaledGuardian(ctx, experiment, progress, handle, result, fingerprint,
                    settings.describe());
            String id = settings.persistenceId(experiment.settings().name());
            ctx.pipeToSelf(SchemaUtils.createIfNotExists(ctx.getSystem()), (done, e) -> new SchemaReady(e));
            return Behaviors.receive(Msg.class)
                    .onMessage(SchemaReady.class, m -> g.onSchema(m, id))
                    .onMessage(Recovered.class, g::onRecovered)
                    .onMessage(Begun.class, g::onBegun)
                    .onMessage(DriverFinished.class, g::onFinished)
                    .onMessage(Flushed.class, g::onFlushed)
                    .onSignal(ChildFailed.class, f -> g.fail(f.getCause()))
                    .onSignal(Terminated.class, t -> g.onStopped(t.getRef()))
                    .build();
        });
    }

    private Behavior<Msg> onSchema(SchemaReady m, String id) {
        if (m.failure() != null) {
            return fail(new IllegalStateException("the journal's database cannot be opened: " + m.failure().getMessage(),
                    m.failure()));
        }
        journal = ctx.spawn(RunJournal.create(id, queue, woken), "journal");
        ctx.watch(journal);
        ctx.ask(RunJournal.Recovered.class, journal, RECOVERY_DEADLINE, RunJournal.GetRecovered::new, Recovered::new);
        return Behaviors.same();
    }

    private Behavior<Msg> onRecovered(Recovered m) {
        if (m.failure() != null) {
            return fail(new IllegalStateException("the journal could not be read back: " + m.failure().getMessage(),
                    m.failure()));
        }
        RunJournal.Recovered r = m.recovered();
        if (r.fingerprint() != null && !r.fingerprint().equals(fingerprint)) {
            return fail(new SettingsException("the journal " + where + " holds another run (its configuration "
                    + "differs from this one's); resume a run with its own config.conf, or journal elsewhere"));
        }
        if (r.fingerprint() == null && !r.inputs().isEmpty()) {
            return fail(new IllegalStateException("the journal " + where + " holds inputs but no run header"));
        }
        ActorRef<RunJournal.Command> j = journal;
        Replay replay = new Replay(r.inputs(), queue, woken, () -> j.tell(RunJournal.wake()));
        if (replay.recoveredSize() > 0) {
            ctx.getLog().info("resuming from {} journaled inputs of the server", replay.recoveredSize());
        }
        ctx.ask(Done.class, journal, FLUSH_DEADLINE, reply -> new RunJournal.Begin(fingerprint, reply),
                (d, e) -> new Begun(replay, e));
        return Behaviors.same();
    }

    private Behavior<Msg> onBegun(Begun m) {
        if (m.failure() != null) {
            return fail(new IllegalStateException("the journal " + where + " cannot be written: "
                    + m.failure().getMessage(), m.failure()));
        }
        replay = m.replay();
        ActorRef<ExperimentDriver.Finished> replyTo = ctx.messageAdapter(ExperimentDriver.Finished.class,
                DriverFinished::new);
        ActorRef<ExperimentDriver.Command> driver = ctx.spawn(ExperimentDriver.create(experiment, progress, replyTo,
                replay), ActorPaths.ROOT);
        ctx.watch(driver);
        handle.attach(driver);
        return Behaviors.same();
    }

    private Behavior<Msg> onFinished(DriverFinished m) {
        summary = m.finished().summary();
        ctx.ask(Done.class, journal, FLUSH_DEADLINE, RunJournal.Flush::new, (d, e) -> new Flushed(e));
        return Behaviors.same();
    }

    private Behavior<Msg> onFlushed(Flushed m) {
        if (m.failure() != null) {
            ctx.getLog().error("the journal's last inputs could not be written: {}", m.failure().getMessage());
        }
        if (replay.divergence() != null) {
            return fail(new SettingsException("the journal " + where + ": " + replay.divergence()));
        }
        result.complete(summary);
        return Behaviors.same();
    }

    private Behavior<Msg> onStopped(ActorRef<Void> who) {
        if (who.equals(journal) && !result.isDone()) {
            return fail(new IllegalStateException("the journal stopped (its database failed; see the log above)"));
        }
        if (summary == null && !result.isDone()) {
            // the reply may still be in flight behind the stop; give it a moment
            CompletableFuture.delayedExecutor(2, java.util.concurrent.TimeUnit.SECONDS).execute(() -> result
                    .completeExceptionally(new IllegalStateException("driver stopped without a result")));
        }
        return Behaviors.same();
    }

    private Behavior<Msg> fail(Throwable cause) {
        result.completeExceptionally(cause);
        return Behaviors.same();
    }
}
