package io.fedprune.actors.client;

import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.distributor.Distributor;
import io.fedprune.actors.link.ServerLink;
import io.fedprune.actors.monitor.RunEvent;
import io.fedprune.actors.monitor.RunMonitor;
import io.fedprune.core.compress.PayloadFormatException;
import io.fedprune.core.compress.UplinkEncoder;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.data.Shard;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.server.ServerInput;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.LocalAltRound;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.train.TrainTask;
import io.fedprune.core.train.TrainerPool;
import io.fedprune.serialization.WireMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * A federated client: owns its shard (indices into the shared dataset) and its device profile.
 * On a {@link TrainRequest} it decodes the (sub-)model, trains on the shared {@link TrainerPool}
 * (off the actor thread), and answers the request's {@code replyTo} with a {@link Response}. Its
 * local round lasts download + compute in the clock's time, then the upload takes the device's
 * uplink time; its link rates may be redrawn every round, and on a shared server link
 * ({@link ClientNetwork}) both transfers last as long as the {@link ServerLink} takes.
 *
 * <p>The client owns its response protocol and knows nothing of who asks: an aggregator, or a
 * buffer or tier coordinator standing between it and the aggregator. A new request while a round
 * is in progress supersedes it: the device works on one model at a time, and the older result
 * would be stale anyway.
 */
public final class Client extends AbstractBehavior<Client.Command> {

    public sealed interface Command {
    }

    /**
     * Train from {@code model} (encoded global model or sub-model of {@code version}) and answer
     * {@code replyTo}.
     *
     * @param mask     the sub-model's mask ({@link Mask#toBytes()}), empty for the whole model
     * @param codec    the downlink codec chain the model was encoded with, empty for the configured one
     * @param epochs   local epochs; with {@code maxSteps} both 0 the client's configured work
     * @param maxSteps cap on local steps (0 = none)
     * @param computeScale the round's compute as a fraction of the dense model's, in (0, 1]: compute
     *                     time is the device's time for the samples times this (a width-scaled
     *                     sub-model's FLOPs fraction); anything else is refused
     * @param pruneRatio   the fraction of hidden FC weights with the smallest local change to leave
     *                     out of the upload (TT-Prune), in [0, 1); 0 = none
     * @param uplinkBps    the rate the server granted for the upload (bit/s); 0 = the device's own
     */
    public record TrainRequest(long version, long round, byte[] model, byte[] mask, String codec, int epochs,
                               int maxSteps, double computeScale, double pruneRatio, double uplinkBps,
                               ActorRef<Response> replyTo)
            implements Command, WireMessage {

        /** The configured uplink. */
        public TrainRequest(long version, long round, byte[] model, byte[] mask, String codec, int epochs,
                            int maxSteps, double computeScale, ActorRef<Response> replyTo) {
            this(version, round, model, mask, codec, epochs, maxSteps, computeScale, 0, 0, replyTo);
        }

        /** The whole model with the configured codec and work. */
        public TrainRequest(long version, long round, byte[] model, ActorRef<Response> replyTo) {
            this(version, round, model, new byte[0], "", 0, 0, 1.0, replyTo);
        }
    }

    /** What a client answers to a {@link TrainRequest}. */
    public sealed interface Response extends WireMessage {
        int clientId();

        /** The version the request carried. */
        long baseVersion();

        /** The round the request carried. */
        long round();
    }

    /**
     * The encoded result of a local round: a model or an update, as the uplink is configured.
     *
     * @param deviceAccuracy the accuracy of the received model with this client's personal part on
     *                       its own test split (a LocalAlt round with device tests), else NaN
     */
    public record Trained(int clientId, long baseVersion, long round, byte[] update, long samples, double trainLoss,
                          double deviceAccuracy) implements Response {

        /** Without a device-side measurement. */
        public Trained(int clientId, long baseVersion, long round, byte[] update, long samples, double trainLoss) {
            this(clientId, baseVersion, round, update, samples, trainLoss, Double.NaN);
        }
    }

    /**
     * {@code request}'s model is the global part (the entries in its mask) of a personalized model:
     * run LocalAlt round {@code round} on it with this client's personal part, and upload only the
     * pruned global part (personalization, ALGORITHMS.md §3).
     */
    public record TrainLocalAlt(TrainRequest request, LocalAltRound round) implements Command, WireMessage {
    }

    /** The client could not produce an update (undecodable model, training failed). */
    public record Failed(int clientId, long baseVersion, long round, String reason) implements Response {
    }

