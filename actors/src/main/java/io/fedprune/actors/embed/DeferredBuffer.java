package io.fedprune.actors.embed;

import io.fedprune.actors.buffer.Buffer;
import io.fedprune.actors.buffer.BufferClient;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.UpdateBuffer;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * An embedded aggregator's update buffer: the strategy is built with the aggregator, before
 * anything is spawned, so its {@link Buffer} actor is spawned beside the aggregator later
 * ({@link #spawnUnder}) and calls go to it from then on. Strategies call it only once the
 * aggregator runs, which is after the spawn.
 */
final class DeferredBuffer implements UpdateBuffer {
    private final int modelSize;
    private volatile BufferClient client;

    DeferredBuffer(int modelSize) {
        this.modelSize = modelSize;
    }

    /** Spawns the buffer actor as a child of {@code parent} (from its thread) and binds to it. */
    ActorRef<Buffer.Command> spawnUnder(ActorContext<?> parent, String name) {
        ActorRef<Buffer.Command> ref = parent.spawn(Buffer.create(modelSize), name);
        client = new BufferClient(ref, parent.getSystem().scheduler(), BufferClient.DEFAULT_DEADLINE);
        return ref;
    }

    private BufferClient client() {
        BufferClient c = client;
        if (c == null) {
            throw new IllegalStateException("the update buffer is used before the aggregator was spawned");
        }
        return c;
    }

    @Override
    public Outcome offer(int clientId, float[] params, Mask mask, long samples, long baseVersion) {
        return client().offer(clientId, params, mask, samples, baseVersion);
    }

    @Override
    public Aggregate aggregate(float[] global, long version, Rule rule) {
        return client().aggregate(global, version, rule);
    }

    @Override
    public Summary summary(long version) {
        return client().summary(version);
    }
}
