package io.fedprune.actors.experiment;

import com.typesafe.config.Config;
import io.fedprune.core.compress.CodecChainSpec;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.data.Partitioner;
import io.fedprune.core.data.Partitioners;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.strategy.Algorithm;
import io.fedprune.core.strategy.Algorithms;
import io.fedprune.core.strategy.ConfiguredAlgorithm;
import io.fedprune.core.system.FleetSpec;
import io.fedprune.core.system.SpeedClass;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.model.OptimizerSpec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything an experiment is, read once from the {@code fedprune} config block and validated
 * before any work (defaults in the actors module's reference.conf). Messages name the key.
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
        ClockSettings clock) {

    /**
     * @param dataset    fashion-mnist, mnist, cifar10 or synthetic
     * @param dir        where the files are
     * @param trainLimit use only the first N training samples (0 = all); for quick runs
     * @param testLimit  evaluate on the first N test samples (0 = all)
     */
    public record DataSettings(String dataset, Path dir, Partitioner partitioner, int clients, int trainLimit,
                               int testLimit) {
    }

    /**
     * @param maxRounds       stop after this many global versions (0 = no cap)
     * @param maxVirtualTimeS stop when virtual time passes this (0 = no cap)
     * @param targetAccuracy  accuracy whose first crossing is reported (null = none)
     * @param stopAtTarget    also stop there
     */
    public record StopSettings(long maxRounds, double maxVirtualTimeS, Double targetAccuracy, boolean stopAtTarget) {
    }

    /** Evaluate every {@code every}-th version (and the last) on the test set. */
    /**
     * @param every     evaluate every N-th global version (and the last)
     * @param aggregate evaluate the server's aggregate rather than the broadcast clients receive
     *                  (they differ when the downlink is pruned or quantized)
     */
    public record EvalSettings(int every, int batchSize, boolean aggregate) {
    }

    /** Codec chain per direction; error feedback keeps a per-client residual of the uplink. */
    /**
     * @param payload       whether clients upload whole models (the paper) or updates
     * @param errorFeedback clients add back next time what the uplink codec dropped
     */
    public record CodecSettings(CodecChainSpec uplink, CodecChainSpec downlink, UplinkPayload payload,
                                boolean errorFeedback) {
    }

    /** virtual: discrete-event time from the device model; real: wall clock with latency scale. */
    public record ClockSettings(boolean virtual, double latencyScale) {
    }

    public static ExperimentSettings fromConfig(Config root) {
        ConfigReader c = new ConfigReader(AlgorithmDefaults.under(root), "fedprune");
        long seed = c.longAtLeast("seed", Long.MIN_VALUE);
        ConfiguredAlgorithm<?> algorithm = algorithm(c);

        String dataset = c.choice("data.dataset", List.of("fashion-mnist", "mnist", "cifar10", "synthetic"));
        int clients = c.intAtLeast("data.clients", 1);
        Partitioner partitioner = c.validated("data.partition", () -> Partitioners.parse(c.string("data.partition")));
        DataSettings data = new DataSettings(dataset, Path.of(c.string("data.dir")), partitioner, clients,
                c.intAtLeast("data.train-limit", 0), c.intAtLeast("data.test-limit", 0));

        ModelArchitecture model = c.validated("model.architecture",
                () -> ModelArchitecture.parse(c.string("model.architecture")));
        String opt = c.choice("train.optimizer", List.of("sgd", "momentum", "adam"));
        OptimizerSpec optimizer = c.validated("train.lr", () -> new OptimizerSpec(
                OptimizerSpec.Kind.valueOf(opt.toUpperCase()), c.positive("train.lr"),
                c.number("train.momentum", 0, 0.999999)));
        LocalTrainingConfig training = new LocalTrainingConfig(c.intAtLeast("train.local-epochs", 1),
                c.intAtLeast("train.max-steps", 0), c.intAtLeast("train.batch-size", 1));
        int workers = c.intAtLeast("train.workers", 0);
        if (workers == 0) {
            workers = Runtime.getRuntime().availableProcessors();
        }

        CodecSettings codec = new CodecSettings(
                c.validated("codec.uplink", () -> CodecChainSpec.parse(c.string("codec.uplink"))),
                c.validated("codec.downlink", () -> CodecChainSpec.parse(c.string("codec.downlink"))),
                c.validated("codec.uplink-payload", () -> UplinkPayload.parse(c.string("codec.uplink-payload"))),
                c.bool("codec.error-feedback"));
        FleetSpec devices = devices(c);

        StopSettings stop = new StopSettings(c.longAtLeast("stop.max-rounds", 0),
                c.number("stop.max-virtual-time-s", 0, 1e12),
                c.optionalNumber("stop.target-accuracy", 0, 1), c.bool("stop.stop-at-target"));
        if (stop.maxRounds() == 0 && stop.maxVirtualTimeS() == 0 && !(stop.stopAtTarget() && stop.targetAccuracy() != null)) {
            throw new SettingsException("fedprune.stop: set max-rounds, max-virtual-time-s or target-accuracy with "
                    + "stop-at-target, otherwise the run never ends");
        }
        EvalSettings eval = new EvalSettings(c.intAtLeast("eval.every", 1), c.intAtLeast("eval.batch-size", 1),
                c.choice("eval.model", List.of("broadcast", "aggregate")).equals("aggregate"));
        String clockMode = c.choice("clock.mode", List.of("virtual", "real"));
        ClockSettings clock = new ClockSettings(clockMode.equals("virtual"), c.number("clock.latency-scale", 0, 1e6));

        return new ExperimentSettings(c.string("name"), seed, algorithm, data, model, optimizer, training, workers,
                codec, devices, stop, eval, clock);
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
            ConfiguredAlgorithm<?> read = ConfiguredAlgorithm.read(a, c.block(a.name()));
            if (a == selected) {
                configured = read;
            }
        }
        return configured;
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
}