    /**
     * {@code request} (with an empty model) whose sub-model is to be rebuilt from residual
     * increments {@code from..level} of split {@code splitId}, fetched from {@code distributor}
     * (PR-FL's residual download): the client asks for them, overlays them on the increments of
     * the same split it already holds, and trains as for a whole sub-model.
     */
    public record TrainFromIncrements(TrainRequest request, long splitId, int from, int level,
                                      ActorRef<Distributor.Command> distributor) implements Command, WireMessage {
    }

    /** A distributor this client fetched from stopped: a fetch waiting on it will never be answered. */
    private record DistributorGone(ActorRef<Distributor.Command> distributor)
            implements Command, NoSerializationVerificationNeeded {
    }

    /** The distributor's answer to task {@code task}'s fetch. */
    private record IncrementsArrived(long task, Distributor.Fetched fetched)
            implements Command, NoSerializationVerificationNeeded {
    }

    /** The shared server link delivered task {@code task}'s model: compute starts now. */
    public record Downloaded(long task) implements Command, WireMessage {
    }

    /** Self event at the end of download + compute in clock time. */
    private record RoundDue(long task) implements Command, NoSerializationVerificationNeeded {
    }

    /** Training finished on the pool. */
    private record TrainingDone(long task, EncodedUpdate result, Throwable failure)
            implements Command, NoSerializationVerificationNeeded {
    }

    private final int id;
    private final Shard shard;
    private final DeviceProfile device;
    private final long seed;
    private final ClientSetup setup;
    private final Clock clock;
    private final UplinkEncoder uplink;
    private final RequestReader requests;
    // local rounds in progress by task: the current one, and earlier ones still uploading
    private final Map<Long, LocalRound> rounds = new HashMap<>();
    private final String path;
    private final IncrementFetcher increments; // PR-FL's residual download
    private ActorRef<Distributor.Command> watchedDistributor;
    private final ActorRef<Distributor.Fetched> fetched; // answers come back tagged with their task
    private final RunMonitor monitor;
    private final PersonalState personal;

    private long task;

    public static Behavior<Command> create(int id, Shard shard, DeviceProfile device, long seed, ClientSetup setup) {
        return Behaviors.setup(ctx -> new Client(ctx, id, shard, device, seed, setup));
    }

    private Client(ActorContext<Command> context, int id, Shard shard, DeviceProfile device, long seed, ClientSetup setup) {
        super(context);
        this.id = id;
        this.shard = shard;
        this.device = device;
        this.seed = seed;
        this.setup = setup;
        this.clock = setup.clock().forActor(context);
        this.uplink = setup.uplink().apply(id);
        this.requests = new RequestReader(setup);
        this.path = context.getSelf().path().toStringWithoutAddress();
        this.fetched = context.messageAdapter(Distributor.Fetched.class, f -> new IncrementsArrived(f.tag(), f));
        this.increments = new IncrementFetcher(setup.pool().layout());
        this.monitor = RunMonitor.get(context.getSystem());
        this.personal = new PersonalState(id, setup);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(TrainRequest.class, this::onTrainRequest)
                .onMessage(TrainFromIncrements.class, this::onTrainFromIncrements)
                .onMessage(TrainLocalAlt.class, r -> {
                    supersede();
                    task++;
                    return begin(r.request(), null, 0, r.round());
                })
                .onMessage(IncrementsArrived.class, this::onIncrementsArrived)
                .onMessage(DistributorGone.class, this::onDistributorGone)
                .onMessage(TrainingDone.class, this::onTrainingDone)
                .onMessage(RoundDue.class, this::onRoundDue)
                .onMessage(Downloaded.class, this::onDownloaded)
                .onSignal(PostStop.class, s -> {
                    releaseAll(); // a stopped client holds no place among the pool's results
                    if (setup.network().shared()) { // nor on the shared link, before time can move on
                        clock.send(setup.network().serverLink(), new ServerLink.Drop(getContext().getSelf()), 0);
                    }
                    return this;
                })
                .build();
    }

    private Behavior<Command> onTrainRequest(TrainRequest request) {
        supersede();
        task++;
        return begin(request, null, 0, null);
    }

    private Behavior<Command> onTrainFromIncrements(TrainFromIncrements r) {
        supersede();
        task++;
        increments.asked(task, r);
        if (watchedDistributor == null || !watchedDistributor.equals(r.distributor())) {
            if (watchedDistributor != null) {
                getContext().unwatch(watchedDistributor);
            }
            watchedDistributor = r.distributor();
            getContext().watchWith(watchedDistributor, new DistributorGone(watchedDistributor));
        }
        clock.send(r.distributor(), new Distributor.Fetch(id, task, r.splitId(), r.from(), r.level(), fetched), 0);
        clock.handled();
        return this;
    }

