package io.fedprune.actors.aggregator;

import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.core.aggregate.AggregationStrategy;
import io.fedprune.core.aggregate.ClientUpdate;
import io.fedprune.core.aggregate.InvalidUpdateException;
import io.fedprune.core.aggregate.ModelState;
import io.fedprune.core.aggregate.UpdateValidator;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.Direction;
import io.fedprune.core.compress.MessageKind;
import io.fedprune.core.compress.PayloadFormatException;
import io.fedprune.core.compress.TrafficMeter;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.serialization.WireMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The server: holds the global model and its version and decides <em>when</em> to aggregate;
 * <em>how</em> is the pluggable {@link AggregationStrategy}.
 *
 * <ul>
 *   <li>SYNC: each round samples a fraction of clients, sends them the model and closes when all
 *   replied or the deadline passed (stragglers are dropped; their late updates are counted as
 *   stale and discarded), then asks the strategy for the new model.</li>
 *   <li>ASYNC: every client is kept busy; each arriving update goes to the strategy at once
 *   (FedAsync mixes it in, weighted by staleness) and the client gets the newest model.</li>
 * </ul>
 *
 * <p>Every update is decoded and validated before the strategy sees it; anything wrong (bytes,
 * length, NaN/Inf, unsolicited, duplicate) is logged and counted, and the global model is
 * untouched. {@link RegisterClient}, {@link Start}, {@link UpdateArrived} and
 * {@link UpdateFailed} arrive through the {@link Clock}; {@link Stop} and {@link GetModel} are
 * plain requests.
 */
public final class Aggregator extends AbstractBehavior<Aggregator.Command> {

    public sealed interface Command {
    }

    public record RegisterClient(int clientId, ActorRef<Client.Command> client) implements Command, WireMessage {
    }

    public record Start() implements Command, WireMessage {
    }

    public record Stop() implements Command, WireMessage {
    }

    /** A client's encoded update; {@code baseVersion} is the global version it trained from. */
    public record UpdateArrived(int clientId, long baseVersion, long round, byte[] update, long samples,
                                double trainLoss) implements Command, WireMessage {
    }

    /** A client could not produce an update for {@code baseVersion}. */
    public record UpdateFailed(int clientId, long baseVersion, long round, String reason)
            implements Command, WireMessage {
    }

    public record GetModel(ActorRef<ModelSnapshot> replyTo) implements Command, WireMessage {
    }

    public record ModelSnapshot(long version, byte[] model) implements WireMessage {
    }

    private record RoundDeadline(long round) implements Command, NoSerializationVerificationNeeded {
    }

    /** Consecutive rounds without a single usable update after which SYNC mode gives up. */
    static final int MAX_EMPTY_ROUNDS = 10;

    private final AggregatorSettings settings;
    private final AggregationStrategy strategy;
    private final WireCodec codec;
    private final WireCodec uplink;
    private final UplinkPayload payload;
    // UPDATE payloads only: the model each client started from, to add its update to
    private final SentModels sentModels;
    // the broadcast differs from the server's model: publish both, so either can be evaluated
    private final boolean lossyDownlink;
    private final ActorRef<ModelPublished> listener;
    private final Clock clock;
    private final SplittableRandom rng;
    private final TrafficMeter meter = new TrafficMeter();
    private final TreeMap<Integer, ActorRef<Client.Command>> clients = new TreeMap<>();

    private float[] params;
    private byte[] modelBytes;
    private long version;
    private boolean started;
    private boolean stopped;

    // SYNC round state
    private long round;
    private boolean roundOpen;
    private final Set<Integer> awaiting = new HashSet<>();
    private int roundParticipants;
    private int emptyRounds;

    // ASYNC state: the version each busy client was sent, and clients waiting for a newer model
    // after a failure
    private final Map<Integer, Long> outstanding = new HashMap<>();
    private final Set<Integer> parked = new HashSet<>();

    private long accepted;
    private long rejected;
    private long stale;
    private long stragglers;
    private long failed;
    private double stalenessSum;

    /** The same codec for the global model and for updates. */
    public static Behavior<Command> create(AggregatorSettings settings, AggregationStrategy strategy, WireCodec codec,
                                           float[] initialParams, ActorRef<ModelPublished> listener,
                                           ClockService clock) {
        return create(settings, strategy, codec, codec, initialParams, listener, clock);
    }

    /**
     * @param downlink encodes the global model sent to clients (and published)
     * @param uplink   decodes client updates
     */
    public static Behavior<Command> create(AggregatorSettings settings, AggregationStrategy strategy,
                                           WireCodec downlink, WireCodec uplink, float[] initialParams,
                                           ActorRef<ModelPublished> listener, ClockService clock) {
        return create(settings, strategy, downlink, uplink, UplinkPayload.MODEL, initialParams, listener, clock);
    }

