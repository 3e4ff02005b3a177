package io.fedprune.core.server;

import io.fedprune.core.compress.CodecChainSpec;
import io.fedprune.core.compress.Direction;
import io.fedprune.core.compress.MessageKind;
import io.fedprune.core.compress.PayloadFormatException;
import io.fedprune.core.compress.TrafficMeter;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.metrics.TrafficByKind;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.NestedSubModels;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.Strategy;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The server's model work as plain Java: the global model and its version, the strategy, the
 * codecs, validation, what each client holds, byte counts and statistics. The aggregator actor
 * decides <em>when</em> each method runs and calls them one at a time, in a deterministic order,
 * off its own thread; this class decides <em>what</em> happens. Not thread-safe by design: the
 * single caller serializes.
 *
 * <p>Every update is decoded and validated before the strategy sees it; anything wrong (bytes,
 * length, NaN/Inf, an impossible sample count, an answer to work the client does not hold) is
 * counted and reported, and the global model is untouched. Byte counts include every message,
 * accepted or not.
 */
public final class FederatedServer {

    /**
     * @param downlink the configured codec of the global model
     * @param bySpec   a codec for a dispatch that names another chain (stateful stages need their own instance)
     * @param uplink   decodes client uploads
     * @param payload  whether clients upload models or updates against the model they were sent
     */
    public record Codecs(WireCodec downlink, Function<CodecChainSpec, WireCodec> bySpec, WireCodec uplink,
                         UplinkPayload payload) {
    }

    /** A distinct payload of the current version: the plain global model, or a sub-model / other codec. */
    private record Encoded(byte[] model, byte[] mask, String codecName, WireCodec codec) {
    }

    private final Strategy strategy;
    private final Pacing pacing;
    private final Codecs codecs;
    private final SampleBound sampleBound;
    private final SplittableRandom rng;
    private final boolean lossyDownlink;
    private final InFlightModels inFlight;
    private final Screening screening;
    private final Map<CodecChainSpec, WireCodec> codecCache = new HashMap<>();
    private final Map<Dispatch, Encoded> encodedThisVersion = new HashMap<>();
    private final TrafficMeter meter = new TrafficMeter();
    private final ResidualDownloads residual; // null unless sub-models go out as residual increments

    private float[] params;
    private long version;
    private boolean finished;
    private long round;
    private Encoded global;
    private Consumer<ServerInput> inputs = input -> { };

    private int participants;
    private long accepted;
    private long rejected;
    private long stale;
    private long stragglers;
    private long failed;
    private long dropped;
    private double stalenessSum;
    // accepted updates by client id, grown to the highest id seen: one int per client
    private int[] updatesPerClient = new int[0];
    private int clientsCounted;

    /**
     * @param lossyDownlink the downlink codec does not reproduce the model exactly: publications
     *                      then carry the server's own parameters as well
     */
    public FederatedServer(Strategy strategy, float[] initial, Codecs codecs, SampleBound sampleBound, long seed,
                           boolean lossyDownlink) {
        this(strategy, initial, codecs, sampleBound, seed, lossyDownlink, Screening.NONE);
    }

    /** @param screening bounds on updates beyond validation (a norm bound), applied before the strategy */
    public FederatedServer(Strategy strategy, float[] initial, Codecs codecs, SampleBound sampleBound, long seed,
                           boolean lossyDownlink, Screening screening) {
        this.strategy = strategy;
        this.screening = screening;
        this.pacing = strategy.pacing();
        this.codecs = codecs;
        this.sampleBound = sampleBound;
        this.rng = new SplittableRandom(seed);
        this.lossyDownlink = lossyDownlink;
        this.inFlight = new InFlightModels(codecs.payload() == UplinkPayload.UPDATE || strategy.needsBaseModels()
                || screening.active());
        this.residual = strategy instanceof NestedSubModels n && n.residualDownload() ? new ResidualDownloads(n) : null;
        this.params = initial.clone();
        this.global = encodeGlobal();
    }

    /**
     * Tells {@code sink} of every input, before acting on it, in the order of the calls (a journal:
     * see {@link ServerInput}). Called on the caller's thread.
     */
    public void recordInputs(Consumer<ServerInput> sink) {
        this.inputs = java.util.Objects.requireNonNull(sink, "sink");
    }