    private Behavior<Command> onIncrementsArrived(IncrementsArrived a) {
        TrainFromIncrements r = a.task() == task ? increments.waiting(a.task()) : null;
        if (r == null) {
            clock.handled(); // superseded while the increments were on their way
            return this;
        }
        IncrementFetcher.Rebuilt rebuilt;
        try {
            rebuilt = increments.rebuild(r, a.fetched());
        } catch (PayloadFormatException e) {
            getContext().getLog().warn("client {}: residual increments for version {}: {}", id, r.request().version(),
                    e.getMessage());
            clock.send(r.request().replyTo(), new Failed(id, r.request().version(), r.request().round(),
                    "undecodable model: " + e.getMessage()), 0);
            clock.handled();
            return this;
        }
        return begin(r.request(), rebuilt.start(), rebuilt.bytes(), null);
    }

    /** Death watch, not the clock: the round waiting on the gone distributor fails, no handled() owed. */
    private Behavior<Command> onDistributorGone(DistributorGone g) {
        TrainFromIncrements r = increments.waiting(task);
        if (r == null || !r.distributor().equals(g.distributor())) {
            return this;
        }
        increments.abandon(); // hold nothing: the next assignment fetches from scratch
        getContext().getLog().warn("client {}: the distributor of version {}'s increments stopped", id,
                r.request().version());
        clock.send(r.request().replyTo(), new Failed(id, r.request().version(), r.request().round(),
                "undecodable model: the distributor of its residual increments stopped"), 0);
        return this;
    }

    /**
     * Starts the local round of the current task on {@code request}: from {@code start} when the
     * sub-model is already rebuilt (residual increments of {@code extraBytes}), else decoded from
     * the request's model bytes; a LocalAlt round when {@code alt} is not null.
     */
    private Behavior<Command> begin(TrainRequest request, float[] start, long extraBytes, LocalAltRound alt) {
        LocalTrainingConfig cfg;
        WireCodec codec;
        Mask globalPart = null;
        try {
            cfg = requests.work(request);
            codec = requests.decoder(request.codec());
            Dispatch.checkComputeScale(request.computeScale());
            if (request.pruneRatio() != 0 || request.uplinkBps() != 0) {
                new Dispatch.Uplink(request.pruneRatio(), request.uplinkBps() == 0 ? 1 : request.uplinkBps());
            }
            if (alt != null) {
                globalPart = RequestReader.mask(setup.pool().layout().totalLength(), request.mask());
                if (globalPart.cardinality() == 0) {
                    throw new IllegalArgumentException("a LocalAlt round needs a global part, got an empty mask");
                }
            }
        } catch (IllegalArgumentException | PayloadFormatException e) {
            // a request this client cannot even start (a remote peer's bug or forgery): refused, not a crash
            getContext().getLog().warn("client {} refuses a request for version {}: {}", id, request.version(),
                    e.getMessage());
            clock.send(request.replyTo(), new Failed(id, request.version(), request.round(), "bad request: "
                    + e.getMessage()), 0);
            clock.handled();
            return this;
        }
        long myTask = task;
        byte[] model = request.model();
        byte[] maskBytes = request.mask();
        int length = setup.pool().layout().totalLength();
        DeviceProfile links = UploadPlan.links(setup.network().redraw().apply(device, myTask), request);
        if (alt != null) { // the server's allocation decides this round's uplink rate
            links = new DeviceProfile(id, links.cpuHz(), links.cyclesPerSample(), alt.uplinkBps(), links.downlinkBps());
        }
        long downloadBytes = (long) model.length + maskBytes.length + extraBytes;
        boolean shared = setup.network().shared();
        LocalRound.Timing timing = LocalRound.timing(links, device, downloadBytes, TrainTask.plannedSamples(
                shard.size(), cfg.epochs(), cfg.maxSteps(), cfg.batchSize()), request.computeScale(),
                setup.uploadBytes(), shared);
        long download = timing.download();
        long compute = timing.compute();
        long due = timing.due();
        LocalRound round = new LocalRound(request, shared ? Long.MAX_VALUE : clock.nowMicros() + compute, links,
                compute - download);
        rounds.put(myTask, round);
        if (monitor.watched()) {
            monitor.publish(new RunEvent.RoundStarted(id, request.version(), maskBytes.length == 0 ? 1.0
                    : RequestReader.mask(length, maskBytes).density(), model.length, maskBytes.length, extraBytes, clock.nowMicros(),
                    shared ? -1 : clock.nowMicros() + compute));
        }
        ServerInput.Update journaled = setup.memo().recall(id, request.version(), request.round());
        if (journaled != null) { // a resumed run: this very round's update is in the journal
            round.result = new EncodedUpdate(new UplinkEncoder.Encoded(journaled.bytes(), null), journaled.samples(),
                    journaled.trainLoss());
        } else {
            long dueKey = Math.addExact(clock.nowMicros(), due);
            round.job = alt != null
                    ? setup.pool().scheduleWork(dueKey, path, myTask, personal.round(myTask, () -> codec.decode(model),
                            globalPart, alt, shard.indices(), seed * 1_000_003L + myTask, uplink))
                    : RoundJobs.plain(setup, uplink, request, dueKey, path, myTask, shard, seed * 1_000_003L + myTask, cfg,
                            start != null ? () -> start : () -> codec.decode(model), maskBytes);
            getContext().pipeToSelf(round.job.result(), (r, err) -> new TrainingDone(myTask, r, err));
        }
        if (shared) {
            clock.send(setup.network().serverLink(), new ServerLink.Transfer<>(false, getContext().getSelf(),
                    downloadBytes, links.downlinkBps() / 8, getContext().getSelf(), new Downloaded(myTask)), 0);
        } else {
            clock.send(getContext().getSelf(), new RoundDue(myTask), due);
        }
        clock.handled();
        return this;
    }

