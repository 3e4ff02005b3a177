package io.fedprune.actors.buffer;

import io.fedprune.core.aggregate.ClientBuffer;
import io.fedprune.core.strategy.UpdateBuffer;
import io.fedprune.core.prune.Mask;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;

/**
 * A strategy's {@link UpdateBuffer} whose slots live in a {@link Buffer} actor. Each call asks the
 * actor and waits for its answer, at most {@code deadline}: call it only from the aggregator's
 * model work, which runs on the blocking dispatcher and holds the clock meanwhile (as
 * {@code PoolValidation} does), never from an actor's own thread.
 *
 * <p>Over one JVM the arrays go by reference; the actor copies what it keeps and never writes
 * what it is given, so the results are bit for bit those of a {@link ClientBuffer} in the strategy.
 */
public final class BufferClient implements UpdateBuffer {

    /**
     * Long enough for an aggregation over thousands of clients' slots on a busy machine; a buffer
     * that does not answer by then has stopped (the run that spawned it watches it).
     */
    public static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(60);

    private final ActorRef<Buffer.Command> buffer;
    private final Scheduler scheduler;
    private final Duration deadline;

    public BufferClient(ActorRef<Buffer.Command> buffer, Scheduler scheduler, Duration deadline) {
        this.buffer = buffer;
        this.scheduler = scheduler;
        this.deadline = deadline;
    }

    @Override
    public UpdateBuffer.Outcome offer(int clientId, float[] params, Mask mask, long samples, long baseVersion) {
        Buffer.Offered r = ask(to -> new Buffer.Offer(clientId, params, mask == null ? new byte[0] : mask.toBytes(),
                samples, baseVersion, to), "offer of client " + clientId + "'s update");
        if (!r.error().isEmpty()) {
            throw new IllegalArgumentException(r.error());
        }
        return r.outcome();
    }

    @Override
    public UpdateBuffer.Aggregate aggregate(float[] global, long version, Rule rule) {
        Buffer.Aggregated r = ask(to -> new Buffer.Aggregate(global, version, rule.stalenessSpec(),
                rule.maskAware(), rule.globalLr(), to), "aggregation at version " + version);
        if (!r.error().isEmpty()) {
            throw new IllegalStateException("buffer " + buffer.path() + ": " + r.error());
        }
        return new UpdateBuffer.Aggregate(r.params(), r.clients(), r.meanStaleness());
    }

    @Override
    public UpdateBuffer.Summary summary(long version) {
        Buffer.Summary r = ask(to -> new Buffer.GetSummary(version, to), "summary");
        if (!r.error().isEmpty()) {
            throw new IllegalStateException("buffer " + buffer.path() + ": " + r.error());
        }
        return new UpdateBuffer.Summary(r.clients(), r.meanStaleness(), r.stored(), r.duplicates(), r.outOfOrder());
    }

    private <T> T ask(Function<ActorRef<T>, Buffer.Command> message, String what) {
        CompletionStage<T> answer = AskPattern.ask(buffer, message::apply, deadline, scheduler);
        try {
            return answer.toCompletableFuture().join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof TimeoutException) {
                throw new IllegalStateException("buffer " + buffer.path() + " did not answer the " + what + " within "
                        + deadline + ": it has stopped", e.getCause());
            }
            throw e;
        }
    }
}
