package io.fedprune.actors.split;

import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.data.Shard;
import io.fedprune.core.split.ClientSide;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.serialization.WireMessage;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A split-learning client: owns its shard, its device profile and its client part. A
 * {@link Train} request runs {@code steps} local iterations, each a message exchange with the
 * {@link SplitServer}: forward pass to the cut, activations up, gradients down, backward pass.
 * In clock time a step lasts the device's compute of the client part's forward share (a third
 * of the part's training compute), the upload of the activation payload, the server's queue and
 * compute, the download of the gradient payload and the backward share (two thirds). The round
 * then answers {@link Trained} with the client part, after its upload.
 *
 * <p>Compute runs on {@code executor} and comes back with {@code pipeToSelf}; the message that
 * started it is reported handled only then. The client watches the server: if it stops, the
 * round in progress fails instead of waiting forever; with a step deadline, so does a round whose
 * gradients do not come back in time (a lost message; a late answer is then ignored as stale).
 * A request while a round is in progress is
 * refused (the device trains one round at a time and its network is in use).
 */
public final class SplitClient extends AbstractBehavior<SplitClient.Command> {

    public sealed interface Command {
    }

    /**
     * Run {@code steps} split iterations from {@code clientPart} (a payload of the client part in
     * the downlink codec, or empty to go on from the client's own) and answer {@code replyTo}.
     */
    public record Train(long round, byte[] clientPart, int steps, ActorRef<Response> replyTo)
            implements Command, WireMessage {
    }

    public sealed interface Response extends WireMessage {
        int clientId();

        long round();
    }

    /** @param clientPart the client part after the round, in the uplink codec; @param meanLoss the server's batch losses' mean */
    public record Trained(int clientId, long round, byte[] clientPart, long samples, double meanLoss, long bytesUp,
                          long bytesDown) implements Response {
    }

    public record Failed(int clientId, long round, String reason) implements Response {
    }

    private record FromServer(SplitServer.Reply reply) implements Command, NoSerializationVerificationNeeded {
    }

    private record StepDue(long round, int step) implements Command, NoSerializationVerificationNeeded {
    }

    private record ForwardDone(long round, int step, byte[] payload, Throwable failure)
            implements Command, NoSerializationVerificationNeeded {
    }

    private record BackwardDone(long round, int step, long downloadBytes, Throwable failure)
            implements Command, NoSerializationVerificationNeeded {
    }

    private record RoundReady(long round, Throwable failure) implements Command, NoSerializationVerificationNeeded {
    }

    private record ServerGone() implements Command, NoSerializationVerificationNeeded {
    }

    /** The deadline of step {@code step}'s gradients. */
    private record StepDeadline(long round, int step) implements Command, NoSerializationVerificationNeeded {
    }

    /**
     * Everything a split client needs that is not its own identity.
     *
     * @param stepDeadlineMicros how long after sending a step's activations the client waits for
     *                           their gradients before it fails the round (a lost message); 0 =
     *                           no deadline (one JVM, where no message is lost)
     */
    public record Setup(ActorRef<SplitServer.Command> server, int batchSize, double clientShare, Executor executor,
                        ClockService clocks, long stepDeadlineMicros) {

        public Setup(ActorRef<SplitServer.Command> server, int batchSize, double clientShare, Executor executor,
                     ClockService clocks) {
            this(server, batchSize, clientShare, executor, clocks, 0);
        }

        public Setup {
            if (stepDeadlineMicros < 0) {
                throw new IllegalArgumentException("step deadline must be >= 0 (0 = none), got " + stepDeadlineMicros);
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
            }
            if (!(clientShare > 0 && clientShare < 1)) {
                throw new IllegalArgumentException("client share of the compute must be in (0, 1), got " + clientShare);
            }
        }
    }

    private final int id;
    private final Shard shard;
    private final DeviceProfile device;
    private final long seed;
    private final ClientSide side;
    private final Setup setup;
    private final Clock clock;
    private final PartCodecs partCodecs;
    private final ActorRef<SplitServer.Reply> replies;
    private CompletableFuture<?> running = CompletableFuture.completedFuture(null);
    private SplitRound round; // null: idle

    /**
     * How the client part travels: {@code down} decodes what the fed server sends, {@code up}
     * encodes what the client sends back (one instance per client: a stochastic codec keeps state).
     */
    public record PartCodecs(WireCodec down, WireCodec up) {
        /** Dense float32 both ways. */
        public static PartCodecs dense(ClientSide side) {
            DenseFloat32Codec c = new DenseFloat32Codec(side.parameterCount(), side.layoutFingerprint());
            return new PartCodecs(c, c);
        }
    }

    /** With the client part dense float32 both ways. */
    public static Behavior<Command> create(int id, Shard shard, DeviceProfile device, long seed, ClientSide side,
                                           Setup setup) {
        return create(id, shard, device, seed, side, setup, PartCodecs.dense(side));
    }

    public static Behavior<Command> create(int id, Shard shard, DeviceProfile device, long seed, ClientSide side,
                                           Setup setup, PartCodecs codecs) {
        return Behaviors.setup(ctx -> new SplitClient(ctx, id, shard, device, seed, side, setup, codecs));
    }

    private SplitClient(ActorContext<Command> context, int id, Shard shard, DeviceProfile device, long seed,
                        ClientSide side, Setup setup, PartCodecs codecs) {
        super(context);
        this.id = id;
        this.shard = shard;
        this.device = device;
        this.seed = seed;
        this.side = side;
        this.setup = setup;
        this.clock = setup.clocks().forActor(context);
        this.partCodecs = codecs;
        this.replies = context.messageAdapter(SplitServer.Reply.class, FromServer::new);
        context.watchWith(setup.server(), new ServerGone());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Train.class, this::onTrain)
                .onMessage(RoundReady.class, this::onRoundReady)
                .onMessage(StepDue.class, this::onStepDue)
                .onMessage(ForwardDone.class, this::onForwardDone)
                .onMessage(FromServer.class, this::onFromServer)
                .onMessage(BackwardDone.class, this::onBackwardDone)
                .onMessage(ServerGone.class, this::onServerGone)
                .onMessage(StepDeadline.class, this::onStepDeadline)
                .build();
    }

    private Behavior<Command> onTrain(Train t) {
        if (round != null) {
            clock.send(t.replyTo(), new Failed(id, t.round(), "busy with round " + round.request.round()), 0);
            clock.handled();
            return this;
        }
        if (t.steps() < 0) {
            clock.send(t.replyTo(), new Failed(id, t.round(), "negative step count " + t.steps()), 0);
            clock.handled();
            return this;
        }
        round = new SplitRound(t, shard.indices(), seed * 1_000_003L + t.round());
        // the part and its pruning mask change between passes, off the actor thread
        CompletableFuture<Void> work = afterRunning().thenRunAsync(() -> {
            if (t.clientPart().length > 0) {
                side.setParameters(partCodecs.down().decode(t.clientPart()));
            }
            side.beginRound(t.round());
        }, setup.executor());
        running = work;
        getContext().pipeToSelf(work, (v, e) -> new RoundReady(t.round(), e));
        return this; // handled once the part is in place
    }

    private Behavior<Command> onRoundReady(RoundReady ready) {
        if (!current(ready.round())) {
            clock.handled();
            return this;
        }
        if (ready.failure() != null) {
            fail("bad client part: " + cause(ready.failure()));
        } else {
            clock.send(getContext().getSelf(), new StepDue(ready.round(), 0),
                    device.downloadMicros(round.request.clientPart().length));
        }
        clock.handled();
        return this;
    }

    private Behavior<Command> onStepDue(StepDue due) {
        if (!current(due.round())) {
            clock.handled();
            return this;
        }
        if (due.step() == round.request.steps()) {
            finish();
            clock.handled();
            return this;
        }
        int[] batch = round.batch(due.step(), setup.batchSize());
        long r = due.round();
        int step = due.step();
        CompletableFuture<byte[]> work = afterRunning().thenApplyAsync(v -> side.forward(r, step, batch), setup.executor());
        running = work;
        getContext().pipeToSelf(work, (p, e) -> new ForwardDone(r, step, p, e));
        return this; // handled once the forward pass is done
    }

    private Behavior<Command> onForwardDone(ForwardDone done) {
        if (!current(done.round())) {
            clock.handled(); // the StepDue of a round that failed meanwhile
            return this;
        }
        if (done.failure() != null) {
            fail("forward pass failed: " + cause(done.failure()));
        } else {
            int batch = Math.min(setup.batchSize(), shard.size());
            round.bytesUp += done.payload().length;
            long delay = Math.addExact(computeMicros(batch, 1.0 / 3), device.uploadMicros(done.payload().length));
            clock.send(setup.server(), new SplitServer.Activations(id, done.round(), done.step(), batch, done.payload(),
                    replies), delay);
            if (setup.stepDeadlineMicros() > 0) {
                clock.after(getContext().getSelf(), new StepDeadline(done.round(), done.step()),
                        Math.addExact(delay, setup.stepDeadlineMicros()));
            }
        }
        clock.handled();
        return this;
    }

    private Behavior<Command> onFromServer(FromServer m) {
        SplitServer.Reply reply = m.reply();
        if (!current(reply.round()) || reply.step() != round.awaiting()) {
            clock.handled(); // stale: a round that failed, or a duplicate answer
            return this;
        }
        if (reply instanceof SplitServer.Rejected rejected) {
            fail("server rejected step " + rejected.step() + ": " + rejected.reason());
            clock.handled();
            return this;
        }
        SplitServer.Gradients g = (SplitServer.Gradients) reply;
        round.answered(g.loss());
        long r = g.round();
        int step = (int) g.step();
        CompletableFuture<Void> work = afterRunning().thenRunAsync(() -> side.backward(r, step, g.payload()), setup.executor());
        running = work;
        getContext().pipeToSelf(work, (v, e) -> new BackwardDone(r, step, g.payload().length, e));
        return this; // handled once the backward pass is done
    }

    private Behavior<Command> onBackwardDone(BackwardDone done) {
        if (!current(done.round())) {
            clock.handled();
            return this;
        }
        if (done.failure() != null) {
            fail("backward pass failed: " + cause(done.failure()));
        } else {
            round.bytesDown += done.downloadBytes();
            int batch = Math.min(setup.batchSize(), shard.size());
            long delay = Math.addExact(device.downloadMicros(done.downloadBytes()), computeMicros(batch, 2.0 / 3));
            clock.send(getContext().getSelf(), new StepDue(done.round(), done.step() + 1), delay);
        }
        clock.handled();
        return this;
    }

    private Behavior<Command> onStepDeadline(StepDeadline d) {
        if (current(d.round()) && round.awaiting() == d.step()) {
            fail("no gradients for step " + d.step() + " within " + setup.stepDeadlineMicros() + " us of its arrival");
        }
        clock.handled();
        return this;
    }

    /** Death watch, not the clock: no handled() owed for this message. */
    private Behavior<Command> onServerGone(ServerGone g) {
        if (round != null) {
            fail("the split server stopped");
        }
        return this;
    }

    /** Work on the client part starts after the last pass ended, even one of a round that failed meanwhile. */
    private CompletableFuture<Void> afterRunning() {
        return running.handle((r, e) -> null);
    }

    private boolean current(long r) {
        return round != null && round.request.round() == r;
    }

    private long computeMicros(int batch, double passShare) {
        return (long) Math.ceil(device.computeMicros(batch) * setup.clientShare() * side.computeFactor() * passShare);
    }

    private void finish() {
        byte[] part = partCodecs.up().encode(side.parameters());
        Train t = round.request;
        Trained trained = new Trained(id, t.round(), part, round.samples(setup.batchSize()), round.meanLoss(),
                round.bytesUp, round.bytesDown);
        round = null;
        clock.send(t.replyTo(), trained, device.uploadMicros(part.length));
    }

    private void fail(String reason) {
        getContext().getLog().warn("split client {} round {}: {}", id, round.request.round(), reason);
        clock.send(round.request.replyTo(), new Failed(id, round.request.round(), reason), 0);
        round = null;
    }

    private static String cause(Throwable t) {
        Throwable c = t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
        return c instanceof RuntimeException ? c.getMessage() : c.toString();
    }
}
