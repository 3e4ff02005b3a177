package io.fedprune.actors.journal;

import com.typesafe.config.Config;
import io.fedprune.core.server.ServerInput;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;

/**
 * A run's journal read or written outside a run, in an actor system of its own: what the resume
 * drill counts, and how a test makes the journal a run killed after k inputs leaves. Blocks the
 * calling thread (never an actor's), with a deadline.
 */
public final class JournalStore {
    static final Duration DEADLINE = Duration.ofMinutes(5);

    private JournalStore() {
    }

    /** The run's fingerprint and every input journaled under {@code persistenceId}, in order. */
    public static RunJournal.Recovered read(Config actorConfig, String persistenceId) {
        return withJournal(actorConfig, persistenceId, (system, journal, queue) -> AskPattern.<RunJournal.Command,
                RunJournal.Recovered>ask(journal, RunJournal.GetRecovered::new, DEADLINE, system.scheduler()));
    }

    /**
     * Appends {@code inputs} to the journal of {@code persistenceId} (first its run's
     * {@code fingerprint}, if it is empty) and waits until they are written.
     */
    public static void append(Config actorConfig, String persistenceId, String fingerprint, List<ServerInput> inputs) {
        withJournal(actorConfig, persistenceId, (system, journal, queue) -> AskPattern.<RunJournal.Command, Done>ask(
                journal, reply -> new RunJournal.Begin(fingerprint, reply), DEADLINE, system.scheduler())
                .thenCompose(begun -> {
                    queue.addAll(inputs);
                    return AskPattern.<RunJournal.Command, Done>ask(journal, RunJournal.Flush::new, DEADLINE,
                            system.scheduler());
                }));
    }

    private interface Use<T> {
        java.util.concurrent.CompletionStage<T> apply(ActorSystem<?> system, ActorRef<RunJournal.Command> journal,
                                                      java.util.Queue<ServerInput> queue);
    }

    private static <T> T withJournal(Config actorConfig, String persistenceId, Use<T> use) {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "fedprune-journal", actorConfig);
        try {
            SchemaUtils.createIfNotExists(system).toCompletableFuture().get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
            ConcurrentLinkedQueue<ServerInput> queue = new ConcurrentLinkedQueue<>();
            ActorRef<RunJournal.Command> journal = system.systemActorOf(RunJournal.create(persistenceId, queue,
                    new AtomicBoolean()), "journal", org.apache.pekko.actor.typed.Props.empty());
            CompletableFuture<T> result = use.apply(system, journal, queue).toCompletableFuture();
            return result.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while using the journal", e);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("journal " + persistenceId + ": " + cause.getMessage(), cause);
        } finally {
            system.terminate();
            try {
                system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                // shutting down; nothing left to report
            }
        }
    }
}
