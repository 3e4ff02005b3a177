package io.fedprune.actors.testkit;

import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.aggregator.AggregatorEvent;
import io.fedprune.actors.aggregator.AggregatorGaveUp;
import io.fedprune.actors.aggregator.AggregatorSettings;
import io.fedprune.actors.aggregator.ModelPublished;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.server.FederatedServer;
import io.fedprune.core.server.SampleBound;
import io.fedprune.core.strategy.Strategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Runs a {@link Strategy} in the real {@link Aggregator} actor against {@link FakeClient}s, on a
 * plain parameter vector (dense codec both ways), under a virtual clock by default: a protocol test
 * of a strategy in a few lines, every message through the serializer when the test kit's system is
 * configured so ({@code FedpruneConfig.testing()}).
 *
 * <pre>{@code
 * AggregatorHarness h = AggregatorHarness.of(testKit, new MyStrategy(), new float[16])
 *         .client(FakeClient.towards(target, 0.5))
 *         .client(FakeClient.scaled(-10))
 *         .maxVersions(20)
 *         .start();
 * h.awaitVersion(20).assertCloseTo(target, 0.01);
 * }</pre>
 */
public final class AggregatorHarness {
    /** Parameters' fingerprint in the harness codec (any constant: both sides use the same codec). */
    static final long FINGERPRINT = 0x7e57_c0de_0000_0001L;
    /** How long (wall time) {@link #awaitVersion} waits before failing. */
    public static final Duration DEFAULT_WAIT = Duration.ofSeconds(30);

    private final ActorTestKit testKit;
    private final Strategy strategy;
    private final float[] initial;
    private final WireCodec codec;
    private final List<FakeClient.Script> scripts = new ArrayList<>();
    private long maxVersions;
    private long maxSamples = 1_000_000;
    private boolean virtual = true;
    private Duration wait = DEFAULT_WAIT;

    private TestProbe<Stamped> events;
    private ActorRef<Aggregator.Command> aggregator;
    private ClockService clocks;
    private final List<Published> published = new ArrayList<>();
    private final List<ActorRef<Client.Command>> clients = new ArrayList<>();
    private String gaveUp;

    private AggregatorHarness(ActorTestKit testKit, Strategy strategy, float[] initial) {
        if (initial.length < 1) {
            throw new IllegalArgumentException("the initial model needs at least one parameter");
        }
        this.testKit = testKit;
        this.strategy = strategy;
        this.initial = initial.clone();
        this.codec = new DenseFloat32Codec(initial.length, FINGERPRINT);
    }

    /** A harness for {@code strategy} from the model {@code initial}, spawning into {@code testKit}'s system. */
    public static AggregatorHarness of(ActorTestKit testKit, Strategy strategy, float[] initial) {
        return new AggregatorHarness(testKit, strategy, initial);
    }

    /** Adds a client (ids 0, 1, ... in the order added). */
    public AggregatorHarness client(FakeClient.Script script) {
        checkNotStarted();
        scripts.add(script);
        return this;
    }

    /** Adds {@code n} clients following the same script. */
    public AggregatorHarness clients(int n, FakeClient.Script script) {
        for (int i = 0; i < n; i++) {
            client(script);
        }
        return this;
    }

    /** Stop giving out work after this many versions (default 0: no cap). */
    public AggregatorHarness maxVersions(long n) {
        checkNotStarted();
        this.maxVersions = n;
        return this;
    }

    /** The most samples a client may claim (default 1,000,000); claims above are rejected. */
    public AggregatorHarness maxSamples(long n) {
        checkNotStarted();
        this.maxSamples = n;
        return this;
    }

    /** Real time instead of the virtual clock (delays then take that long). */
    public AggregatorHarness realTime() {
        checkNotStarted();
        this.virtual = false;
        return this;
    }

    /** How long {@link #awaitVersion} waits, in wall time (default {@link #DEFAULT_WAIT}). */
    public AggregatorHarness waitingAtMost(Duration wait) {
        this.wait = wait;
        return this;
    }

