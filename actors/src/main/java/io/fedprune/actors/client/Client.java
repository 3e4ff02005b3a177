package io.fedprune.actors.client;

import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.core.compress.ErrorFeedback;
import io.fedprune.core.compress.PayloadFormatException;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.Shard;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.train.TrainTask;
import io.fedprune.core.train.TrainerPool;
import io.fedprune.serialization.WireMessage;
import java.util.concurrent.CompletionException;
import java.util.function.IntFunction;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A federated client: owns its shard (indices into the shared dataset) and its device profile.
 * On a {@link TrainRequest} it decodes the model, trains on the shared {@link TrainerPool} (off
 * the actor thread), and uploads the encoded result. Its local round lasts download + compute in
 * the clock's time, then the upload takes the device's uplink time.
 *
 * <p>A new request while a round is in progress supersedes it: the device works on one model at a
 * time, and the older result would be stale anyway.
 */
public final class Client extends AbstractBehavior<Client.Command> {

    public sealed interface Command {
    }

    /** Train from {@code model} (encoded global model of {@code version}) and reply to {@code replyTo}. */
    public record TrainRequest(long version, long round, byte[] model, ActorRef<Aggregator.Command> replyTo)
            implements Command, WireMessage {
    }

    /** Self event at the end of download + compute in clock time. */
    private record RoundDue(long task) implements Command, NoSerializationVerificationNeeded {
    }

    /** Training finished on the pool (real time). */
    private record TrainingDone(long task, EncodedUpdate result, Throwable failure)
            implements Command, NoSerializationVerificationNeeded {
    }

    /** A trained model as it will be uploaded: only the encoded bytes are kept while waiting. */
    private record EncodedUpdate(byte[] bytes, long samples, double meanLoss) {
    }

    /**
     * Everything a client needs that is not its own identity.
     *
     * @param codec         decodes the global model (downlink)
     * @param uplink        gives client {@code id} its own uplink encoder (stateful stages such as
     *                      stochastic rounding must not be shared between clients)
     * @param errorFeedback keep a residual of what the uplink codec dropped and add it back next time
     */
    public record Setup(Dataset data, TrainerPool pool, WireCodec codec, IntFunction<WireCodec> uplink,
                        boolean errorFeedback, LocalTrainingConfig training, ClockService clock) {

        /** The same codec both ways, no error feedback. */
        public Setup(Dataset data, TrainerPool pool, WireCodec codec, LocalTrainingConfig training, ClockService clock) {
            this(data, pool, codec, id -> codec, false, training, clock);
        }
    }

    private final int id;
    private final Shard shard;
    private final DeviceProfile device;
    private final long seed;
    private final Setup setup;
    private final Clock clock;
    private final WireCodec uplink;
    // created on the first upload (its size is the model's); guarded by itself because a
    // superseded round may still be encoding on another trainer thread
    private final ErrorFeedbackHolder feedback;

    private long task;
    private TrainRequest current;
    private EncodedUpdate result;
    private Throwable failure;
    private boolean roundDue;

    public static Behavior<Command> create(int id, Shard shard, DeviceProfile device, long seed, Setup setup) {
        return Behaviors.setup(ctx -> new Client(ctx, id, shard, device, seed, setup));
    }

    private Client(ActorContext<Command> context, int id, Shard shard, DeviceProfile device, long seed, Setup setup) {
        super(context);
        this.id = id;
        this.shard = shard;
        this.device = device;
        this.seed = seed;
        this.setup = setup;
        this.clock = setup.clock().forActor(context);
        this.uplink = setup.uplink().apply(id);
        this.feedback = setup.errorFeedback() ? new ErrorFeedbackHolder() : null;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(TrainRequest.class, this::onTrainRequest)
                .onMessage(TrainingDone.class, this::onTrainingDone)
                .onMessage(RoundDue.class, this::onRoundDue)
                .build();
    }

    private Behavior<Command> onTrainRequest(TrainRequest request) {
        if (roundDue) {
            clock.handled(); // the superseded round's report was being held back for its result
        }
        task++;
        current = request;
        result = null;
        failure = null;
        roundDue = false;
        LocalTrainingConfig cfg = setup.training();
        long myTask = task;
        byte[] model = request.model();
        WireCodec codec = setup.codec();
        // Decoding and encoding happen on the trainer thread when a worker is free: a client
        // waiting in the queue holds only the shared broadcast bytes, a finished one only its
        // encoded update. Seeded by client and task so reruns train identically on any thread.
        getContext().pipeToSelf(setup.pool().train(
                        () -> new TrainTask(codec.decode(model), setup.data(), shard.indices(), cfg.epochs(),
                                cfg.maxSteps(), cfg.batchSize(), seed * 1_000_003L + myTask),
                        r -> new EncodedUpdate(encodeUpdate(r.params()), r.samples(), r.meanLoss())),
                (r, err) -> new TrainingDone(myTask, r, err));
        long due = device.downloadMicros(model.length) + device.computeMicros(TrainTask.plannedSamples(
                shard.size(), cfg.epochs(), cfg.maxSteps(), cfg.batchSize()));
        clock.send(getContext().getSelf(), new RoundDue(myTask), due);
        clock.handled();
        return this;
    }

    /** Runs on a trainer thread. */
    private byte[] encodeUpdate(float[] params) {
        synchronized (uplink) {
            if (feedback == null) {
                return uplink.encode(params);
            }
            return feedback.encode(params, uplink);
        }
    }

    /** Client-side error feedback: what compression dropped is added back to the next upload. */
    private static final class ErrorFeedbackHolder {
        private ErrorFeedback state;

        byte[] encode(float[] params, WireCodec codec) {
            if (state == null) {
                state = new ErrorFeedback(params.length);
            }
            float[] compensated = state.compensate(params);
            byte[] bytes = codec.encode(compensated);
            state.recordSent(compensated, codec.decode(bytes));
            return bytes;
        }
    }

    private Behavior<Command> onTrainingDone(TrainingDone done) {
        if (done.task() != task) {
            return this; // superseded round: its result is not wanted
        }
        result = done.result();
        failure = done.failure();
        if (roundDue) {
            finishRound(); // virtual time has been waiting for this result
        }
        return this;
    }

    private Behavior<Command> onRoundDue(RoundDue due) {
        if (due.task() != task || current == null) {
            clock.handled();
            return this;
        }
        roundDue = true;
        if (result != null || failure != null) {
            finishRound();
        }
        // else: keep the clock waiting; onTrainingDone finishes the round
        return this;
    }

    private void finishRound() {
        TrainRequest request = current;
        if (failure != null) {
            Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                    ? failure.getCause() : failure;
            String reason = cause instanceof PayloadFormatException ? "undecodable model: " + cause.getMessage()
                    : "training failed: " + cause;
            getContext().getLog().warn("client {} on model version {}: {}", id, request.version(), reason);
            clock.send(request.replyTo(), new Aggregator.UpdateFailed(id, request.version(), request.round(), reason), 0);
        } else {
            clock.send(request.replyTo(), new Aggregator.UpdateArrived(id, request.version(), request.round(),
                    result.bytes(), result.samples(), result.meanLoss()), device.uploadMicros(result.bytes().length));
        }
        current = null;
        result = null;
        failure = null;
        roundDue = false;
        clock.handled();
    }
}
