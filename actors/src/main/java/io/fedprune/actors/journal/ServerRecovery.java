package io.fedprune.actors.journal;

import io.fedprune.core.server.FederatedServer;
import io.fedprune.core.server.ServerInput;
import io.fedprune.core.server.ServerStats;
import io.fedprune.core.strategy.Pacing;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.persistence.jdbc.testkit.javadsl.SchemaUtils;

/**
 * Makes a real-time aggregator's server durable, and gives a restarted one its state back: opens
 * the run's journal in the node's actor system, folds what a killed aggregator journaled into the
 * freshly built server ({@link ServerInput#applyTo}: model, version, strategy state, holdings, byte
 * counts, statistics, bit for bit), releases the work that aggregator had handed out (its answers
 * went to the dead one: each holder is a dropout, journaled like any other input), and from then
 * on journals every input before the server acts on it ({@link DurableInputs}).
 *
 * <p>Blocks the calling thread (a service's, never an actor's) while it reads and folds.
 */
public final class ServerRecovery {

    /**
     * What the restart found.
     *
     * @param inputs   inputs folded from the journal (0 for a new run)
     * @param version  the server's version after the fold
     * @param released clients whose in-flight work from the killed aggregator was released
     * @param stats    the server's statistics after the fold (accepted, rejected, stale ... so far)
     * @param journal  the journal actor the server now writes to ({@link RunJournal.Stop} it when done)
     */
    public record Recovered(long inputs, long version, List<Integer> released, ServerStats stats,
                            ActorRef<RunJournal.Command> journal) {
    }

    private static final java.util.concurrent.atomic.AtomicLong SPAWNED = new java.util.concurrent.atomic.AtomicLong();

    private ServerRecovery() {
    }

    /**
     * @param system        the node's actor system, configured with the journal's plugin
     *                      ({@code JournalSettings.pekkoConfig()})
     * @param persistenceId the run's persistence id
     * @param fingerprint   the run's configuration digest: a journal of another run is refused
     * @param deadline      for every read and write of the journal
     * @throws IllegalStateException naming the journal's problem (another run's journal, a database
     *                               that does not answer, an input the server refuses)
     */
    public static Recovered attach(ActorSystem<?> system, FederatedServer server, String persistenceId,
                                   String fingerprint, Duration deadline) {
        try {
            SchemaUtils.createIfNotExists(system).toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            // the queue is the virtual-time journal's batching path; here every input goes through Append
            ActorRef<RunJournal.Command> journal = system.systemActorOf(RunJournal.create(persistenceId,
                    new ConcurrentLinkedQueue<>(), new AtomicBoolean()), "run-journal-" + SPAWNED.incrementAndGet(),
                    Props.empty());
            RunJournal.Recovered r = AskPattern.<RunJournal.Command, RunJournal.Recovered>ask(journal,
                    RunJournal.GetRecovered::new, deadline, system.scheduler()).toCompletableFuture()
                    .get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (r.fingerprint() != null && !r.fingerprint().equals(fingerprint)) {
                throw new IllegalStateException("the journal " + persistenceId + " belongs to another run (its "
                        + "configuration differs); use a fresh journal or the same configuration");
            }
            if (!r.inputs().isEmpty() && !(server.pacing() instanceof Pacing.Continuous)) {
                journal.tell(new RunJournal.Stop());
                throw new IllegalStateException("the journal " + persistenceId + " holds " + r.inputs().size()
                        + " inputs of a " + server.strategy().name() + " run: a restart from its journal is built for "
                        + "continuous pacing only (fedasync, fedbuff, fedfix); a synchronous round open at the crash "
                        + "would have to be closed first");
            }
            AskPattern.<RunJournal.Command, Done>ask(journal, reply -> new RunJournal.Begin(fingerprint, reply),
                    deadline, system.scheduler()).toCompletableFuture().get(deadline.toMillis(), TimeUnit.MILLISECONDS);
            long folded = 0;
            for (ServerInput input : r.inputs()) {
                try {
                    input.applyTo(server);
                } catch (RuntimeException e) {
                    throw new IllegalStateException("the journal's input " + (folded + 1) + " of " + r.inputs().size()
                            + " (" + input + ") does not fold into this server: " + e.getMessage()
                            + " (a changed configuration or code)", e);
                }
                folded++;
            }
            server.recordInputs(new DurableInputs(journal, system.scheduler(), deadline));
            List<Integer> released = server.holders();
            for (int id : released) {
                server.onDropped(id);
            }
            return new Recovered(folded, server.version(), released, server.stats(), journal);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while recovering the journal " + persistenceId, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            if (cause instanceof TimeoutException) { // an ask's timeout (AskTimeoutException) or ours
                throw new IllegalStateException("the journal " + persistenceId + " did not answer within "
                        + deadline.toSeconds() + " s (is the database up, its H2 file intact and not held by another "
                        + "aggregator?)", cause);
            }
            throw new IllegalStateException("the journal " + persistenceId + " failed: " + cause, cause);
        }
    }
}