    /**
     * A new request supersedes the round in progress (the device works on one model at a time, and
     * the older result would be stale anyway), but not an upload already under way: that one still
     * arrives, as a real device's would.
     */
    private void supersede() {
        rounds.values().removeIf(r -> {
            boolean uploading = setup.uploadBytes() >= 0 && clock.nowMicros() >= r.computeEndMicros;
            if (uploading) {
                return false;
            }
            r.release();
            if (r.due) {
                clock.handled(); // its report was being held back for its result
            }
            return true;
        });
    }

    private Behavior<Command> onTrainingDone(TrainingDone done) {
        LocalRound r = rounds.get(done.task());
        if (r == null) {
            return this; // superseded round: its result is not wanted
        }
        r.result = done.result();
        r.failure = done.failure();
        if (r.due) {
            finish(done.task(), r); // virtual time has been waiting for this result
        }
        return this;
    }

    private Behavior<Command> onDownloaded(Downloaded downloaded) {
        LocalRound r = rounds.get(downloaded.task());
        if (r != null) { // else superseded while downloading
            clock.send(getContext().getSelf(), new RoundDue(downloaded.task()), r.computeMicros);
            monitor.publish(new RunEvent.ComputeScheduled(id, r.request.version(), clock.nowMicros(),
                    clock.nowMicros() + r.computeMicros));
        }
        clock.handled();
        return this;
    }

    private Behavior<Command> onRoundDue(RoundDue due) {
        LocalRound r = rounds.get(due.task());
        if (r == null) {
            clock.handled();
            return this;
        }
        r.due = true;
        if (r.ready()) {
            finish(due.task(), r);
        } else if (r.job != null) {
            r.job.needNow(); // the clock waits for it: it must not wait behind results trained ahead
        }
        // else: keep the clock waiting; onTrainingDone finishes the round
        return this;
    }

    private void releaseAll() {
        rounds.values().forEach(LocalRound::release);
        rounds.clear();
    }

    private void finish(long myTask, LocalRound r) {
        rounds.remove(myTask);
        r.release(); // the result is in hand (or failed): the pool may train further ahead
        TrainRequest request = r.request;
        if (r.failure != null) {
            Throwable cause = r.failure instanceof CompletionException && r.failure.getCause() != null
                    ? r.failure.getCause() : r.failure;
            String reason = cause instanceof PayloadFormatException ? "undecodable model: " + cause.getMessage()
                    : "training failed: " + cause;
            getContext().getLog().warn("client {} on model version {}: {}", id, request.version(), reason);
            clock.send(request.replyTo(), new Failed(id, request.version(), request.round(), reason), 0);
        } else {
            byte[] bytes = r.result.upload().bytes();
            uplink.commit(r.result.upload()); // only now: a superseded round's residual is never kept
            personal.commit(r.result.personal()); // likewise its personal part
            monitor.publish(new RunEvent.UpdateSent(id, request.version(), bytes.length, clock.nowMicros()));
            Trained trained = new Trained(id, request.version(), request.round(), bytes, r.result.samples(),
                    r.result.meanLoss(), r.result.deviceAccuracy());
            if (setup.network().shared()) {
                clock.send(setup.network().serverLink(), new ServerLink.Transfer<>(true, getContext().getSelf(),
                        bytes.length, r.links.uplinkBps() / 8, request.replyTo(), trained), 0);
            } else {
                long upload = setup.uploadBytes() >= 0 ? 0 : r.links.uploadMicros(bytes.length);
                clock.send(request.replyTo(), trained, upload);
            }
        }
        clock.handled();
    }
}
