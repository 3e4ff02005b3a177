package io.fedprune.actors.link;

import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.core.system.LinkRedraw;
import io.fedprune.core.system.SharedLink;
import io.fedprune.serialization.WireMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.Terminated;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The server's side of the network as one actor on the clock: concurrent uploads share the
 * server's download capacity and concurrent downloads its upload capacity ({@link SharedLink},
 * one per direction), event by event. A client asks for a {@link Transfer} through the clock; the
 * link delivers what the transfer carries when it completes under sharing: an upload's update to
 * the aggregator, a download's notice to the client.
 *
 * <p>The link always has a wake-up queued at (or before) its next completion, so virtual time can
 * never pass an event the link owes. Rates change only at its own events, so a wake-up that turns
 * out early just re-arms. It watches every client with a transfer: one that stops has its
 * transfers dropped (its bandwidth goes to the others) and is never waited for.
 *
 * <p>Each direction's capacity is redrawn ({@link LinkRedraw}) whenever a transfer starts on it:
 * in an asynchronous run the server has no rounds of its own, and transfer starts come in the
 * clock's deterministic order.
 */
public final class ServerLink extends AbstractBehavior<ServerLink.Command> {

    public sealed interface Command {
    }

    /**
     * Carry {@code bytes} between {@code device} (a client) and the server, at most at
     * {@code capBytesPerSecond} (the device's own link this round), then deliver {@code onArrival}
     * to {@code recipient}: an upload's update to the aggregator, a download's notice to the client.
     *
     * @param toServer an upload (sharing the server's download capacity), else a download
     */
    public record Transfer<T>(boolean toServer, ActorRef<?> device, long bytes, double capBytesPerSecond,
                              ActorRef<T> recipient, T onArrival) implements Command, WireMessage {

        void deliver(Clock clock) {
            clock.send(recipient, onArrival, 0);
        }
    }

    /**
     * {@code device} is leaving: drop its transfers (their bandwidth goes to the others). A client
     * sends it through the clock as it stops, so that time cannot pass before the link knows.
     */
    public record Drop(ActorRef<?> device) implements Command, WireMessage {
    }

    /** Self event at a possible completion time. */
    private record Wake(long atMicros) implements Command, NoSerializationVerificationNeeded {
    }

    /** Capacities of the server side: what it can send and receive, and how they vary. */
    public record Capacity(double uploadBytesPerSecond, double downloadBytesPerSecond, LinkRedraw redraw) {
    }

    private static final int UPLOADS = 0;
    private static final int DOWNLOADS = 1;

    private final Clock clock;
    private final Capacity capacity;
    // [UPLOADS] shares the server's download capacity, [DOWNLOADS] its upload capacity
    private final SharedLink[] links = new SharedLink[2];
    private final long[] starts = new long[2];
    private final Map<Long, Transfer<?>> deliveries = new HashMap<>();
    private final TreeSet<Long> wakes = new TreeSet<>();
    private long nextId;

    public static Behavior<Command> create(Capacity capacity, ClockService clocks) {
        return Behaviors.setup(ctx -> new ServerLink(ctx, capacity, clocks));
    }

    private ServerLink(ActorContext<Command> context, Capacity capacity, ClockService clocks) {
        super(context);
        this.capacity = capacity;
        this.clock = clocks.forActor(context);
        links[UPLOADS] = new SharedLink(capacity.downloadBytesPerSecond());
        links[DOWNLOADS] = new SharedLink(capacity.uploadBytesPerSecond());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Transfer.class, this::start)
                .onMessage(Wake.class, this::onWake)
                .onMessage(Drop.class, d -> {
                    dropTransfersOf(d.device());
                    clock.handled();
                    return this;
                })
                .onSignal(Terminated.class, this::onClientStopped)
                .build();
    }

    private Behavior<Command> start(Transfer<?> transfer) {
        long now = clock.nowMicros();
        long id = nextId++;
        int direction = transfer.toServer() ? UPLOADS : DOWNLOADS;
        try {
            SharedLink link = links[direction];
            double mean = direction == UPLOADS ? capacity.downloadBytesPerSecond() : capacity.uploadBytesPerSecond();
            deliver(link.setCapacity(mean * capacity.redraw().factor(-1 - direction, starts[direction]++, 0), now));
            deliveries.put(id, transfer);
            getContext().watch(transfer.device());
            deliver(link.start(id, transfer.bytes(), transfer.capBytesPerSecond(), now));
        } catch (IllegalArgumentException e) {
            // a request no link can carry (negative size, NaN rate): a peer's bug, refused and logged
            deliveries.remove(id);
            getContext().getLog().warn("server link refuses a transfer for {}: {}", transfer.device(), e.getMessage());
        }
        arm(now);
        clock.handled();
        return this;
    }

    private Behavior<Command> onWake(Wake wake) {
        wakes.remove(wake.atMicros());
        long now = clock.nowMicros();
        for (SharedLink link : links) {
            deliver(link.advanceTo(now));
        }
        arm(now);
        clock.handled();
        return this;
    }

    /**
     * Outside the clock (a death-watch signal), so never reported handled: the backstop for a
     * device that stopped without a {@link Drop} (a stand-in, a lost node). Time may have moved
     * on by then; the drop applies from now.
     */
    private Behavior<Command> onClientStopped(Terminated t) {
        dropTransfersOf(t.getRef());
        return this;
    }

    private void dropTransfersOf(ActorRef<?> device) {
        long now = clock.nowMicros();
        for (SharedLink link : links) {
            deliver(link.advanceTo(now)); // what completed by now still arrives
        }
        deliveries.entrySet().removeIf(e -> {
            if (!e.getValue().device().equals(device)) {
                return false;
            }
            for (SharedLink link : links) {
                if (link.drop(e.getKey(), now)) {
                    break;
                }
            }
            return true;
        });
        arm(now);
    }

    private void deliver(List<SharedLink.Completed> completed) {
        for (SharedLink.Completed c : completed) {
            Transfer<?> t = deliveries.remove(c.id());
            if (t != null) {
                t.deliver(clock);
            }
        }
    }

    /** Makes sure a wake-up is queued no later than the next completion. */
    private void arm(long now) {
        long next = Math.min(links[UPLOADS].nextCompletionMicros(), links[DOWNLOADS].nextCompletionMicros());
        if (next == Long.MAX_VALUE || (!wakes.isEmpty() && wakes.first() <= next)) {
            return;
        }
        wakes.add(next);
        clock.send(getContext().getSelf(), new Wake(next), next - now);
    }
}
