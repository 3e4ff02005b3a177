package io.fedprune.actors.journal;

import io.fedprune.core.server.ServerInput;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.apache.pekko.Done;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * The real-time aggregator's journal sink: each input of its server is written, and the write
 * confirmed, <em>before</em> the server acts on it. In virtual time a lost tail is made again by
 * the resumed simulation; in real time it could not be (clients do not send an update twice), so
 * here nothing the server does — a new version, work handed out, a console line — can be seen
 * before the input that caused it is durable. A killed aggregator's journal therefore holds every
 * update it had acted on, and a restart folds them into the same state.
 *
 * <p>Called on the server's work thread (the blocking dispatcher), never an actor's: it waits for
 * the database there, with a deadline. A write that fails or is not confirmed in time fails the
 * work, which stops the aggregator: it never goes on with an input it could not keep.
 */
public final class DurableInputs implements Consumer<ServerInput> {
    private final ActorRef<RunJournal.Command> journal;
    private final Scheduler scheduler;
    private final Duration deadline;
    private final AtomicLong written = new AtomicLong();

    public DurableInputs(ActorRef<RunJournal.Command> journal, Scheduler scheduler, Duration deadline) {
        this.journal = journal;
        this.scheduler = scheduler;
        this.deadline = deadline;
    }

    @Override
    public void accept(ServerInput input) {
        try {
            AskPattern.<RunJournal.Command, Done>ask(journal, reply -> new RunJournal.Append(input, reply), deadline,
                    scheduler).toCompletableFuture().get(deadline.toMillis() + 1_000, TimeUnit.MILLISECONDS);
            written.incrementAndGet();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while journaling " + input, e);
        } catch (ExecutionException | TimeoutException e) {
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new IllegalStateException("the journal did not keep input " + (written.get() + 1) + " (" + input
                    + ") within " + deadline.toSeconds() + " s: " + cause, cause);
        }
    }

    /** Inputs written and confirmed so far by this sink. */
    public long written() {
        return written.get();
    }
}
