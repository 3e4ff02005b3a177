package io.fedprune.actors.distributor;

import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.core.compress.ResidualIncrement;
import io.fedprune.core.compress.ResidualSplit;
import io.fedprune.serialization.WireMessage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * PR-FL's residual download point (ALGORITHMS.md §6): the aggregator offers it each split of the
 * global model over the nested masks (sub-models ordered by density, increments between
 * consecutive densities), and clients fetch from it the increments they lack to rebuild their
 * sub-model. It keeps the {@code keep} most recent splits: a fetch for an older one is answered
 * with an error (the client's round then fails and its next assignment fetches a fresh split from
 * scratch), so memory stays bounded by a few sparse models whatever the number of clients.
 *
 * <p>It counts what it serves: increments and bytes sent to clients, and bytes of distinct
 * increments (each (split, level) once), which is the server's upload when the distributor sits
 * at the network's edge.
 */
public final class Distributor extends AbstractBehavior<Distributor.Command> {

    public sealed interface Command {
    }

    /** A new split, from the aggregator (the same JVM: the split is not copied). */
    public record Offer(ResidualSplit split) implements Command, NoSerializationVerificationNeeded {
    }

    /** Increments {@code from..level} of split {@code splitId}, for a client; {@code tag} comes back in the answer. */
    public record Fetch(int clientId, long tag, long splitId, int from, int level, ActorRef<Fetched> replyTo)
            implements Command, WireMessage {
    }

    /**
     * The increments asked for, or why not ({@code error} non-empty, {@code increments} empty).
     */
    public record Fetched(long tag, long splitId, List<ResidualIncrement> increments, String error)
            implements WireMessage {
        public Fetched {
            increments = List.copyOf(increments);
        }

        public boolean ok() {
            return error.isEmpty();
        }
    }

    /** Served so far. */
    public record Served(long fetches, long increments, long bytes, long distinctBytes)
            implements NoSerializationVerificationNeeded {
    }

    /** Asks for the counts (tests, reports). */
    public record GetServed(ActorRef<Served> replyTo) implements Command, NoSerializationVerificationNeeded {
    }

    public static final int DEFAULT_KEEP = 16;

    private final Clock clock;
    private final int keep;
    private final Map<Long, ResidualSplit> splits = new LinkedHashMap<>();
    private final Map<Long, boolean[]> sentOnce = new LinkedHashMap<>();
    private long fetches;
    private long increments;
    private long bytes;
    private long distinctBytes;

    public static Behavior<Command> create(ClockService clocks, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("a distributor keeps at least one split, got " + keep);
        }
        return Behaviors.setup(ctx -> new Distributor(ctx, clocks, keep));
    }

    private Distributor(ActorContext<Command> context, ClockService clocks, int keep) {
        super(context);
        this.clock = clocks.forActor(context);
        this.keep = keep;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Offer.class, this::onOffer)
                .onMessage(Fetch.class, this::onFetch)
                .onMessage(GetServed.class, g -> {
                    g.replyTo().tell(new Served(fetches, increments, bytes, distinctBytes));
                    return this;
                })
                .build();
    }

    private Behavior<Command> onOffer(Offer offer) {
        ResidualSplit s = offer.split();
        if (splits.putIfAbsent(s.id(), s) == null) {
            sentOnce.put(s.id(), new boolean[s.levels()]);
            while (splits.size() > keep) {
                Long oldest = splits.keySet().iterator().next();
                splits.remove(oldest);
                sentOnce.remove(oldest);
            }
        }
        clock.handled();
        return this;
    }

    private Behavior<Command> onFetch(Fetch f) {
        ResidualSplit s = splits.get(f.splitId());
        Fetched answer;
        if (s == null) {
            answer = new Fetched(f.tag(), f.splitId(), List.of(), "split " + Long.toHexString(f.splitId())
                    + " is no longer served (it is older than the " + keep + " most recent)");
        } else if (f.level() < 0 || f.level() >= s.levels() || f.from() < 0 || f.from() > f.level() + 1) {
            answer = new Fetched(f.tag(), f.splitId(), List.of(), "no increments " + f.from() + ".." + f.level() + " in a split of "
                    + s.levels() + " levels");
        } else {
            List<ResidualIncrement> out = s.needed(f.level(), s.id(), f.from());
            boolean[] once = sentOnce.get(s.id());
            for (ResidualIncrement i : out) {
                bytes += i.size();
                if (!once[i.level()]) {
                    once[i.level()] = true;
                    distinctBytes += i.size();
                }
            }
            fetches++;
            increments += out.size();
            answer = new Fetched(f.tag(), s.id(), out, "");
        }
        if (!answer.ok()) {
            getContext().getLog().warn("client {}: {}", f.clientId(), answer.error());
        }
        clock.send(f.replyTo(), answer, 0);
        clock.handled();
        return this;
    }
}