    public Strategy strategy() {
        return strategy;
    }

    public Pacing pacing() {
        return pacing;
    }

    public long version() {
        return version;
    }

    /** The current round (0 before the first; only synchronous pacing counts rounds). */
    public long round() {
        return round;
    }

    /** Version 0, as published when the run starts. */
    public Publication initial() {
        return publication(Map.of());
    }

    /** Starts the next synchronous round: its participants among {@code available} (ascending). */
    public List<Integer> startRound(List<Integer> available) {
        if (!(pacing instanceof Pacing.Rounds rounds)) {
            throw new IllegalStateException(strategy.name() + " is not paced in rounds");
        }
        inputs.accept(new ServerInput.StartRound(available));
        round++;
        participants = 0;
        return rounds.selector().select(available, round, rng);
    }

    /** Who starts a local round at tick {@code tick} among {@code available} (tiered pacing only). */
    public List<Integer> startingAt(long tick, List<Integer> available) {
        return tiered().startingAt(tick, available);
    }

    /** The tick by which the round {@code clientId} starts at {@code startTick} must end (tiered pacing only). */
    public long deadlineTick(int clientId, long startTick) {
        return tiered().deadlineTick(clientId, startTick);
    }

    /** Client {@code clientId}'s tier (tiered pacing only). */
    public int tierOf(int clientId) {
        return tiered().tierOf(clientId);
    }

    private io.fedprune.core.strategy.TieredStrategy tiered() {
        if (!(pacing instanceof Pacing.Tiered) || !(strategy instanceof io.fedprune.core.strategy.TieredStrategy t)) {
            throw new IllegalStateException(strategy.name() + " is not paced in tiers");
        }
        return t;
    }

    /**
     * Work for {@code clientId} from the current model, as the strategy configures it, sent at clock
     * time {@code nowMicros}. Counted on the downlink.
     *
     * @throws IllegalStateException if the strategy has finished training (see {@link #finished()})
     */
    public Assignment assign(int clientId, long nowMicros) {
        if (finished) {
            throw new IllegalStateException(strategy.name() + " has finished training: no more work to give");
        }
        inputs.accept(new ServerInput.Assign(clientId, nowMicros));
        Dispatch dispatch = strategy.configure(clientId, state());
        Encoded e = encoded(dispatch);
        // the encoded sub-model stays the base the update is measured against, even when it goes out
        // as lossless increments (the same values)
        inFlight.sent(clientId, version, round, dispatch, e.model(), e.codec(), nowMicros);
        Assignment.Residual fetch = residual == null ? null
                : residual.fetch(clientId, dispatch.mask(), params, version);
        if (e.mask().length > 0) {
            meter.record(Direction.DOWNLINK, MessageKind.MASK, e.mask().length);
        }
        if (fetch == null) {
            meter.record(Direction.DOWNLINK, MessageKind.GLOBAL_MODEL, e.model().length);
            return new Assignment(clientId, version, round, e.model(), e.mask(), e.codecName(), dispatch.work(),
                    dispatch.computeScale(), null, dispatch.uplink(), dispatch.localAlt());
        }
        meter.record(Direction.DOWNLINK, MessageKind.RESIDUAL_INCREMENT, fetch.bytes());
        return new Assignment(clientId, version, round, new byte[0], e.mask(), e.codecName(), dispatch.work(),
                dispatch.computeScale(), fetch, dispatch.uplink(), dispatch.localAlt());
    }

    private Encoded encoded(Dispatch dispatch) {
        if (dispatch.isPlainGlobal()) {
            return global;
        }
        // the compute scale, the upload plan and the LocalAlt round do not change the bytes:
        // dispatches that differ only there share them
        return encodedThisVersion.computeIfAbsent(dispatch.withComputeScale(1.0).withUplink(null).withLocalAlt(null),
                d -> {
            WireCodec codec = d.codec() == null ? codecs.downlink()
                    : codecCache.computeIfAbsent(d.codec(), codecs.bySpec());
            float[] values = params;
            byte[] mask = new byte[0];
            if (d.mask() != null) {
                checkMask(d.mask());
                values = params.clone();
                d.mask().applyTo(values);
                mask = d.mask().toBytes();
            }
            return new Encoded(codec.encode(values), mask, d.codec() == null ? "" : d.codec().canonical(), codec);
        });
    }

