package io.fedprune.actors.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.split.SplitFedSettings;
import io.fedprune.serialization.ActorPaths;
import io.fedprune.serialization.FedpruneConfig;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.ChildFailed;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs one experiment in its own local ActorSystem and blocks the calling thread (a CLI main
 * thread, never an actor) until the driver replies. A driver that dies surfaces its exception.
 * A {@link RunHandle} stops a run early (a JVM shutdown hook on Ctrl-C): the run still ends with
 * the driver's summary, so Pekko's own JVM shutdown hook is turned off for this system, which
 * would otherwise tear the actors down before the driver could reply.
 */
public final class ExperimentRunner {
    private ExperimentRunner() {
    }

    public static RunSummary run(ExperimentSettings settings, ProgressListener progress) {
        return run(settings, progress, FedpruneConfig.local());
    }

    public static RunSummary run(ExperimentSettings settings, ProgressListener progress, Config actorConfig) {
        return run(settings, progress, actorConfig, new RunHandle());
    }

    /** As {@link #run(ExperimentSettings, ProgressListener)}, stoppable through {@code handle}. */
    public static RunSummary run(ExperimentSettings settings, ProgressListener progress, RunHandle handle) {
        return run(settings, progress, FedpruneConfig.local(), handle);
    }

    public static RunSummary run(ExperimentSettings settings, ProgressListener progress, Config actorConfig,
                                 RunHandle handle) {
        try (Experiment experiment = Experiment.assemble(settings)) {
            return run(experiment, progress, actorConfig, handle);
        }
    }

    /** As {@link #run(ExperimentSettings, ProgressListener, RunHandle)}, journaled (see the assembled form). */
    public static RunSummary run(ExperimentSettings settings, ProgressListener progress, RunHandle handle,
                                 JournalSettings journal, String fingerprint) {
        String refusal = journal.refusal(settings);
        if (refusal != null) {
            throw new SettingsException(refusal); // before the data is loaded
        }
        try (Experiment experiment = Experiment.assemble(settings)) {
            return run(experiment, progress, FedpruneConfig.local(), handle, journal, fingerprint);
        }
    }

    /** Runs an assembled experiment; the caller keeps ownership of it (and of its trainer pool). */
    public static RunSummary run(Experiment experiment, ProgressListener progress, Config actorConfig) {
        return run(experiment, progress, actorConfig, new RunHandle());
    }

    /** As {@link #run(Experiment, ProgressListener, Config)}, stoppable through {@code handle}. */
    public static RunSummary run(Experiment experiment, ProgressListener progress, Config actorConfig,
                                 RunHandle handle) {
        return run(experiment, progress, actorConfig, handle, JournalSettings.OFF, "");
    }

    /**
     * As {@link #run(Experiment, ProgressListener, Config, RunHandle)}, the server's inputs journaled
     * as {@code journal} says (docs/DURABILITY.md): a journal holding a killed run's inputs resumes
     * it, ending exactly as the run would have ended.
     *
     * @param fingerprint what identifies the run (e.g. a digest of its resolved configuration): a
     *                    journal of another fingerprint is refused, never resumed
     * @throws SettingsException if the run cannot be journaled (see {@link JournalSettings#refusal})
     */
    public static RunSummary run(Experiment experiment, ProgressListener progress, Config actorConfig,
                                 RunHandle handle, JournalSettings journal, String fingerprint) {
        String refusal = journal.refusal(experiment.settings());
        if (refusal != null) {
            throw new SettingsException(refusal);
        }
        CompletableFuture<RunSummary> result = new CompletableFuture<>();
        // a split run's networks and threads: closed only once the actor system is gone (no pass runs on them)
        SplitRunParts split = experiment.settings().algorithm().settings() instanceof SplitFedSettings s
                ? new SplitRunParts(experiment, s) : null;
        Config config = ConfigFactory.parseString("pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off")
                .withFallback(journal.pekkoConfig())
                .withFallback(actorConfig);
        ActorSystem<?> system = journal.enabled()
                ? ActorSystem.create(JournaledGuardian.create(experiment, journal, fingerprint, progress, handle, result), "fedprune",
                        config)
                : ActorSystem.create(guardian(experiment, split, progress, handle, result), "fedprune", config);
        try {
            return result.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while the experiment ran", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SettingsException bad) {
                throw bad; // a journal of another run, or one the run departs from: the user's to fix
            }
            throw new IllegalStateException("experiment failed: " + e.getCause().getMessage(), e.getCause());
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                // shutting down; nothing left to report
            }
            if (split != null) {
                split.close();
            }
        }
    }

    /**
     * A splitfed run's driver, or the aggregator's for every other algorithm. Both answer with the
     * same summary, so the CLI's outputs (rounds.csv, summary.json, plots, report, compare) are the same.
     */
    private static Behavior<ExperimentDriver.Finished> guardian(Experiment experiment, SplitRunParts split,
                                                                 ProgressListener progress,
                                                                 RunHandle handle,
                                                                 CompletableFuture<RunSummary> result) {
        return Behaviors.setup(ctx -> {
            ActorRef<?> driver;
            if (split != null) {
                ActorRef<SplitExperimentDriver.Command> d = ctx.spawn(
                        SplitExperimentDriver.create(split, progress, ctx.getSelf()), ActorPaths.ROOT);
                handle.attach(() -> d.tell(new SplitExperimentDriver.Interrupt()));
                driver = d;
            } else {
                ActorRef<ExperimentDriver.Command> d = ctx.spawn(
                        ExperimentDriver.create(experiment, progress, ctx.getSelf()), ActorPaths.ROOT);
                handle.attach(d);
                driver = d;
            }
            ctx.watch(driver);
            return Behaviors.receive(ExperimentDriver.Finished.class)
                    .onMessage(ExperimentDriver.Finished.class, f -> {
                        result.complete(f.summary());
                        return Behaviors.same();
                    })
                    .onSignal(ChildFailed.class, f -> {
                        result.completeExceptionally(f.getCause());
                        return Behaviors.same();
                    })
                    .onSignal(Terminated.class, t -> {
                        // The reply may still be in flight behind the stop; give it a moment.
                        CompletableFuture.delayedExecutor(2, TimeUnit.SECONDS).execute(() -> result
                                .completeExceptionally(new IllegalStateException("driver stopped without a result")));
                        return Behaviors.same();
                    })
                    .build();
        });
    }
}