    /**
     * @param payload whether clients upload whole models or updates against the model they were
     *                sent (then the aggregator keeps each sent version until its clients answer)
     */
    public static Behavior<Command> create(AggregatorSettings settings, AggregationStrategy strategy,
                                           WireCodec downlink, WireCodec uplink, UplinkPayload payload,
                                           float[] initialParams, ActorRef<ModelPublished> listener,
                                           ClockService clock) {
        return Behaviors.setup(ctx -> new Aggregator(ctx, settings, strategy, downlink, uplink, payload,
                initialParams, listener, clock));
    }

    private Aggregator(ActorContext<Command> context, AggregatorSettings settings, AggregationStrategy strategy,
                       WireCodec codec, WireCodec uplink, UplinkPayload payload, float[] initialParams,
                       ActorRef<ModelPublished> listener, ClockService clock) {
        super(context);
        this.settings = settings;
        this.strategy = strategy;
        this.codec = codec;
        this.uplink = uplink;
        this.payload = payload;
        this.sentModels = payload == UplinkPayload.UPDATE ? new SentModels(codec) : null;
        this.lossyDownlink = !(codec instanceof DenseFloat32Codec);
        this.listener = listener;
        this.clock = clock.forActor(context);
        this.rng = new SplittableRandom(settings.seed());
        this.params = initialParams.clone();
        this.modelBytes = codec.encode(params);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(RegisterClient.class, this::onRegister)
                .onMessage(Start.class, this::onStart)
                .onMessage(Stop.class, this::onStop)
                .onMessage(UpdateArrived.class, this::onUpdate)
                .onMessage(UpdateFailed.class, this::onFailed)
                .onMessage(RoundDeadline.class, this::onDeadline)
                .onMessage(GetModel.class, this::onGetModel)
                .build();
    }

    private Behavior<Command> onRegister(RegisterClient r) {
        ActorRef<Client.Command> previous = clients.put(r.clientId(), r.client());
        if (previous != null && !previous.equals(r.client())) {
            getContext().getLog().warn("client id {} re-registered from {} (was {})", r.clientId(), r.client(), previous);
        }
        if (started && settings.mode() == AggregatorSettings.Mode.ASYNC && !stopped
                && !outstanding.containsKey(r.clientId())) {
            dispatch(r.clientId());
        }
        clock.handled();
        return this;
    }

    private Behavior<Command> onStart(Start s) {
        if (!started) {
            started = true;
            if (clients.isEmpty()) {
                getContext().getLog().warn("aggregator started with no registered clients");
            }
            publish(0);
            if (settings.mode() == AggregatorSettings.Mode.SYNC) {
                startRound();
            } else {
                clients.keySet().forEach(this::dispatch);
            }
        }
        clock.handled();
        return this;
    }

    private Behavior<Command> onStop(Stop s) {
        stopped = true;
        return this;
    }

    private Behavior<Command> onGetModel(GetModel q) {
        q.replyTo().tell(new ModelSnapshot(version, modelBytes));
        return this;
    }

    private Behavior<Command> onUpdate(UpdateArrived u) {
        meter.record(Direction.UPLINK, MessageKind.CLIENT_UPDATE, u.update().length);
        if (settings.mode() == AggregatorSettings.Mode.SYNC) {
            onSyncUpdate(u);
        } else {
            onAsyncUpdate(u);
        }
        clock.handled();
        return this;
    }

    private void onSyncUpdate(UpdateArrived u) {
        if (!roundOpen || u.round() != round || !awaiting.contains(u.clientId())) {
            stale++;
            getContext().getLog().debug("discarding update of client {} for round {} (current round {}, open {})",
                    u.clientId(), u.round(), round, roundOpen);
            return;
        }
        awaiting.remove(u.clientId());
        Optional<float[]> produced = accept(u);
        release(u.clientId(), u.baseVersion(), u.round());
        if (produced.isPresent()) {
            throw new IllegalStateException("strategy " + strategy.name() + " produced a model mid-round in SYNC mode");
        }
        if (awaiting.isEmpty()) {
            closeRound();
        }
    }

    private void onAsyncUpdate(UpdateArrived u) {
        Long sent = outstanding.get(u.clientId());
        if (sent == null || sent != u.baseVersion()) {
            // a replayed, duplicated or forged update: the client holds another model (or none)
            rejected++;
            getContext().getLog().warn("rejecting update from client {} based on version {}: it was sent {}",
                    u.clientId(), u.baseVersion(), sent == null ? "no model" : "version " + sent);
            return;
        }
        outstanding.remove(u.clientId());
        Optional<float[]> produced = accept(u);
        release(u.clientId(), u.baseVersion(), u.round());
        produced.ifPresent(m -> install(m, 1));
        if (!stopped && !capReached()) {
            dispatch(u.clientId());
        }
    }

    /** Decodes and validates; returns what the strategy made of it (empty also when rejected). */
    private Optional<float[]> accept(UpdateArrived u) {
        ClientUpdate update;
        try {
            update = new ClientUpdate(u.clientId(), clientModel(u), u.samples(), u.baseVersion());
            UpdateValidator.validate(update, new ModelState(params, version));
        } catch (PayloadFormatException | InvalidUpdateException e) {
            rejected++;
            getContext().getLog().warn("rejected update from client {}: {}", u.clientId(), e.getMessage());
            return Optional.empty();
        }
        accepted++;
        roundParticipants++;
        stalenessSum += version - u.baseVersion();
        return strategy.onUpdate(update, new ModelState(params, version));
    }