    /** Spawns the clock, the aggregator and the clients, registers them and starts. */
    public AggregatorHarness start() {
        checkNotStarted();
        events = testKit.createTestProbe();
        ActorRef<VirtualClock.Command> clock = null;
        if (virtual) {
            AtomicLong now = new AtomicLong();
            TestProbe<VirtualClock.Quiescent> quiet = testKit.createTestProbe();
            clock = testKit.spawn(VirtualClock.create(now, quiet.getRef(), Duration.ZERO));
            clocks = new VirtualClockService(clock, now);
        } else {
            clocks = new RealTimeClockService(1.0);
        }
        FederatedServer server = new FederatedServer(strategy, initial, new FederatedServer.Codecs(codec, spec -> {
            throw new IllegalArgumentException("the harness sends dense models only, not " + spec);
        }, codec, UplinkPayload.MODEL), SampleBound.atMost(maxSamples), 1, false);
        ActorRef<AggregatorEvent> listener = testKit.spawn(listener(clocks, events.getRef()));
        aggregator = testKit.spawn(Aggregator.create(server, new AggregatorSettings(maxVersions), listener, clocks));
        for (int i = 0; i < scripts.size(); i++) {
            clients.add(testKit.spawn(FakeClient.behavior(i, scripts.get(i), codec, clocks)));
        }
        ActorRef<VirtualClock.Command> virtualClock = clock;
        List<ActorRef<Client.Command>> all = List.copyOf(clients);
        ClockService c = clocks;
        testKit.spawn(Behaviors.<Void>setup(ctx -> {
            Clock own = c.forActor(ctx);
            for (int i = 0; i < all.size(); i++) {
                own.send(aggregator, new Aggregator.RegisterClient(i, all.get(i)), 0);
            }
            own.send(aggregator, new Aggregator.Start(), 0);
            if (virtualClock != null) {
                virtualClock.tell(new VirtualClock.Resume());
            }
            return Behaviors.empty();
        }));
        return this;
    }

    /** An event with the clock time it arrived at (the listener holds virtual time until it is stamped). */
    private record Stamped(AggregatorEvent event, long atMicros) implements NoSerializationVerificationNeeded {
    }

    private static Behavior<AggregatorEvent> listener(ClockService clocks, ActorRef<Stamped> probe) {
        return Behaviors.setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            return Behaviors.receiveMessage(e -> {
                probe.tell(new Stamped(e, clock.nowMicros()));
                clock.handled();
                return Behaviors.same();
            });
        });
    }

    /**
     * Waits until version {@code version} is published and returns it.
     *
     * @throws AssertionError if the aggregator gives up, or the version does not come within the wait
     */
    public Published awaitVersion(long version) {
        checkStarted();
        while (published.isEmpty() || published.get(published.size() - 1).version() < version) {
            if (gaveUp != null) {
                throw new AssertionError("the aggregator gave up before version " + version + ": " + gaveUp);
            }
            Stamped e;
            try {
                e = events.receiveMessage(wait);
            } catch (AssertionError timeout) {
                throw new AssertionError("no version " + version + " within " + wait + "; last published: "
                        + (published.isEmpty() ? "none" : published.get(published.size() - 1).version()), timeout);
            }
            record(e);
        }
        return published.stream().filter(p -> p.version() == version).findFirst()
                .orElseThrow(() -> new AssertionError("version " + version + " was skipped"));
    }

    /** Waits for the aggregator to give up (e.g. every client dropped out) and returns its reason. */
    public String awaitGiveUp() {
        checkStarted();
        while (gaveUp == null) {
            record(events.receiveMessage(wait));
        }
        return gaveUp;
    }

    private void record(Stamped s) {
        if (s.event() instanceof AggregatorGaveUp g) {
            gaveUp = g.reason();
        } else if (s.event() instanceof ModelPublished m) {
            published.add(new Published(m.version(), codec.decode(m.model()), m.stats(), m.metrics(), m.last(),
                    s.atMicros()));
        }
    }

    /** Every version seen by {@link #awaitVersion} so far, in order. */
    public List<Published> published() {
        return List.copyOf(published);
    }

    /** Stops the aggregator giving work and returns its totals (every byte sent, updates per client). */
    public Aggregator.Totals stop() {
        checkStarted();
        TestProbe<Aggregator.Totals> totals = testKit.createTestProbe();
        aggregator.tell(new Aggregator.Stop(totals.getRef()));
        return totals.receiveMessage(wait);
    }

    /** The aggregator, for messages a test sends itself. */
    public ActorRef<Aggregator.Command> aggregator() {
        checkStarted();
        return aggregator;
    }

    /** Client {@code id}'s actor (e.g. to stop it: a dropout). */
    public ActorRef<Client.Command> clientRef(int id) {
        checkStarted();
        return clients.get(id);
    }

    /** The codec models travel in (dense float32 of the initial model's length). */
    public WireCodec codec() {
        return codec;
    }

    private void checkNotStarted() {
        if (aggregator != null) {
            throw new IllegalStateException("the harness has started: configure it before start()");
        }
    }

    private void checkStarted() {
        if (aggregator == null) {
            throw new IllegalStateException("start() the harness first");
        }
    }
}
