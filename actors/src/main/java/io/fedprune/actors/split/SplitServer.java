package io.fedprune.actors.split;

import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.split.ServerSide;
import io.fedprune.core.split.ServerTraining;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.serialization.WireMessage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The split-learning server, both SplitFed variants (its {@link ServerTraining}): V2, one shared
 * server part trained on the clients' activation batches one at a time in the order they arrive
 * (so fast clients do more steps); V1, a copy per client, averaged (weighted by samples) when the
 * fed server says a round ended ({@link EndRound}). Each batch is answered with the gradient of
 * the kept activations.
 *
 * <p>The work (decode, forward, backward, update, encode; V1's average) runs on {@code executor},
 * one item at a time, and comes back with {@code pipeToSelf}; items that arrive meanwhile wait in
 * a queue in arrival order. In clock time V2's server is a single processor: a batch starts when
 * it has arrived and the previous one is done, and takes the server profile's time for the
 * server part's share of a sample times the batch size; the gradients leave when it ends. V1's
 * copies are trained in parallel: each client's batches queue only behind that client's own.
 *
 * <p>The server never waits for a client, so a client that stops mid-iteration cannot stall it:
 * the gradients of its last batch are simply not delivered. A batch that does not decode or that
 * the server part refuses (NaN, wrong shape, corrupt bytes) is answered {@link Rejected} and
 * logged; the part is untouched. A batch for a step at or before one already received from that
 * client (a duplicate) is rejected the same way; a step counts as received when it arrives, even
 * if it is then rejected, so a client retries with a new step or round, never the same one.
 * Neither variant waits for a client: in V1 a client that stops mid-round leaves its copy with the
 * batches it sent, and that copy enters the round's average with exactly those samples.
 */
public final class SplitServer extends AbstractBehavior<SplitServer.Command> {

    public sealed interface Command {
    }

    /**
     * One step's activations from client {@code clientId}: {@code payload} is a
     * {@link io.fedprune.core.compress.CutLayerCodec} activation payload of {@code batch} samples.
     */
    public record Activations(int clientId, long round, long step, int batch, byte[] payload, ActorRef<Reply> replyTo)
            implements Command, WireMessage {
    }

    /** What the server answers to {@link Activations}. */
    public sealed interface Reply extends WireMessage {
        int clientId();

        long round();

        long step();
    }

    /** The gradient payload of the step's kept activations, and the batch's loss before the update. */
    public record Gradients(int clientId, long round, long step, byte[] payload, double loss) implements Reply {
    }

    /** The step was refused; the server part did not change. */
    public record Rejected(int clientId, long round, long step, String reason) implements Reply {
    }

    /** Asked directly, not through the clock. */
    public record GetStats(ActorRef<Stats> replyTo) implements Command, WireMessage {
    }

    /** @param bytesUp activation payload bytes received, @param bytesDown gradient payload bytes sent */
    public record Stats(long steps, long rejected, long bytesUp, long bytesDown, long busyUntilMicros)
            implements WireMessage {
    }

    /**
     * Round {@code round} ended: V1 averages its copies, V2 notes it. Sent by the fed server
     * through the clock once every client of the round has answered or dropped out, so every batch
     * of the round is ahead of it in the queue.
     */
    public record EndRound(long round) implements Command, WireMessage {
    }

    /**
     * The server part's parameters once round {@code afterRound} has ended (0: now), between two
     * items of work (asked directly, not through the clock): with the averaged client part, the
     * whole model to evaluate.
     */
    public record GetServerPart(long afterRound, ActorRef<ServerPartNow> replyTo) implements Command, WireMessage {
    }

    /**
     * @param part a {@link DenseFloat32Codec} payload of the server part, after {@code steps} steps
     *             and {@code roundsEnded} round ends; with the traffic so far
     */
    public record ServerPartNow(byte[] part, long steps, long roundsEnded, long bytesUp, long bytesDown, long rejected)
            implements WireMessage {
    }

    private record StepDone(Activations request, ServerSide.Result result, Throwable failure)
            implements Command, NoSerializationVerificationNeeded {
    }

    private record RoundEndDone(EndRound request, Throwable failure) implements Command, NoSerializationVerificationNeeded {
    }

    private final ServerTraining side;
    private final DeviceProfile profile;
    private final double serverShare;
    private final Executor executor;
    private final Clock clock;
    private final ArrayDeque<Command> queue = new ArrayDeque<>(); // Activations and EndRound, in arrival order
    private final Map<Integer, Long> clientBusyUntil = new HashMap<>(); // V1: each copy's own timeline
    private final List<GetServerPart> partWaiters = new ArrayList<>();
    private final Map<Integer, long[]> lastStep = new HashMap<>();
    private CompletableFuture<?> running = CompletableFuture.completedFuture(null);
    private boolean busy;
    private long busyUntil;
    private long steps;
    private long rejected;
    private long bytesUp;
    private long bytesDown;
    private long roundsEnded;

    /**
     * @param side        the server part(s) with dropout and downlink codec (owned by the actor from now on)
     * @param profile     the server's compute: cycles per sample of the whole model, and its clock rate
     * @param serverShare the server part's fraction of the model's compute (1 - the cut's client share)
     */
    public static Behavior<Command> create(ServerTraining side, DeviceProfile profile, double serverShare, Executor executor,
                                           ClockService clocks) {
        if (!(serverShare > 0 && serverShare <= 1)) {
            throw new IllegalArgumentException("server share of the compute must be in (0, 1], got " + serverShare);
        }
        return Behaviors.setup(ctx -> new SplitServer(ctx, side, profile, serverShare, executor, clocks));
    }

    private SplitServer(ActorContext<Command> context, ServerTraining side, DeviceProfile profile, double serverShare,
                        Executor executor, ClockService clocks) {
        super(context);
        this.side = side;
        this.profile = profile;
        this.serverShare = serverShare;
        this.executor = executor;
        this.clock = clocks.forActor(context);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Activations.class, this::onActivations)
                .onMessage(StepDone.class, this::onStepDone)
                .onMessage(EndRound.class, e -> {
                    queue.add(e);
                    startNext();
                    return this;
                })
                .onMessage(RoundEndDone.class, this::onRoundEndDone)
                .onMessage(GetServerPart.class, g -> {
                    partWaiters.add(g);
                    answerPartWaiters();
                    return this;
                })
                .onMessage(GetStats.class, g -> {
                    g.replyTo().tell(new Stats(steps, rejected, bytesUp, bytesDown, busyUntil));
                    return this;
                })
                .onSignal(PostStop.class, s -> {
                    running.whenComplete((r, e) -> side.close()); // never under a step still running
                    return this;
                })
                .build();
    }

    private Behavior<Command> onActivations(Activations a) {
        bytesUp += a.payload().length;
        long[] last = lastStep.get(a.clientId());
        if (last != null && (a.round() < last[0] || a.round() == last[0] && a.step() <= last[1])) {
            reject(a, "duplicate or out-of-order step: already received round " + last[0] + " step " + last[1]);
            clock.handled();
            return this;
        }
        lastStep.put(a.clientId(), new long[] {a.round(), a.step()});
        queue.add(a);
        startNext();
        return this;
    }

    private void startNext() {
        if (busy || queue.isEmpty()) {
            return;
        }
        busy = true;
        Command next = queue.poll();
        if (next instanceof EndRound e) {
            CompletableFuture<Void> work = CompletableFuture.runAsync(() -> side.endRound(e.round()), executor);
            running = work;
            getContext().pipeToSelf(work, (r, err) -> new RoundEndDone(e, err));
            return;
        }
        Activations a = (Activations) next;
        CompletableFuture<ServerSide.Result> work = CompletableFuture.supplyAsync(
                () -> side.step(a.clientId(), a.round(), a.step(), a.batch(), a.payload()), executor);
        running = work;
        getContext().pipeToSelf(work, (r, e) -> new StepDone(a, r, e));
    }

    private Behavior<Command> onStepDone(StepDone done) {
        busy = false;
        Activations a = done.request();
        if (done.failure() != null) {
            Throwable cause = done.failure() instanceof CompletionException && done.failure().getCause() != null
                    ? done.failure().getCause() : done.failure();
            reject(a, cause instanceof RuntimeException ? cause.getMessage() : cause.toString());
        } else {
            long now = clock.nowMicros();
            long compute = (long) Math.ceil(profile.computeMicros(a.batch()) * serverShare);
            long until;
            if (side.perClientCopies()) {
                until = Math.addExact(Math.max(now, clientBusyUntil.getOrDefault(a.clientId(), 0L)), compute);
                clientBusyUntil.put(a.clientId(), until);
                busyUntil = Math.max(busyUntil, until);
            } else {
                until = Math.addExact(Math.max(now, busyUntil), compute);
                busyUntil = until;
            }
            byte[] down = done.result().gradients();
            bytesDown += down.length;
            steps++;
            clock.send(a.replyTo(), new Gradients(a.clientId(), a.round(), a.step(), down, done.result().loss()),
                    until - now);
        }
        clock.handled(); // for the Activations message: time could not pass this batch while it was computed
        answerPartWaiters();
        startNext();
        return this;
    }

    private Behavior<Command> onRoundEndDone(RoundEndDone done) {
        busy = false;
        if (done.failure() != null) { // a bug, not bad input: the copies are as they were
            getContext().getLog().error("split server: the end of round {} failed", done.request().round(),
                    done.failure());
        }
        roundsEnded = Math.max(roundsEnded, done.request().round());
        clock.handled(); // for the EndRound message
        answerPartWaiters();
        startNext();
        return this;
    }

    /** Only between items of work: the part belongs to the executor while one is computed. */
    private void answerPartWaiters() {
        if (busy || partWaiters.isEmpty()) {
            return;
        }
        byte[] bytes = null;
        for (Iterator<GetServerPart> it = partWaiters.iterator(); it.hasNext(); ) {
            GetServerPart g = it.next();
            if (g.afterRound() > roundsEnded) {
                continue; // its round's end is still to come
            }
            if (bytes == null) {
                float[] params = side.parameters();
                bytes = new DenseFloat32Codec(params.length, side.layoutFingerprint()).encode(params);
            }
            g.replyTo().tell(new ServerPartNow(bytes, steps, roundsEnded, bytesUp, bytesDown, rejected));
            it.remove();
        }
    }

    private void reject(Activations a, String reason) {
        rejected++;
        getContext().getLog().warn("split server rejects client {} round {} step {}: {}", a.clientId(), a.round(),
                a.step(), reason);
        clock.send(a.replyTo(), new Rejected(a.clientId(), a.round(), a.step(), reason), 0);
    }
}
