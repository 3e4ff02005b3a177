package io.fedprune.actors.aggregator;

import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * Runs an actor's heavy work (decoding, validating, aggregating, encoding models) off the actor's
 * thread, one piece at a time in submission order, and hands each result back on the actor's
 * thread in that same order. Whatever the work touches is therefore only ever touched by one
 * thread at a time, and the sequence of effects does not depend on thread scheduling.
 *
 * <p>Use only from the owning actor's thread.
 */
final class SerialWork<M> {

    /** A finished piece of work, to be wrapped in the actor's own message type and passed back to {@link #completed}. */
    record Done(long sequence, Object result, Throwable failure) {
    }

    private record Pending(Consumer<Object> then) {
    }

    private final ActorContext<M> context;
    private final Executor executor;
    private final Function<Done, M> wrap;
    private final TreeMap<Long, Pending> pending = new TreeMap<>();
    private final TreeMap<Long, Done> early = new TreeMap<>();
    private CompletableFuture<?> tail = CompletableFuture.completedFuture(null);
    private long submitted;

    SerialWork(ActorContext<M> context, Executor executor, Function<Done, M> wrap) {
        this.context = context;
        this.executor = executor;
        this.wrap = wrap;
    }

    /** Runs {@code work} after everything submitted before it; {@code then} gets its result on the actor's thread. */
    @SuppressWarnings("unchecked")
    <T> void submit(Supplier<T> work, Consumer<T> then) {
        long sequence = submitted++;
        pending.put(sequence, new Pending((Consumer<Object>) then));
        CompletableFuture<T> result = tail.thenApplyAsync(ignored -> work.get(), executor);
        tail = result.handle((r, e) -> null); // a failure does not stop the pieces after it
        context.pipeToSelf(result, (r, e) -> wrap.apply(new Done(sequence, r, e)));
    }

    /**
     * Applies results in submission order (a result that overtook an earlier one waits for it).
     *
     * @throws IllegalStateException if the work failed: the actor's state would no longer be known
     */
    void completed(Done done) {
        early.put(done.sequence(), done);
        while (!early.isEmpty() && !pending.isEmpty() && early.firstKey().equals(pending.firstKey())) {
            Done next = early.pollFirstEntry().getValue();
            Pending p = pending.pollFirstEntry().getValue();
            if (next.failure() != null) {
                Throwable cause = next.failure() instanceof java.util.concurrent.CompletionException c
                        && c.getCause() != null ? c.getCause() : next.failure();
                throw new IllegalStateException("model work failed: " + cause, cause);
            }
            p.then().accept(next.result());
        }
    }

    /** True when no work is submitted and not yet applied. */
    boolean idle() {
        return pending.isEmpty();
    }
}
