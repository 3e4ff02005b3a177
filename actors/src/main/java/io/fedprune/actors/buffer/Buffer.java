package io.fedprune.actors.buffer;

import io.fedprune.core.aggregate.ClientBuffer;
import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.core.strategy.UpdateBuffer;
import io.fedprune.core.prune.Mask;
import io.fedprune.serialization.WireMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.DispatcherSelector;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;

/**
 * PR-FL's buffer (ALGORITHMS.md §6; DESIGN.md §3): the latest update of every client — its
 * sub-model, mask, sample count and the version it started from — one slot per client, and the
 * staleness-weighted MaskFedAvg over all of them. The PR-FL strategy offers each accepted update
 * and asks for an aggregation through a {@link BufferClient}; the buffer's memory (one model per
 * client heard from) is this actor's, not the aggregator's.
 *
 * <p>A new update replaces its client's slot; a duplicate (same base version) or out-of-order
 * (older base version) one is ignored and counted once, as {@link ClientBuffer} documents. An
 * aggregation runs on the blocking dispatcher; messages that arrive meanwhile wait in a stash and
 * are handled in arrival order after it, so the slots never change under an aggregation.
 */
public final class Buffer extends AbstractBehavior<Buffer.Command> {

    /** The name a run spawns it under. */
    public static final String NAME = "buffer";

    /** Messages waiting while an aggregation runs; the strategy sends one at a time, so a few suffice. */
    static final int STASH = 1024;

    public sealed interface Command {
    }

    /**
     * Client {@code clientId}'s update.
     *
     * @param mask the entries it held, as {@link Mask#toBytes()}; empty for the whole model
     */
    public record Offer(int clientId, float[] params, byte[] mask, long samples, long baseVersion,
                        ActorRef<Offered> replyTo) implements Command, WireMessage {
    }

    /** What the buffer did with an offer, or why it refused it ({@code error} non-empty, {@code outcome} null). */
    public record Offered(UpdateBuffer.Outcome outcome, String error) implements WireMessage {
    }

    /**
     * Aggregate the whole buffer at global version {@code version}.
     *
     * @param staleness the staleness function, as {@link StalenessFunction#describe()} gives it
     */
    public record Aggregate(float[] global, long version, String staleness, boolean maskAware, double globalLr,
                            ActorRef<Aggregated> replyTo) implements Command, WireMessage {
    }

    /** The aggregated model, or why not ({@code error} non-empty, {@code params} empty). */
    public record Aggregated(float[] params, int clients, double meanStaleness, String error) implements WireMessage {
    }

    public record GetSummary(long version, ActorRef<Summary> replyTo) implements Command, WireMessage {
    }

    /** See {@link UpdateBuffer.Summary}; {@code error} non-empty if it could not be made. */
    public record Summary(int clients, double meanStaleness, long stored, long duplicates, long outOfOrder,
                          String error) implements WireMessage {
    }

    private record AggregationDone(Aggregate request, UpdateBuffer.Aggregate result, Throwable failure)
            implements Command, NoSerializationVerificationNeeded {
    }

    private final ClientBuffer buffer;
    private final int modelSize;
    private final Executor executor;
    private final StashBuffer<Command> stash;
    private boolean aggregating;

    /** @param modelSize the length of every model it holds */
    public static Behavior<Command> create(int modelSize) {
        if (modelSize < 1) {
            throw new IllegalArgumentException("model size must be >= 1, got " + modelSize);
        }
        return Behaviors.withStash(STASH, stash -> Behaviors.setup(ctx -> new Buffer(ctx, stash, modelSize)));
    }

    private Buffer(ActorContext<Command> ctx, StashBuffer<Command> stash, int modelSize) {
        super(ctx);
        this.buffer = new ClientBuffer(modelSize);
        this.modelSize = modelSize;
        this.stash = stash;
        this.executor = ctx.getSystem().dispatchers().lookup(DispatcherSelector.blocking());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(AggregationDone.class, this::onAggregated)
                .onAnyMessage(this::arrive)
                .build();
    }

    private Behavior<Command> arrive(Command message) {
        if (aggregating) {
            if (stash.isFull()) {
                // the strategy waits for each answer, so this is a misuse; refuse rather than grow
                getContext().getLog().warn("buffer busy and its stash full: {} dropped", message.getClass().getSimpleName());
                return this;
            }
            stash.stash(message);
            return this;
        }
        if (message instanceof Offer o) {
            o.replyTo().tell(offer(o));
        } else if (message instanceof Aggregate a) {
            startAggregation(a);
        } else if (message instanceof GetSummary g) {
            g.replyTo().tell(summary(g.version()));
        }
        return this;
    }

    private Offered offer(Offer o) {
        try {
            Mask mask = o.mask().length == 0 ? null : Mask.fromBytes(modelSize, o.mask());
            return new Offered(buffer.offer(o.clientId(), o.params(), mask, o.samples(), o.baseVersion()), "");
        } catch (IllegalArgumentException e) {
            getContext().getLog().warn("buffer refused client {}'s update: {}", o.clientId(), e.getMessage());
            return new Offered(null, e.getMessage());
        }
    }

    private void startAggregation(Aggregate a) {
        UpdateBuffer.Rule rule;
        try {
            StalenessFunction s = StalenessFunction.parse(a.staleness());
            rule = new UpdateBuffer.Rule(s::weight, a.staleness(), a.maskAware(), a.globalLr());
        } catch (IllegalArgumentException e) {
            a.replyTo().tell(new Aggregated(new float[0], 0, 0, e.getMessage()));
            return;
        }
        aggregating = true;
        getContext().pipeToSelf(CompletableFuture.supplyAsync(() -> buffer.aggregate(a.global(), a.version(), rule),
                executor), (r, e) -> new AggregationDone(a, r, e));
    }

    private Behavior<Command> onAggregated(AggregationDone d) {
        aggregating = false;
        if (d.failure() != null) {
            Throwable cause = d.failure().getCause() != null ? d.failure().getCause() : d.failure();
            d.request().replyTo().tell(new Aggregated(new float[0], 0, 0, String.valueOf(cause.getMessage())));
        } else {
            UpdateBuffer.Aggregate r = d.result();
            d.request().replyTo().tell(new Aggregated(r.params(), r.clients(), r.meanStaleness(), ""));
        }
        return stash.unstashAll(this);
    }

    private Summary summary(long version) {
        try {
            UpdateBuffer.Summary s = buffer.summary(version);
            return new Summary(s.clients(), s.meanStaleness(), s.stored(), s.duplicates(), s.outOfOrder(), "");
        } catch (IllegalArgumentException e) {
            return new Summary(0, 0, 0, 0, 0, e.getMessage());
        }
    }
}