    /** The client's model: its decoded upload, plus the model it was sent when it uploads an update. */
    private float[] clientModel(UpdateArrived u) {
        float[] decoded = uplink.decode(u.update());
        if (sentModels == null) {
            return decoded;
        }
        float[] reference = sentModels.reference(u.clientId(), u.baseVersion(), u.round());
        if (reference == null) {
            throw new InvalidUpdateException("an update against version " + u.baseVersion()
                    + ", which this client was not sent (or no longer holds)");
        }
        return payload.model(reference, decoded);
    }

    private void release(int clientId, long version, long round) {
        if (sentModels != null) {
            sentModels.release(clientId, version, round);
        }
    }

    private Behavior<Command> onFailed(UpdateFailed f) {
        failed++;
        release(f.clientId(), f.baseVersion(), f.round());
        getContext().getLog().info("client {} failed its round on version {}: {}", f.clientId(), f.baseVersion(), f.reason());
        if (settings.mode() == AggregatorSettings.Mode.SYNC) {
            if (roundOpen && f.round() == round && awaiting.remove(f.clientId()) && awaiting.isEmpty()) {
                closeRound();
            }
        } else if (outstanding.remove(f.clientId()) != null) {
            parked.add(f.clientId()); // retried when a newer model exists, not in a zero-time loop
        }
        clock.handled();
        return this;
    }

    private Behavior<Command> onDeadline(RoundDeadline d) {
        if (roundOpen && d.round() == round) {
            stragglers += awaiting.size();
            getContext().getLog().debug("round {} deadline: {} stragglers dropped", round, awaiting.size());
            awaiting.forEach(id -> release(id, version, round)); // a round's model does not change while it is open
            awaiting.clear();
            closeRound();
        }
        clock.handled();
        return this;
    }

    private void startRound() {
        round++;
        roundOpen = true;
        roundParticipants = 0;
        List<Integer> ids = new ArrayList<>(clients.keySet());
        int m = Math.max(1, (int) Math.round(settings.fraction() * ids.size()));
        // partial Fisher-Yates: the first m entries are a uniform sample without replacement
        for (int i = 0; i < Math.min(m, ids.size()); i++) {
            int j = i + rng.nextInt(ids.size() - i);
            Integer t = ids.get(i);
            ids.set(i, ids.get(j));
            ids.set(j, t);
        }
        List<Integer> selected = new ArrayList<>(ids.subList(0, Math.min(m, ids.size())));
        selected.sort(null);
        awaiting.addAll(selected);
        for (int id : selected) {
            send(id);
        }
        if (settings.deadlineMicros() > 0) {
            clock.send(getContext().getSelf(), new RoundDeadline(round), settings.deadlineMicros());
        }
        if (selected.isEmpty()) {
            closeRound();
        }
    }

    private void closeRound() {
        roundOpen = false;
        int participants = roundParticipants;
        Optional<float[]> next = strategy.onRoundEnd(new ModelState(params, version));
        if (next.isPresent()) {
            emptyRounds = 0;
            install(next.get(), participants);
        } else {
            emptyRounds++;
            getContext().getLog().warn("round {} closed without a usable update ({} in a row)", round, emptyRounds);
        }
        if (stopped || capReached()) {
            return;
        }
        if (emptyRounds >= MAX_EMPTY_ROUNDS) {
            getContext().getLog().error("{} rounds in a row produced no usable update; no further rounds", emptyRounds);
            return;
        }
        startRound();
    }

    private boolean capReached() {
        return settings.maxRounds() > 0 && version >= settings.maxRounds();
    }

    private void install(float[] next, int participants) {
        params = next;
        version++;
        modelBytes = codec.encode(params);
        publish(participants);
        if (settings.mode() == AggregatorSettings.Mode.ASYNC && !stopped && !capReached()) {
            List<Integer> retry = new ArrayList<>(parked);
            retry.sort(null);
            parked.clear();
            retry.forEach(this::dispatch);
        }
    }

    private void publish(int participants) {
        AggregatorStats stats = new AggregatorStats(participants, accepted, rejected, stale, stragglers, failed,
                accepted == 0 ? 0 : stalenessSum / accepted);
        float[] aggregate = lossyDownlink ? params.clone() : new float[0];
        clock.send(listener, new ModelPublished(version, round, modelBytes, aggregate, meter.bytes(Direction.UPLINK),
                meter.bytes(Direction.DOWNLINK), stats), 0);
    }

    private void dispatch(int clientId) {
        outstanding.put(clientId, version);
        send(clientId);
    }

    private void send(int clientId) {
        meter.record(Direction.DOWNLINK, MessageKind.GLOBAL_MODEL, modelBytes.length);
        if (sentModels != null) {
            sentModels.sent(clientId, version, round, modelBytes);
        }
        clock.send(clients.get(clientId), new Client.TrainRequest(version, round, modelBytes, getContext().getSelf()), 0);
    }
}
