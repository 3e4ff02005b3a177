package io.fedprune.actors.experiment;

import io.fedprune.actors.client.DeviceTests;
import io.fedprune.core.data.LabelMatchedSplit;
import io.fedprune.actors.link.ServerLink;
import io.fedprune.core.strategy.UpdateBuffers;
import io.fedprune.core.attack.Attack;
import io.fedprune.core.attack.Attackers;
import io.fedprune.core.compress.CodecChainSpec;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.UplinkEncoder;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.compress.WireCodecs;
import io.fedprune.core.server.FederatedServer;
import io.fedprune.core.split.CutPoint;
import io.fedprune.core.split.SplitFedSettings;
import io.fedprune.core.strategy.LocalWork;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;
import io.fedprune.core.strategy.Validation;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.train.TrainTask;
import io.fedprune.core.data.Cifar10BinaryReader;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.FashionMnist;
import io.fedprune.core.data.Shard;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.system.LinkRedraw;
import io.fedprune.core.system.NetworkSpec;
import io.fedprune.core.train.TrainerPool;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The parts of one run, assembled from settings: data (one shared train set, clients hold
 * index shards), device profiles, the trainer pool and the downlink codec ({@code codec}, what
 * the global model is sent as). Owns the pool.
 */
public record Experiment(ExperimentSettings settings, Dataset train, Dataset test, List<Shard> shards,
                         List<DeviceProfile> devices, TrainerPool pool, WireCodec codec, Dataset validation)
        implements AutoCloseable {

    public static Experiment assemble(ExperimentSettings s) {
        return assemble(s, trainingSet(s), testSet(s));
    }

    /** The run's whole training set (before validation is held out), limited as configured. */
    public static Dataset trainingSet(ExperimentSettings s) {
        return limit(load(s, true), s.data().trainLimit());
    }

    /** The run's test set, limited as configured. */
    public static Dataset testSet(ExperimentSettings s) {
        return limit(load(s, false), s.data().testLimit());
    }

    /** The validation data an experiment of these settings holds out of {@code allTrain}, or null for none. */
    public static Dataset validationSet(ExperimentSettings s, Dataset allTrain) {
        return HeldOut.split(allTrain, s.data().validationSamples(), s.seed()).validation();
    }

    /**
     * Client {@code id}'s shard of the run's training data, as an experiment of these settings
     * splits it (validation held out first, then the configured partition, seeded).
     */
    public static Dataset clientShard(ExperimentSettings s, Dataset allTrain, int id) {
        Dataset train = HeldOut.split(allTrain, s.data().validationSamples(), s.seed()).train();
        List<Shard> shards = shards(s, train);
        if (id < 0 || id >= shards.size()) {
            throw new SettingsException("client id " + id + ": the run splits its data among " + shards.size()
                    + " clients (fedprune.data.clients), ids 0.." + (shards.size() - 1));
        }
        return train.subset(shards.get(id).indices(), train.name() + "-client-" + id);
    }

    /** The clients' shards of {@code train} (validation already held out), as configured and seeded. */
    private static List<Shard> shards(ExperimentSettings s, Dataset train) {
        if (s.data().clients() > train.size()) {
            throw new SettingsException("fedprune.data.clients: " + s.data().clients() + " clients but only "
                    + train.size() + " training samples");
        }
        try {
            return s.data().partitioner().partition(train.labels(), train.numClasses(), s.data().clients(), s.seed());
        } catch (IllegalArgumentException e) {
            // the split depends on the data, so it can only fail here; say which keys to change
            throw new SettingsException("fedprune.data.partition = " + s.data().partitioner().describe()
                    + ", fedprune.data.clients = " + s.data().clients() + " on " + train.size() + " training samples"
                    + (s.data().trainLimit() > 0 ? " (fedprune.data.train-limit = " + s.data().trainLimit() + ")" : "")
                    + ": " + e.getMessage(), e);
        }
    }

    /** With datasets the caller already has (tests, sweeps that share one load). */
    public static Experiment assemble(ExperimentSettings s, Dataset allTrain, Dataset test) {
        HeldOut held = HeldOut.split(allTrain, s.data().validationSamples(), s.seed());
        Dataset train = held.train();
        List<Shard> shards = shards(s, train);
        ModelSpec spec = new ModelSpec(s.model(), train.channels(), train.height(), train.width(), train.numClasses());
        TrainerPool pool = new TrainerPool(spec, s.optimizer(), s.seed(), s.workers());
        // the fleet's generated devices, or PR-FL's explicit table (whose paper-mb unit needs the model's size)
        List<DeviceProfile> devices = s.network().devices(s.devices(), s.data().clients(), s.seed() + 17,
                denseModelBytes(pool.layout()));
        WireCodec codec = codecFor(s.codec().downlink(), pool.layout());
        Experiment experiment = new Experiment(s, train, test, shards, devices, pool, codec, held.validation());
        try {
            if (s.algorithm().settings() instanceof SplitFedSettings split) {
                checkCut(spec, split.cutLayer());
            }
            experiment.checkTiming();
            HeapEstimate.of(experiment).check(Runtime.getRuntime().maxMemory());
        } catch (SettingsException e) {
            experiment.close();
            throw e;
        }
        return experiment;
    }

    /** The cut layer must exist in the model the data implies: checked before any work. */
    private static void checkCut(ModelSpec spec, int cutLayer) {
        try {
            CutPoint.of(spec, cutLayer);
        } catch (IllegalArgumentException e) {
            throw new SettingsException("fedprune.splitfed.cut-layer: " + e.getMessage(), e);
        }
    }

    /** Longest local round (download + compute + upload of a dense model) any clock can represent, in seconds. */
    static final double MAX_ROUND_SECONDS = 1e9;

    /**
     * Every device's local round must be representable in clock time: a device so slow that its
     * round overflows the clock is a configuration error, not a hang or a crash mid-run.
     */
    private void checkTiming() {
        for (int i = 0; i < devices.size(); i++) {
            double seconds = denseRoundSeconds(i);
            if (!(seconds <= MAX_ROUND_SECONDS)) {
                throw new SettingsException(String.format("fedprune.devices: client %d would need %.3g s for one local "
                        + "round (download + compute + upload), more than the %.0g s a clock can represent; check "
                        + "devices.cpu-hz, devices.cycles-per-sample, the link rates and their sigmas", i, seconds,
                        MAX_ROUND_SECONDS));
            }
        }
    }

    /** Client {@code i}'s local round on the whole, densely encoded model: download + compute + upload seconds. */
    private double denseRoundSeconds(int i) {
        long denseBytes = 4L * pool.layout().totalLength() + 64;
        DeviceProfile d = devices.get(i);
        return d.downloadSeconds(denseBytes) + d.uploadSeconds(denseBytes) + computeSeconds(i);
    }

    /** Client {@code i}'s compute for the configured local work. */
    private double computeSeconds(int i) {
        LocalTrainingConfig t = settings.training();
        return devices.get(i).computeSeconds(TrainTask.plannedSamples(shards.get(i).size(), t.epochs(), t.maxSteps(),
                t.batchSize()));
    }

    /**
     * Each client's own test split (eval.device-test-samples test samples drawn, seeded, with the
     * label distribution of its shard), or null when the run measures none.
     */
    public DeviceTests deviceTests() {
        int size = settings.eval().deviceTestSamples();
        if (size == 0) {
            return null;
        }
        if (size > test.size()) {
            throw new SettingsException("fedprune.eval.device-test-samples = " + size + " but the test set has "
                    + test.size() + " samples");
        }
        List<int[]> splits = new java.util.ArrayList<>(shards.size());
        for (int i = 0; i < shards.size(); i++) {
            int[] idx = shards.get(i).indices();
            int[] labels = new int[idx.length];
            for (int k = 0; k < idx.length; k++) {
                labels[k] = train.label(idx[k]);
            }
            splits.add(LabelMatchedSplit.draw(test, labels, size, settings.seed() * 1_000_033L + i));
        }
        return new DeviceTests(test, splits, settings.eval().batchSize());
    }

    /** The shared server link's capacities, or null when the server side is not modelled. */
    public ServerLink.Capacity serverLinkCapacity() {
        NetworkSpec n = settings.network();
        if (!n.server().shared()) {
            return null;
        }
        long bytes = denseModelBytes(pool.layout());
        return new ServerLink.Capacity(n.serverUploadBytesPerSecond(bytes), n.serverDownloadBytesPerSecond(bytes),
                n.serverRedraw(settings.seed()));
    }

    /** The dense model's size, 4 bytes per parameter: what {@code paper-mb} link speeds are scaled by. */
    public static long denseModelBytes(ParameterLayout layout) {
        return 4L * layout.totalLength();
    }

    /** The codec for one direction (see {@link WireCodecs#forSpec}). */
    public static WireCodec codecFor(CodecChainSpec spec, ParameterLayout layout) {
        return WireCodecs.forSpec(spec, layout);
    }

    /**
     * The size of every upload if the uplink format's size does not depend on the values (no
     * pruning, sparse format or deflate), else -1 (see {@link io.fedprune.actors.client.ClientSetup}).
     */
    public long fixedUploadBytes() {
        return fixedUploadBytes(settings, pool.layout());
    }

    /** {@link #fixedUploadBytes()} for any run of these settings on a model of this layout. */
    public static long fixedUploadBytes(ExperimentSettings settings, ParameterLayout layout) {
        CodecChainSpec spec = settings.codec().uplink();
        if (spec.hasMagnitude() || spec.sparse() || spec.deflate()) {
            return -1;
        }
        return codecFor(spec, layout).encode(new float[layout.totalLength()]).length;
    }

    /** What the aggregator decodes uplink payloads with. */
    public WireCodec uplinkDecoder() {
        return codecFor(settings.codec().uplink(), pool.layout());
    }

    /**
     * Client {@code id}'s own uplink: payload, codec and, if configured, its error-feedback
     * residual. A stochastic chain is seeded per client and task, so the bytes do not depend on
     * which trainer thread encodes first.
     */
    public UplinkEncoder uplinkEncoder(int id) {
        return uplinkEncoder(settings, pool.layout(), id);
    }

    /**
     * {@link #uplinkEncoder(int)} for any run of these settings on a model of this layout. A client
     * the {@code attack} setting makes malicious gets an uplink that forges every upload, seeded by
     * client and task; every other client's is the honest one, untouched.
     */
    public static UplinkEncoder uplinkEncoder(ExperimentSettings settings, ParameterLayout layout, int id) {
        UplinkEncoder honest = honestUplink(settings, layout, id);
        Attackers attackers = settings.attackers();
        if (!attackers.attacks(id, settings.data().clients(), attackerSeed(settings))) {
            return honest;
        }
        Attack attack = attackers.attack();
        long clientSeed = LinkRedraw.mix(attackerSeed(settings), id);
        return honest.forging((task, start, trained) -> attack.forge(start, trained, LinkRedraw.mix(clientSeed, task)));
    }

    /**
     * The seed of the choice of attacking clients (and of their forgeries): the run's, mixed apart
     * from its other uses.
     */
    public static long attackerSeed(ExperimentSettings settings) {
        return LinkRedraw.mix(settings.seed(), 0xA77AC4L);
    }

    /** The ids of the clients the {@code attack} setting makes malicious, ascending (empty for an honest run). */
    public static int[] attackerIds(ExperimentSettings settings) {
        return settings.attackers().chosen(settings.data().clients(), attackerSeed(settings));
    }

    private static UplinkEncoder honestUplink(ExperimentSettings settings, ParameterLayout layout, int id) {
        CodecChainSpec spec = settings.codec().uplink();
        UplinkPayload payload = settings.codec().payload();
        boolean ef = settings.codec().errorFeedback();
        if (!spec.stochastic()) {
            return new UplinkEncoder(codecFor(spec, layout), payload, ef);
        }
        long clientSeed = spec.seed() * 1_000_003L + id;
        return new UplinkEncoder(task -> codecFor(spec.withSeed(clientSeed * 1_000_033L + task), layout),
                payload, ef);
    }

    /** A fresh strategy of the configured algorithm (strategies keep state: one per run), buffering in its own memory. */
    public Strategy newStrategy() {
        return newStrategy(null);
    }

    /** A fresh strategy whose update buffer, if it keeps one, comes from {@code buffers} (null: its own memory). */
    public Strategy newStrategy(UpdateBuffers buffers) {
        double[] roundSeconds = new double[shards.size()];
        double[] download = new double[shards.size()];
        double[] compute = new double[shards.size()];
        double[] uplink = new double[shards.size()];
        for (int i = 0; i < roundSeconds.length; i++) {
            roundSeconds[i] = denseRoundSeconds(i);
            download[i] = devices.get(i).downloadSeconds(4L * pool.layout().totalLength() + 64);
            compute[i] = computeSeconds(i);
            uplink[i] = devices.get(i).uplinkBps();
        }
        Validation v = validation == null ? null : new PoolValidation(pool, validation, settings.eval().batchSize());
        int batch = settings.training().batchSize();
        StrategyContext.ComputeTimes computeTimes = (id, steps) -> devices.get(id).computeSeconds(
                TrainTask.plannedSamples(shards.get(id).size(), 0, steps, batch));
        StrategyContext context = new StrategyContext(pool.layout(), settings.seed(), shards.size(), pool.spec(),
                roundSeconds, v, buffers, new StrategyContext.DeviceTimes(download, compute, uplink), computeTimes);
        try {
            Strategy strategy = settings.algorithm().newStrategy(context);
            if (strategy.requiresModelUploads() && settings.codec().payload() != UplinkPayload.MODEL) {
                throw new SettingsException("fedprune.codec.uplink-payload: " + strategy.name() + " sends the "
                        + "client's pruned model itself; expected \"model\", got \"" + settings.codec().payload().id()
                        + "\"");
            }
            return strategy;
        } catch (IllegalArgumentException e) {
            // a combination its settings alone could not rule out (e.g. with the model): a configuration error
            throw new SettingsException("fedprune." + settings.algorithm().name() + ": " + e.getMessage(), e);
        }
    }

    /**
     * The server side of this run: the strategy, the initial model, the codecs and the sample
     * bound of each client (its shard and local work), seeded as the run.
     */
    public FederatedServer newServer() {
        return newServer(null);
    }

    /** As {@link #newServer()}, the strategy's update buffer (if it keeps one) from {@code buffers}. */
    public FederatedServer newServer(UpdateBuffers buffers) {
        if (settings.algorithm().settings() instanceof SplitFedSettings) {
            // its strategy averages client parts only; the aggregator would run it as plain FedAvg
            throw new SettingsException("fedprune.algorithm = splitfed runs in one JVM only (fedprune run / sweep, "
                    + "ExperimentRunner), not on an aggregator");
        }
        FederatedServer.Codecs codecs = new FederatedServer.Codecs(codec, spec -> codecFor(spec, pool.layout()),
                uplinkDecoder(), settings.codec().payload());
        return new FederatedServer(newStrategy(buffers), pool.initialParameters(), codecs, this::maxSamples,
                settings.seed() ^ 0x5DEECE66DL, !(codec instanceof DenseFloat32Codec), settings.screening());
    }

    /** The most samples client {@code id} processes in a local round of {@code work} (null: the configured one). */
    long maxSamples(int id, LocalWork work) {
        if (id < 0 || id >= shards.size()) {
            return 0;
        }
        LocalTrainingConfig t = settings.training();
        return TrainTask.plannedSamples(shards.get(id).size(), work == null ? t.epochs() : work.epochs(),
                work == null ? t.maxSteps() : work.maxSteps(), t.batchSize());
    }

    private static Dataset load(ExperimentSettings s, boolean trainSplit) {
        ExperimentSettings.DataSettings d = s.data();
        return switch (d.dataset()) {
            case "fashion-mnist" -> trainSplit ? FashionMnist.train(d.dir()) : FashionMnist.test(d.dir());
            case "mnist" -> trainSplit ? FashionMnist.mnistTrain(d.dir()) : FashionMnist.mnistTest(d.dir());
            case "cifar10" -> trainSplit ? Cifar10BinaryReader.train(d.dir()) : Cifar10BinaryReader.test(d.dir());
            // one problem (class means from the seed), independent train and test draws
            case "synthetic" -> SyntheticDataset.gaussianClusters(trainSplit ? 6000 : 1000, 10, 1, 28, 28, 0.3,
                    s.seed(), trainSplit ? s.seed() + 1 : s.seed() + 2);
            default -> throw new SettingsException("fedprune.data.dataset: unknown dataset " + d.dataset());
        };
    }

    private static Dataset limit(Dataset d, int limit) {
        if (limit <= 0 || limit >= d.size()) {
            return d;
        }
        return d.subset(IntStream.range(0, limit).toArray(), d.name());
    }

    @Override
    public void close() {
        pool.close();
    }
}