    private void checkMask(Mask mask) {
        if (mask.size() != params.length) {
            throw new IllegalStateException(strategy.name() + " dispatched a mask of " + mask.size()
                    + " entries for a model of " + params.length);
        }
    }

    /**
     * An update arrived. It must answer the work its client holds ({@code baseVersion} and
     * {@code round}); it is decoded, validated and given to the strategy.
     */
    public Outcome onUpdate(IncomingUpdate u, long nowMicros) {
        inputs.accept(ServerInput.Update.of(u, nowMicros, false));
        meter.record(Direction.UPLINK, MessageKind.CLIENT_UPDATE, u.bytes().length);
        if (finished) {
            // training is over: counted, never used (it answers work given before the end)
            stale++;
            inFlight.release(u.clientId(), u.baseVersion(), u.round());
            return Outcome.NOTHING;
        }
        InFlightModels.Held held = inFlight.held(u.clientId());
        if (held == null || !held.is(u.baseVersion(), u.round())) {
            return reject(u.clientId(), "an update for version " + u.baseVersion() + " (round " + u.round()
                    + ") but it holds " + (held == null ? "no work" : "version " + held.version() + " (round "
                    + held.round() + ")") + ": replayed, duplicated or forged");
        }
        float[] model;
        float[] base;
        try {
            base = inFlight.base(held);
            float[] decoded = codecs.uplink().decode(u.bytes());
            model = codecs.payload().model(base, decoded);
            if (held.dispatch().mask() != null && model.length == params.length) {
                held.dispatch().mask().applyTo(model); // a sub-model's update lives on its mask
            }
            UpdateValidator.validate(u.clientId(), model, u.samples(),
                    sampleBound.maxSamples(u.clientId(), held.dispatch().work()), u.baseVersion(), state());
            screening.check(u.clientId(), model, base);
        } catch (PayloadFormatException | InvalidUpdateException e) {
            inFlight.release(u.clientId(), u.baseVersion(), u.round());
            strategy.onClientGone(u.clientId());
            return reject(u.clientId(), e.getMessage());
        }
        long staleness = version - u.baseVersion();
        ArrivedUpdate arrived = new ArrivedUpdate(u.clientId(), model, u.samples(), u.baseVersion(), staleness, base,
                held.dispatch(), u.trainLoss(), Math.min(held.sentAtMicros(), nowMicros), nowMicros,
                u.deviceAccuracy());
        inFlight.release(u.clientId(), u.baseVersion(), u.round());
        accepted++;
        countUpdate(u.clientId());
        participants++;
        stalenessSum += staleness;
        return new Outcome(null, apply(strategy.onUpdate(arrived, state())));
    }

    private void countUpdate(int clientId) {
        if (clientId >= updatesPerClient.length) {
            updatesPerClient = Arrays.copyOf(updatesPerClient, Math.max(clientId + 1, 2 * updatesPerClient.length));
        }
        updatesPerClient[clientId]++;
        clientsCounted = Math.max(clientsCounted, clientId + 1);
    }

    private Outcome reject(int clientId, String why) {
        rejected++;
        return new Outcome("rejected update from client " + clientId + ": " + why, null);
    }

    /** A clock tick. */
    public Outcome onTick(long nowMicros) {
        inputs.accept(new ServerInput.Tick(nowMicros));
        return finished ? Outcome.NOTHING : new Outcome(null, apply(strategy.onTick(nowMicros, state())));
    }

    /** The current synchronous round closed as {@code outcome} says. */
    public Outcome onRoundEnd(RoundOutcome outcome) {
        inputs.accept(new ServerInput.RoundEnd(outcome));
        stragglers += outcome.stragglers();
        return finished ? Outcome.NOTHING : new Outcome(null, apply(strategy.onRoundEnd(outcome, state())));
    }

    /** An update for a round that had closed: counted (bytes and {@code stale}), never used. */
    public void onStale(IncomingUpdate u) {
        inputs.accept(ServerInput.Update.of(u, 0, true));
        meter.record(Direction.UPLINK, MessageKind.CLIENT_UPDATE, u.bytes().length);
        stale++;
        inFlight.release(u.clientId(), u.baseVersion(), u.round());
    }

