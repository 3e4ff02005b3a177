package io.fedprune.actors.experiment;

import com.typesafe.config.Config;
import io.fedprune.actors.aggregator.AggregatorSettings;
import io.fedprune.core.attack.Attack;
import io.fedprune.core.attack.Attackers;
import io.fedprune.core.compress.CodecChainSpec;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.data.Partitioner;
import io.fedprune.core.data.Partitioners;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.strategy.Algorithm;
import io.fedprune.core.strategy.Algorithms;
import io.fedprune.core.strategy.ConfiguredAlgorithm;
import io.fedprune.core.system.ClientLink;
import io.fedprune.core.server.Screening;
import io.fedprune.core.system.FleetSpec;
import io.fedprune.core.system.NetworkSpec;
import io.fedprune.core.system.ServerLinkSpec;
import io.fedprune.core.system.SpeedUnit;
import io.fedprune.core.system.SpeedClass;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.model.OptimizerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything an experiment is, read once from the {@code fedprune} config block and validated
 * before any work (defaults in the actors module's reference.conf). Messages name the key.
 * The records check themselves too, so settings built in code get the same limits.
 */
public record ExperimentSettings(
        String name,
        long seed,
        ConfiguredAlgorithm<?> algorithm,
        DataSettings data,
        ModelArchitecture model,
        OptimizerSpec optimizer,
        LocalTrainingConfig training,
        int workers,
        CodecSettings codec,
        FleetSpec devices,
        StopSettings stop,
        EvalSettings eval,
        ClockSettings clock,
        NetworkSpec network,
        Screening screening,
        Attackers attackers) {

    /** Trainer networks / threads: each is a copy of the model and a thread. */
    public static final int MAX_WORKERS = 1024;

    public ExperimentSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank");
        }
        required(algorithm, "algorithm");
        required(data, "data");
        required(model, "model");
        required(optimizer, "optimizer");
        required(training, "training");
        if (workers < 1 || workers > MAX_WORKERS) {
            throw new IllegalArgumentException("workers must be in [1, " + MAX_WORKERS + "], got " + workers);
        }
        required(codec, "codec");
        required(devices, "devices");
        required(stop, "stop");
        required(eval, "eval");
        required(clock, "clock");
        required(network, "network");
        required(screening, "screening");
        required(attackers, "attackers");
        if (attackers.clients() > data.clients()) {
            throw new IllegalArgumentException("attack: " + attackers.clients() + " attacking clients but only "
                    + data.clients() + " clients");
        }
    }

    /** Every client honest ({@link Attackers#NONE}). */
    public ExperimentSettings(String name, long seed, ConfiguredAlgorithm<?> algorithm, DataSettings data,
                              ModelArchitecture model, OptimizerSpec optimizer, LocalTrainingConfig training,
                              int workers, CodecSettings codec, FleetSpec devices, StopSettings stop,
                              EvalSettings eval, ClockSettings clock, NetworkSpec network, Screening screening) {
        this(name, seed, algorithm, data, model, optimizer, training, workers, codec, devices, stop, eval, clock,
                network, screening, Attackers.NONE);
    }

    /** Without screening beyond validation ({@link Screening#NONE}). */
    public ExperimentSettings(String name, long seed, ConfiguredAlgorithm<?> algorithm, DataSettings data,
                              ModelArchitecture model, OptimizerSpec optimizer, LocalTrainingConfig training,
                              int workers, CodecSettings codec, FleetSpec devices, StopSettings stop,
                              EvalSettings eval, ClockSettings clock, NetworkSpec network) {
        this(name, seed, algorithm, data, model, optimizer, training, workers, codec, devices, stop, eval, clock,
                network, Screening.NONE);
    }

    /** Without PR-FL's network model ({@link NetworkSpec#NONE}). */
    public ExperimentSettings(String name, long seed, ConfiguredAlgorithm<?> algorithm, DataSettings data,
                              ModelArchitecture model, OptimizerSpec optimizer, LocalTrainingConfig training,
                              int workers, CodecSettings codec, FleetSpec devices, StopSettings stop,
                              EvalSettings eval, ClockSettings clock) {
        this(name, seed, algorithm, data, model, optimizer, training, workers, codec, devices, stop, eval, clock,
                NetworkSpec.NONE);
    }

    private static void required(Object value, String what) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is required");
        }
    }

    /**
     * @param dataset    fashion-mnist, mnist, cifar10 or synthetic
     * @param dir        where the files are
     * @param trainLimit use only the first N training samples (0 = all); for quick runs
     * @param testLimit  evaluate on the first N test samples (0 = all)
     * @param validationSamples training samples held out of the clients' shards, for strategies
     *                   that steer by validation accuracy (0 = none); a seeded random choice
     */
    public record DataSettings(String dataset, Path dir, Partitioner partitioner, int clients, int trainLimit,
                               int testLimit, int validationSamples) {
        public static final List<String> DATASETS = List.of("fashion-mnist", "mnist", "cifar10", "synthetic");
        /** Past what one JVM holds (`fedprune capacity`); a larger count is a typo. */
        public static final int MAX_CLIENTS = 10_000_000;

        public DataSettings {
            if (dataset == null || !DATASETS.contains(dataset)) {
                throw new IllegalArgumentException("dataset must be one of " + DATASETS + ", got " + dataset);
            }
            required(dir, "data directory");
            required(partitioner, "partitioner");
            if (clients < 1 || clients > MAX_CLIENTS) {
                throw new IllegalArgumentException("clients must be in [1, " + MAX_CLIENTS + "], got " + clients);
            }
            if (trainLimit < 0 || testLimit < 0) {
                throw new IllegalArgumentException("train and test limits must be >= 0 (0 = all), got " + trainLimit
                        + " and " + testLimit);
            }
            if (validationSamples < 0) {
                throw new IllegalArgumentException("validation samples must be >= 0 (0 = none), got "
                        + validationSamples);
            }
        }

        public DataSettings(String dataset, Path dir, Partitioner partitioner, int clients, int trainLimit,
                            int testLimit) {
            this(dataset, dir, partitioner, clients, trainLimit, testLimit, 0);
        }
    }

    /**
     * @param maxRounds       stop after this many global versions (0 = no cap), at most
     *                        {@link AggregatorSettings.MAX_VERSIONS}
     * @param maxVirtualTimeS stop when virtual time passes this (0 = no cap), at most
     *                        {@link #MAX_VIRTUAL_TIME_S}
     * @param targetAccuracy  accuracy whose first crossing is reported (null = none)
     * @param stopAtTarget    also stop there
     */
    public record StopSettings(long maxRounds, double maxVirtualTimeS, Double targetAccuracy, boolean stopAtTarget) {
        /** 10^12 s: any finite run is shorter, and in microseconds it still fits a long. */
        public static final double MAX_VIRTUAL_TIME_S = 1e12;

        public StopSettings {
            if (maxRounds < 0 || maxRounds > AggregatorSettings.MAX_VERSIONS) {
                throw new IllegalArgumentException("max rounds must be in [0, " + AggregatorSettings.MAX_VERSIONS
                        + "] (0 = no cap), got " + maxRounds);
            }
            if (!(maxVirtualTimeS >= 0 && maxVirtualTimeS <= MAX_VIRTUAL_TIME_S)) {
                throw new IllegalArgumentException("max virtual time must be in [0, " + MAX_VIRTUAL_TIME_S
                        + "] seconds (0 = no cap), got " + maxVirtualTimeS);
            }
            if (targetAccuracy != null && !(targetAccuracy >= 0 && targetAccuracy <= 1)) {
                throw new IllegalArgumentException("target accuracy must be in [0, 1] or null, got " + targetAccuracy);
            }
            if (maxRounds == 0 && maxVirtualTimeS == 0 && !(stopAtTarget && targetAccuracy != null)) {
                throw new IllegalArgumentException("set max-rounds, max-virtual-time-s or target-accuracy with "
                        + "stop-at-target, otherwise the run never ends");
            }
        }
    }

    /** Evaluate every {@code every}-th version (and the last) on the test set. */
    /**
     * @param every     evaluate every N-th global version (and the last)
     * @param aggregate evaluate the server's aggregate rather than the broadcast clients receive
     *                  (they differ when the downlink is pruned or quantized)
     * @param deviceTestSamples size of each client's own test split, drawn with its training label
     *                  distribution, on which LocalAlt rounds score the personalized model (0 = none)
     */
    public record EvalSettings(int every, int batchSize, boolean aggregate, int deviceTestSamples) {
        public static final int MAX_EVERY = 1_000_000_000;

        /** Without device test splits. */
        public EvalSettings(int every, int batchSize, boolean aggregate) {
            this(every, batchSize, aggregate, 0);
        }

        public EvalSettings {
            if (deviceTestSamples < 0) {
                throw new IllegalArgumentException("device test samples must be >= 0, got " + deviceTestSamples);
            }
            if (every < 1 || every > MAX_EVERY) {
                throw new IllegalArgumentException("evaluation interval must be in [1, " + MAX_EVERY + "], got "
                        + every);
            }
            if (batchSize < 1 || batchSize > LocalTrainingConfig.MAX_BATCH_SIZE) {
                throw new IllegalArgumentException("evaluation batch size must be in [1, "
                        + LocalTrainingConfig.MAX_BATCH_SIZE + "], got " + batchSize);
            }
        }
    }

    /** Codec chain per direction; error feedback keeps a per-client residual of the uplink. */
    /**
     * @param payload       whether clients upload whole models (the paper) or updates
     * @param errorFeedback clients add back next time what the uplink codec dropped
     */
    public record CodecSettings(CodecChainSpec uplink, CodecChainSpec downlink, UplinkPayload payload,
                                boolean errorFeedback) {
        public CodecSettings {
            required(uplink, "uplink codec chain");
            required(downlink, "downlink codec chain");
            required(payload, "uplink payload");
        }
    }

    /** virtual: discrete-event time from the device model; real: wall clock with latency scale. */
    public record ClockSettings(boolean virtual, double latencyScale) {
        public static final double MAX_LATENCY_SCALE = 1e6;

        public ClockSettings {
            if (!(latencyScale >= 0 && latencyScale <= MAX_LATENCY_SCALE)) {
                throw new IllegalArgumentException("latency scale must be in [0, " + MAX_LATENCY_SCALE + "], got "
                        + latencyScale);
            }
        }
    }

    /**
     * Reads and validates the {@code fedprune} block of a resolved config. Every key in it must be
     * declared in reference.conf ({@link ConfigKeys}); a {@link SettingsException} names the first
     * bad key.
     */
    public static ExperimentSettings fromConfig(Config root) {
        Config all = AlgorithmDefaults.under(root);
        ConfigKeys.check(all);
        ConfigReader c = new ConfigReader(all, "fedprune");
        long seed = c.longAtLeast("seed", Long.MIN_VALUE);
        ConfiguredAlgorithm<?> algorithm = algorithm(c);

        String dataset = c.choice("data.dataset", DataSettings.DATASETS);
        int clients = c.intIn("data.clients", 1, DataSettings.MAX_CLIENTS);
        Partitioner partitioner = c.validated("data.partition", () -> Partitioners.parse(c.string("data.partition")));
        Path dir = c.validated("data.dir", () -> Path.of(c.string("data.dir")));
        DataSettings data = c.validated("data", () -> new DataSettings(dataset, dir, partitioner, clients,
                c.intAtLeast("data.train-limit", 0), c.intAtLeast("data.test-limit", 0),
                c.intAtLeast("data.validation-samples", 0)));

        ModelArchitecture model = c.validated("model.architecture",
                () -> ModelArchitecture.parse(c.string("model.architecture")));
        String opt = c.choice("train.optimizer", List.of("sgd", "momentum", "adam"));
        OptimizerSpec optimizer = c.validated("train.lr", () -> new OptimizerSpec(
                OptimizerSpec.Kind.valueOf(opt.toUpperCase()), c.positive("train.lr"),
                c.number("train.momentum", 0, 0.999999)));
        LocalTrainingConfig training = c.validated("train", () -> new LocalTrainingConfig(
                c.intIn("train.local-epochs", 1, LocalTrainingConfig.MAX_EPOCHS),
                c.intIn("train.max-steps", 0, LocalTrainingConfig.MAX_STEPS),
                c.intIn("train.batch-size", 1, LocalTrainingConfig.MAX_BATCH_SIZE)));
        int workers = c.intIn("train.workers", 0, MAX_WORKERS);
        if (workers == 0) {
            workers = Math.min(Runtime.getRuntime().availableProcessors(), MAX_WORKERS);
        }

        CodecSettings codec = c.validated("codec", () -> new CodecSettings(
                c.validated("codec.uplink", () -> CodecChainSpec.parse(c.string("codec.uplink"))),
                c.validated("codec.downlink", () -> CodecChainSpec.parse(c.string("codec.downlink"))),
                c.validated("codec.uplink-payload", () -> UplinkPayload.parse(c.string("codec.uplink-payload"))),
                c.bool("codec.error-feedback")));
        FleetSpec devices = devices(c);
        NetworkSpec network = network(c, clients);

        // the record refuses a run that never ends, reported as fedprune.stop
        StopSettings stop = c.validated("stop", () -> new StopSettings(
                c.longIn("stop.max-rounds", 0, AggregatorSettings.MAX_VERSIONS),
                c.number("stop.max-virtual-time-s", 0, StopSettings.MAX_VIRTUAL_TIME_S),
                c.optionalNumber("stop.target-accuracy", 0, 1), c.bool("stop.stop-at-target")));
        EvalSettings eval = c.validated("eval", () -> new EvalSettings(c.intIn("eval.every", 1, EvalSettings.MAX_EVERY),
                c.intIn("eval.batch-size", 1, LocalTrainingConfig.MAX_BATCH_SIZE),
                c.choice("eval.model", List.of("broadcast", "aggregate")).equals("aggregate"),
                c.intAtLeast("eval.device-test-samples", 0)));
        String clockMode = c.choice("clock.mode", List.of("virtual", "real"));
        ClockSettings clock = c.validated("clock", () -> new ClockSettings(clockMode.equals("virtual"),
                c.number("clock.latency-scale", 0, ClockSettings.MAX_LATENCY_SCALE)));

        if (network.server().shared() && !clock.virtual()) {
            throw new SettingsException("fedprune.devices.server.shared: the shared server link is modelled in "
                    + "virtual time only; expected clock.mode = virtual (a real network shares its own links)");
        }
        int trainers = workers;
        Screening screening = c.validated("screen.max-update-norm", () -> new Screening(
                c.number("screen.max-update-norm", 0, Double.MAX_VALUE)));
        Attackers attackers = attackers(c, clients, algorithm, codec);
        return c.validated("", () -> new ExperimentSettings(c.string("name"), seed, algorithm, data, model, optimizer,
                training, trainers, codec, devices, stop, eval, clock, network, screening, attackers));
    }

    /**
     * {@code fedprune.algorithm} names an algorithm of the registry; its settings come from its own
     * block. Every algorithm's block is validated, selected or not, so a wrong value never waits
     * silently for the day its algorithm is chosen.
     */
    private static ConfiguredAlgorithm<?> algorithm(ConfigReader c) {
        Algorithm<?> selected = c.validated("algorithm", () -> Algorithms.named(c.string("algorithm").trim()));
        ConfiguredAlgorithm<?> configured = null;
        for (Algorithm<?> a : Algorithms.all()) {
            // a rule between keys of the block (its settings record refuses it) is named by the block
            ConfiguredAlgorithm<?> read = c.validated(a.name(), () -> ConfiguredAlgorithm.read(a, c.block(a.name())));
            if (a == selected) {
                configured = read;
            }
        }
        return configured;
    }

    /**
     * {@code attack}: how many clients forge their uploads, and how. Split learning's clients send
     * activations, not models, and a quantizing uplink refuses the NaN attack's values before they
     * leave the client, so those combinations are refused here rather than failing mid-run.
     */
    private static Attackers attackers(ConfigReader c, int clients, ConfiguredAlgorithm<?> algorithm,
                                       CodecSettings codec) {
        int count = c.intIn("attack.malicious-clients", 0, clients);
        String kind = c.choice("attack.kind", Attack.KINDS);
        Attack attack = c.validated("attack.factor", () -> Attack.of(kind,
                c.number("attack.factor", Double.MIN_VALUE, Float.MAX_VALUE)));
        if (count > 0 && algorithm.name().equals("splitfed")) {
            throw new SettingsException("fedprune.attack.malicious-clients: split learning's clients upload "
                    + "activations and client parts through their own path; attacks are for algorithms whose clients "
                    + "upload models");
        }
        if (count > 0 && attack instanceof Attack.NotANumber
                && codec.uplink().quantizer() != CodecChainSpec.Quantizer.NONE) {
            throw new SettingsException("fedprune.attack.kind: nan needs an uplink that carries NaN (dense or sparse "
                    + "float32); codec.uplink = " + codec.uplink().canonical() + " quantizes, which refuses it");
        }
        return new Attackers(count, attack);
    }

    private static FleetSpec devices(ConfigReader c) {
        FleetSpec base = c.validated("devices", () -> FleetSpec.fixed(c.positive("devices.cpu-hz"),
                c.positive("devices.cycles-per-sample"), c.positive("devices.uplink-mbps") * 1e6,
                c.positive("devices.downlink-mbps") * 1e6));
        FleetSpec spec = base.withSigmas(c.number("devices.compute-sigma", 0, 10), c.number("devices.link-sigma", 0, 10));
        List<SpeedClass> classes = new ArrayList<>();
        List<? extends Config> raw = c.configList("devices.speed-classes");
        for (int i = 0; i < raw.size(); i++) {
            ConfigReader k = ConfigReader.element(raw.get(i), "fedprune.devices.speed-classes[" + i + "]");
            classes.add(k.validated("share", () -> new SpeedClass(k.number("share", 0, 1), k.positive("compute-scale"),
                    k.positive("uplink-scale"), k.positive("downlink-scale"))));
        }
        if (!classes.isEmpty()) {
            FleetSpec unclassed = spec;
            spec = c.validated("devices.speed-classes", () -> unclassed.withSpeedClasses(classes));
        }
        if (c.choice("devices.link-model", List.of("fixed", "wireless")).equals("wireless")) {
            FleetSpec fixedLinks = spec;
            spec = c.validated("devices.wireless", () -> fixedLinks.withWireless(
                    c.positive("devices.wireless.bandwidth-hz"), c.positive("devices.wireless.tx-power-w"),
                    c.number("devices.wireless.noise-dbm-per-hz", -300, 0),
                    c.positive("devices.wireless.min-distance-m"), c.positive("devices.wireless.max-distance-m"),
                    c.positive("devices.wireless.downlink-to-uplink")));
        }
        return spec;
    }

    /**
     * PR-FL's network model: {@code devices.links} (one entry per client, or none),
     * {@code devices.speed-unit}, {@code devices.redraw-*} and {@code devices.server}.
     */
    private static NetworkSpec network(ConfigReader c, int clients) {
        SpeedUnit unit = c.parsed("devices.speed-unit", SpeedUnit::parse);
        List<ClientLink> table = new ArrayList<>();
        List<? extends Config> raw = c.configList("devices.links");
        for (int i = 0; i < raw.size(); i++) {
            ConfigReader k = ConfigReader.element(raw.get(i), "fedprune.devices.links[" + i + "]");
            table.add(new ClientLink(k.positive("download"), k.positive("upload"), k.positive("compute-scale")));
        }
        if (!table.isEmpty() && table.size() != clients) {
            throw new SettingsException("fedprune.devices.links: " + table.size() + " entries but data.clients = "
                    + clients + "; expected one entry per client (or none, for the generated fleet)");
        }
        ServerLinkSpec server = c.validated("devices.server", () -> new ServerLinkSpec(
                c.positive("devices.server.upload"), c.positive("devices.server.download"),
                c.number("devices.server.sigma", 0, 10), c.bool("devices.server.shared")));
        return c.validated("devices", () -> new NetworkSpec(unit, table, c.number("devices.redraw-sigma", 0, 10),
                c.integer("devices.redraw-draws", 1, 10_000), server));
    }
}
