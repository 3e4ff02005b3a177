package io.fedprune.actors.embed;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.client.ClientSetup;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.Shard;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.system.FleetSpec;
import io.fedprune.core.train.TrainerPool;
import io.fedprune.serialization.ActorPaths;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.IntStream;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;

/**
 * A federated client for a JVM service: its own data, a model and codecs from the service's
 * {@code fedprune} configuration block (the keys experiments use: {@code model.architecture},
 * {@code train.*}, {@code codec.*}, {@code seed}), trained on a small trainer pool it owns.
 * Spawned into any actor system, it finds aggregators through the Receptionist ({@link Enrollment})
 * and joins them; in a cluster, on any node.
 *
 * <pre>{@code
 * try (FederatedClient client = FederatedClient.builder(7, ClientData.idxFolder(Path.of("data"))).build()) {
 *     client.spawn(system);
 *     client.aggregatorGone().toCompletableFuture().join();
 * }
 * }</pre>
 *
 * <p>Threading: training runs on the pool's own threads, never on an actor's; the client actor
 * answers in real time by default ({@link Builder#latencyScale} emulates its device's latency).
 * Close it when done: that stops the actors it spawned and frees the pool's native memory.
 */
public final class FederatedClient implements AutoCloseable {
    private final int id;
    private final ClientData data;
    private final TrainerPool pool;
    private final ClientSetup setup;
    private final DeviceProfile device;
    private final long seed;
    private final CompletableFuture<Void> gone = new CompletableFuture<>();
    private final CompletableFuture<String> refused = new CompletableFuture<>();
    private ActorRef<ServiceHost.Command> host;
    private ActorRef<Client.Command> client;

    private FederatedClient(Builder b, ExperimentSettings s) {
        this.id = b.id;
        this.data = b.data;
        Dataset d = b.data.dataset();
        ModelSpec spec = new ModelSpec(s.model(), d.channels(), d.height(), d.width(), d.numClasses());
        this.pool = new TrainerPool(spec, s.optimizer(), s.seed(), b.workers);
        try {
            this.device = b.device != null ? b.device : meanDevice(b.id, s.devices());
            ClockService clocks = b.clocks != null ? b.clocks : new RealTimeClockService(b.latencyScale);
            this.setup = new ClientSetup(d, pool, Experiment.codecFor(s.codec().downlink(), pool.layout()),
                    i -> Experiment.uplinkEncoder(s, pool.layout(), i), s.training(), clocks,
                    Experiment.fixedUploadBytes(s, pool.layout()));
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        this.seed = s.seed() * 7919 + b.id; // as the experiment driver seeds client id
    }

    private static DeviceProfile meanDevice(int id, FleetSpec fleet) {
        return new DeviceProfile(id, fleet.cpuHz(), fleet.cyclesPerSample(), fleet.uplinkBps(), fleet.downlinkBps());
    }

    /** A client with id {@code id} (unique among the aggregator's clients) training on {@code data}. */
    public static Builder builder(int id, ClientData data) {
        return new Builder(id, data);
    }

    public int id() {
        return id;
    }

    /** The client's behaviour, for a service that spawns it itself (then it joins no aggregator on its own). */
    public Behavior<Client.Command> behavior() {
        return Client.create(id, new Shard(id, IntStream.range(0, data.size()).toArray()), device, seed, setup);
    }

    /** The actor name model traffic expects ({@code client-<id>}: the cluster's large-message lane covers it). */
    public String name() {
        return ActorPaths.client(id);
    }

    /**
     * Spawns the client into {@code system} (under a top-level actor named {@link #name()}, which
     * the cluster profile's large-message lane covers), with its enrollment, which joins every
     * aggregator the Receptionist lists, now or later.
     *
     * @return the client actor
     * @throws IllegalStateException if this client was spawned already
     */
    public synchronized ActorRef<Client.Command> spawn(ActorSystem<?> system) {
        checkNotSpawned();
        ServiceHost.Spawned<ActorRef<Client.Command>> spawned = ServiceHost.spawn(system, name(),
                ctx -> spawnUnder(ctx, ActorPaths.EMBEDDED));
        host = spawned.host();
        client = spawned.role();
        return client;
    }

    /**
     * Spawns the client and its enrollment as children of {@code parent}'s actor; call from that
     * actor's thread. Model traffic across nodes needs the parent at a path the cluster profile's
     * large-message lane covers ({@code /user/fedprune}, see {@code ActorPaths}).
     */
    public synchronized ActorRef<Client.Command> spawn(ActorContext<?> parent) {
        checkNotSpawned();
        client = spawnUnder(parent, name());
        return client;
    }

    private ActorRef<Client.Command> spawnUnder(ActorContext<?> parent, String clientName) {
        ActorRef<Client.Command> ref = parent.spawn(behavior(), clientName);
        parent.spawn(ClientEnrollment.create(id, ref, gone, refused), clientName + "-enrollment");
        return ref;
    }

    private void checkNotSpawned() {
        if (client != null) {
            throw new IllegalStateException("client " + id + " is spawned already");
        }
    }

    /** Completes when every aggregator this client had joined has stopped (e.g. its run is over). */
    public CompletionStage<Void> aggregatorGone() {
        return gone;
    }

    /** Completes with the reason if an aggregator refused this client (its allow-list). */
    public CompletionStage<String> refused() {
        return refused;
    }

    /** Stops the actors {@link #spawn(ActorSystem)} made and frees the trainer pool. */
    @Override
    public synchronized void close() {
        if (host != null) {
            host.tell(ServiceHost.Stop.INSTANCE);
        }
        pool.close();
    }

    /** Builds a {@link FederatedClient}; every setting is optional except the id and data. */
    public static final class Builder {
        private final int id;
        private final ClientData data;
        private Config config;
        private DeviceProfile device;
        private double latencyScale;
        private int workers = 1;
        private ClockService clocks;

        private Builder(int id, ClientData data) {
            if (id < 0) {
                throw new IllegalArgumentException("client id must be >= 0, got " + id);
            }
            if (data == null) {
                throw new IllegalArgumentException("client data is required");
            }
            this.id = id;
            this.data = data;
        }

        /** The service's configuration; its {@code fedprune} block is read and validated (default: {@code ConfigFactory.load()}). */
        public Builder config(Config config) {
            this.config = config;
            return this;
        }

        /** The device whose latency {@link #latencyScale} emulates (default: the configured fleet's mean device). */
        public Builder device(DeviceProfile device) {
            this.device = device;
            return this;
        }

        /** Emulated device latency as a fraction of the device model's (default 0: none, the service's real speed). */
        public Builder latencyScale(double scale) {
            this.latencyScale = scale;
            return this;
        }

        /** Trainer threads (default 1). */
        public Builder workers(int workers) {
            if (workers < 1 || workers > ExperimentSettings.MAX_WORKERS) {
                throw new IllegalArgumentException("workers must be in [1, " + ExperimentSettings.MAX_WORKERS
                        + "], got " + workers);
            }
            this.workers = workers;
            return this;
        }

        /** The clock (default: real time); tests pass a virtual one. */
        public Builder clock(ClockService clocks) {
            this.clocks = clocks;
            return this;
        }

        /** @throws IllegalArgumentException naming the first bad or unknown {@code fedprune} key */
        public FederatedClient build() {
            Config c = config != null ? config : ConfigFactory.load();
            return new FederatedClient(this, Settings.read(c));
        }
    }
}
