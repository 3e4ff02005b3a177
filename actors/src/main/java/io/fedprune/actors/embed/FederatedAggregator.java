package io.fedprune.actors.embed;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.aggregator.AggregatorEvent;
import io.fedprune.actors.aggregator.AggregatorSettings;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.PoolValidation;
import io.fedprune.actors.journal.RunJournal;
import io.fedprune.actors.journal.ServerRecovery;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.server.FederatedServer;
import io.fedprune.core.server.SampleBound;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.train.TrainerPool;
import io.fedprune.serialization.ActorPaths;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Scheduler;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * A federated aggregator for a JVM service: the strategy named by the service's {@code fedprune}
 * configuration ({@code algorithm} and its block, {@code model.architecture}, {@code codec.*},
 * {@code seed}, {@code stop.max-rounds}), or a {@link Strategy} instance of its own, spawned into
 * any actor system with an {@link Enrollment} desk that clients find through the Receptionist.
 * It starts once {@link Builder#minClients} clients have joined and reports every version.
 *
 * <pre>{@code
 * try (FederatedAggregator agg = FederatedAggregator.builder(1, 28, 28, 10).evaluateOn(test).minClients(3)
 *         .onVersion(v -> log.info("version {}: {}", v.version(), v.accuracy())).build()) {
 *     agg.spawn(system);
 *     VersionReport last = agg.finished().toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>Threading: decoding, validation, aggregation and encoding run on the actor system's blocking
 * dispatcher, evaluation on a trainer pool this object owns; {@link Builder#onVersion} is called on
 * an actor's thread and must return quickly. Close it when done (stops its actors, frees the pool).
 */
public final class FederatedAggregator implements AutoCloseable {
    private final TrainerPool pool;
    private final FederatedServer server;
    private final AggregatorSettings settings;
    private final WireCodec codec;
    private final Builder b;
    private final ExperimentSettings s;
    private final CompletableFuture<VersionReport> finished = new CompletableFuture<>();
    private DeferredBuffer buffer; // a buffering strategy's store, spawned with the aggregator
    private ActorRef<ServiceHost.Command> host;
    private ActorRef<Aggregator.Command> aggregator;
    private ServerRecovery.Recovered recovered;
    private Scheduler scheduler;

    private FederatedAggregator(Builder b, ExperimentSettings s) {
        this.b = b;
        this.s = s;
        ModelSpec spec = new ModelSpec(s.model(), b.channels, b.height, b.width, b.classes);
        this.pool = new TrainerPool(spec, s.optimizer(), s.seed(), 1);
        try {
            this.codec = Experiment.codecFor(s.codec().downlink(), pool.layout());
            StrategyContext context = new StrategyContext(pool.layout(), s.seed(), b.expectedClients, spec, null,
                    b.validation == null ? null : new PoolValidation(pool, b.validation, s.eval().batchSize()),
                    size -> {
                        buffer = new DeferredBuffer(size);
                        return buffer;
                    });
            Strategy strategy;
            try {
                strategy = b.strategy != null ? b.strategy.apply(context) : s.algorithm().newStrategy(context);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("fedprune." + s.algorithm().name() + ": " + e.getMessage(), e);
            }
            FederatedServer.Codecs codecs = new FederatedServer.Codecs(codec,
                    chain -> Experiment.codecFor(chain, pool.layout()),
                    Experiment.codecFor(s.codec().uplink(), pool.layout()), s.codec().payload());
            this.server = new FederatedServer(strategy, pool.initialParameters(), codecs,
                    SampleBound.atMost(b.maxSamples > 0 ? b.maxSamples : defaultBound(s.training())),
                    s.seed() ^ 0x5DEECE66DL, !(codec instanceof DenseFloat32Codec), s.screening());
            this.settings = new AggregatorSettings(s.stop().maxRounds());
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    /** A bound on claimed samples: the steps' worth with max-steps, else a generous per-update cap. */
    private static long defaultBound(LocalTrainingConfig t) {
        return t.maxSteps() > 0 ? (long) t.maxSteps() * t.batchSize() : DEFAULT_MAX_SAMPLES * t.epochs();
    }

    /** Claimed samples per epoch above which an update is refused, unless {@link Builder#maxSamples} says otherwise. */
    public static final long DEFAULT_MAX_SAMPLES = 1_000_000;

    /**
     * An aggregator of a model for inputs of {@code channels x height x width} values and
     * {@code classes} classes (what the clients' data holds).
     */
    public static Builder builder(int channels, int height, int width, int classes) {
        return new Builder(channels, height, width, classes);
    }

    /** The actor name model traffic expects ({@code aggregator}: the cluster's large-message lane covers it). */
    public String name() {
        return ActorPaths.AGGREGATOR;
    }

    /**
     * Spawns the aggregator, its desk and its progress listener into {@code system}, under a
     * top-level actor named {@link #name()}. Call from a service thread, not an actor's.
     *
     * @return the aggregator actor
     */
    public synchronized ActorRef<Aggregator.Command> spawn(ActorSystem<?> system) {
        checkNotSpawned();
        if (b.persistenceId != null) {
            recovered = ServerRecovery.attach(system, server, b.persistenceId, b.fingerprint, b.journalDeadline);
        }
        ServiceHost.Spawned<ActorRef<Aggregator.Command>> spawned = ServiceHost.spawn(system, name(),
                ctx -> spawnUnder(ctx, "aggregator"));
        host = spawned.host();
        aggregator = spawned.role();
        scheduler = system.scheduler();
        return aggregator;
    }

    /** Spawns the aggregator, its desk and listener as children of {@code parent}'s actor (from its thread). */
    public synchronized ActorRef<Aggregator.Command> spawn(ActorContext<?> parent) {
        checkNotSpawned();
        if (b.persistenceId != null) {
            throw new IllegalStateException("a journaled aggregator reads its journal before it starts: spawn it "
                    + "with spawn(ActorSystem) from a service thread");
        }
        aggregator = spawnUnder(parent, name());
        scheduler = parent.getSystem().scheduler();
        return aggregator;
    }

    private ActorRef<Aggregator.Command> spawnUnder(ActorContext<?> parent, String aggregatorName) {
        ActorRef<Progress.Command> progress = parent.spawn(Progress.create(pool, codec, b.test, s.eval().batchSize(),
                s.stop().maxRounds(), b.evaluateEvery, b.onVersion, finished), aggregatorName + "-progress");
        ClockService clocks = b.clocks != null ? b.clocks : new RealTimeClockService(0);
        if (buffer != null) {
            buffer.spawnUnder(parent, aggregatorName + "-buffer");
        }
        ActorRef<Aggregator.Command> ref = parent.spawn(Aggregator.create(server, settings,
                forward(parent, progress), clocks), aggregatorName);
        progress.tell(new Progress.Watch(ref)); // a failed aggregator (or buffer) completes finished()
        parent.spawn(Enrollment.create(ref, b.minClients, b.allowed), aggregatorName + "-enrollment");
        return ref;
    }

    /** Events to the progress listener, through a small adapter actor of the parent. */
    private static ActorRef<AggregatorEvent> forward(ActorContext<?> parent, ActorRef<Progress.Command> progress) {
        return parent.spawnAnonymous(org.apache.pekko.actor.typed.javadsl.Behaviors.<AggregatorEvent>receiveMessage(e -> {
            progress.tell(new Progress.Event(e));
            return org.apache.pekko.actor.typed.javadsl.Behaviors.same();
        }));
    }

    private void checkNotSpawned() {
        if (aggregator != null) {
            throw new IllegalStateException("the aggregator is spawned already");
        }
    }

    /** Completes with the last version's report (the round cap, or the strategy finished); exceptionally if it gave up. */
    public CompletionStage<VersionReport> finished() {
        return finished;
    }

    /**
     * Stops handing out work and replies with the run's totals: bytes each way and by kind, accepted,
     * rejected and stale updates, dropouts, per-client counts (every byte sent, accepted or not).
     */
    public synchronized CompletionStage<Aggregator.Totals> stop(Duration timeout) {
        return AskPattern.ask(spawned(), Aggregator.Stop::new, timeout, scheduler);
    }

    /** The last published model: its version and its bytes as the downlink codec sent them. */
    public synchronized CompletionStage<Aggregator.ModelSnapshot> model(Duration timeout) {
        return AskPattern.ask(spawned(), Aggregator.GetModel::new, timeout, scheduler);
    }

    private ActorRef<Aggregator.Command> spawned() {
        if (aggregator == null) {
            throw new IllegalStateException("the aggregator is not spawned yet");
        }
        return aggregator;
    }

    /** What the journal gave back when it was spawned, or null without {@link Builder#journal}. */
    public synchronized ServerRecovery.Recovered recovered() {
        return recovered;
    }

    /** Stops the actors {@link #spawn(ActorSystem)} made (clients see the desk go) and frees the pool. */
    @Override
    public synchronized void close() {
        if (host != null) {
            host.tell(ServiceHost.Stop.INSTANCE);
        }
        if (recovered != null) {
            recovered.journal().tell(new RunJournal.Stop());
        }
        pool.close();
    }

    /** Builds a {@link FederatedAggregator}; everything but the model's input shape is optional. */
    public static final class Builder {
        private final int channels;
        private final int height;
        private final int width;
        private final int classes;
        private Config config;
        private Function<StrategyContext, Strategy> strategy;
        private Dataset test;
        private Dataset validation;
        private int minClients = 1;
        private AllowList allowed = AllowList.everyone();
        private int expectedClients;
        private long maxSamples;
        private Consumer<VersionReport> onVersion = v -> { };
        private ClockService clocks;
        private long evaluateEvery = 1;
        private String persistenceId;
        private String fingerprint;
        private Duration journalDeadline;

        private Builder(int channels, int height, int width, int classes) {
            if (channels < 1 || height < 1 || width < 1 || classes < 2) {
                throw new IllegalArgumentException("input " + channels + " x " + height + " x " + width + " with "
                        + classes + " classes: expected positive sizes and at least 2 classes");
            }
            this.channels = channels;
            this.height = height;
            this.width = width;
            this.classes = classes;
        }

        /** The service's configuration; its {@code fedprune} block is read and validated (default: {@code ConfigFactory.load()}). */
        public Builder config(Config config) {
            this.config = config;
            return this;
        }

        /** A strategy of the service's own instead of {@code fedprune.algorithm}, made for this run's model. */
        public Builder strategy(Function<StrategyContext, Strategy> strategy) {
            this.strategy = strategy;
            return this;
        }

        /** Scores every published version on {@code test} (reports carry NaN accuracy without it). */
        public Builder evaluateOn(Dataset test) {
            this.test = test;
            return this;
        }

        /**
         * Scores and reports every {@code n}-th version, the first and the last (default 1: every
         * version). A fast asynchronous strategy publishes versions quicker than a test set is scored.
         */
        public Builder evaluateEvery(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("evaluate every must be >= 1, got " + n);
            }
            this.evaluateEvery = n;
            return this;
        }

        /** Held-out data for strategies that steer by validation accuracy (PR-FL's recovery). */
        public Builder validateOn(Dataset validation) {
            this.validation = validation;
            return this;
        }

        /** Clients to wait for before the first version is handed out (default 1; later ones join as they come). */
        public Builder minClients(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("min clients must be >= 0, got " + n);
            }
            this.minClients = n;
            return this;
        }

        /** Who may join (default: everyone); others are refused, told so and logged. */
        public Builder allow(AllowList allowed) {
            this.allowed = allowed == null ? AllowList.everyone() : allowed;
            return this;
        }

        /** Clients the strategy plans for (PR-FL's initial densities; default: {@link #minClients}). */
        public Builder expectedClients(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("expected clients must be >= 1, got " + n);
            }
            this.expectedClients = n;
            return this;
        }

        /** Most samples a client may claim for one update (default: from {@code train.*}). */
        public Builder maxSamples(long n) {
            if (n < 1) {
                throw new IllegalArgumentException("max samples must be >= 1, got " + n);
            }
            this.maxSamples = n;
            return this;
        }

        /** Called with every version's report, on an actor's thread: must return quickly. */
        public Builder onVersion(Consumer<VersionReport> onVersion) {
            this.onVersion = onVersion == null ? v -> { } : onVersion;
            return this;
        }

        /** The clock (default: real time); tests pass a virtual one. */
        public Builder clock(ClockService clocks) {
            this.clocks = clocks;
            return this;
        }

        /**
         * Journals every input of the server before acting on it, under {@code persistenceId} in the
         * journal plugin of the actor system it is spawned into; an aggregator spawned on a journal
         * that already holds inputs carries on from them ({@link ServerRecovery}). A journal of another
         * {@code fingerprint} (the run's configuration digest) is refused.
         *
         * @param deadline for each read and write of the journal; a write not confirmed in time stops the aggregator
         */
        public Builder journal(String persistenceId, String fingerprint, Duration deadline) {
            if (persistenceId == null || persistenceId.isBlank() || fingerprint == null || deadline == null
                    || deadline.isNegative() || deadline.isZero()) {
                throw new IllegalArgumentException("journal: a persistence id, a fingerprint and a positive deadline "
                        + "are required");
            }
            this.persistenceId = persistenceId;
            this.fingerprint = fingerprint;
            this.journalDeadline = deadline;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first bad or unknown {@code fedprune} key, or
         *                                  a strategy setting that does not fit the model
         */
        public FederatedAggregator build() {
            if (expectedClients == 0) {
                expectedClients = Math.max(1, minClients);
            }
            Config c = config != null ? config : ConfigFactory.load();
            return new FederatedAggregator(this, Settings.read(c));
        }
    }
}