    /** The client reported that it could not finish the work it held for {@code baseVersion}. */
    public void onFailed(int clientId, long baseVersion, long round) {
        inputs.accept(new ServerInput.Failed(clientId, baseVersion, round));
        failed++;
        forgetHoldings(clientId);
        if (inFlight.release(clientId, baseVersion, round)) {
            strategy.onClientGone(clientId);
        }
    }

    /** A round deadline gave up on the client: its work is no longer wanted. */
    public void onStraggler(int clientId) {
        inputs.accept(new ServerInput.Straggler(clientId));
        forgetHoldings(clientId);
        if (inFlight.forget(clientId) != null) {
            strategy.onClientGone(clientId);
        }
    }

    /** The client stopped; counted as a dropout if it held work. */
    public void onDropped(int clientId) {
        inputs.accept(new ServerInput.Dropped(clientId));
        forgetHoldings(clientId);
        if (inFlight.forget(clientId) != null) {
            dropped++;
            strategy.onClientGone(clientId);
        }
    }

    /**
     * True once the strategy published its last model ({@link Decision#last()}): no more work is
     * given and later updates are counted as stale, never used.
     */
    public boolean finished() {
        return finished;
    }

    private void forgetHoldings(int clientId) {
        if (residual != null) {
            residual.forget(clientId);
        }
    }

    /**
     * Bytes of distinct residual increments handed out (each counted once however many clients
     * fetch it): the server's upload when a distributor serves every client of a level; 0 without
     * residual download.
     */
    public long residualDistinctBytes() {
        return residual == null ? 0 : residual.distinctBytes();
    }

    /**
     * Ids of the clients holding work from this server, ascending: after a restart from a journal,
     * the work a killed aggregator had handed out (its answers went to the dead one).
     */
    public List<Integer> holders() {
        return inFlight.holders();
    }

    /** True if {@code clientId} holds work from this server. */
    public boolean holdsWork(int clientId) {
        return inFlight.held(clientId) != null;
    }

    public ServerStats stats() {
        return new ServerStats(participants, accepted, rejected, stale, stragglers, failed, dropped,
                accepted == 0 ? 0 : stalenessSum / accepted);
    }

    /** Accepted updates so far by client id (a copy), up to the highest id that sent one. */
    public int[] updatesPerClient() {
        return Arrays.copyOf(updatesPerClient, clientsCounted);
    }

    /** Bytes so far by direction and message kind, with {@link #residualDistinctBytes()}. */
    public TrafficByKind trafficByKind() {
        return TrafficByKind.of(meter::bytes, residualDistinctBytes());
    }

    public long bytesUp() {
        return meter.bytes(Direction.UPLINK);
    }

    public long bytesDown() {
        return meter.bytes(Direction.DOWNLINK);
    }

    /** Distinct payloads kept for base models (diagnostics and tests). */
    public int payloadsInFlight() {
        return inFlight.payloadsHeld();
    }

    private ModelState state() {
        return new ModelState(params, version);
    }

    private Publication apply(Decision decision) {
        if (!decision.publishes()) {
            return null;
        }
        float[] next = decision.model();
        if (next.length != params.length) {
            throw new IllegalStateException(strategy.name() + " produced a model of " + next.length
                    + " parameters for " + params.length);
        }
        params = next;
        version++;
        finished = decision.last();
        encodedThisVersion.clear();
        global = encodeGlobal();
        Publication p = publication(decision.metrics());
        participants = 0;
        return p;
    }

    /** The current model as every plain-dispatch client is sent it. */
    private Encoded encodeGlobal() {
        return new Encoded(codecs.downlink().encode(params), new byte[0], "", codecs.downlink());
    }

    private Publication publication(Map<String, Double> reported) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (String name : strategy.metricNames()) {
            metrics.put(name, reported.getOrDefault(name, Double.NaN));
        }
        return new Publication(version, round, global.model(), lossyDownlink ? params.clone() : new float[0],
                bytesUp(), bytesDown(), stats(), metrics, finished);
    }
}
