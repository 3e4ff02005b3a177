package io.fedprune.actors.experiment;

import io.fedprune.core.aggregate.AggregationStrategy;
import io.fedprune.core.aggregate.FedAsync;
import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.compress.CodecChain;
import io.fedprune.core.compress.CodecChainSpec;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.UplinkEncoder;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.data.Cifar10BinaryReader;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.FashionMnist;
import io.fedprune.core.data.Shard;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.system.DeviceFleet;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.train.TrainerPool;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The parts of one run, assembled from settings: data (one shared train set, clients hold
 * index shards), device profiles, the trainer pool and the downlink codec ({@code codec}, what
 * the global model is sent as). Owns the pool.
 */
public record Experiment(ExperimentSettings settings, Dataset train, Dataset test, List<Shard> shards,
                         List<DeviceProfile> devices, TrainerPool pool, WireCodec codec) implements AutoCloseable {

    public static Experiment assemble(ExperimentSettings s) {
        Dataset train = limit(load(s, true), s.data().trainLimit());
        Dataset test = limit(load(s, false), s.data().testLimit());
        return assemble(s, train, test);
    }

    /** With datasets the caller already has (tests, sweeps that share one load). */
    public static Experiment assemble(ExperimentSettings s, Dataset train, Dataset test) {
        if (s.data().clients() > train.size()) {
            throw new SettingsException("fedprune.data.clients: " + s.data().clients() + " clients but only "
                    + train.size() + " training samples");
        }
        List<Shard> shards;
        try {
            shards = s.data().partitioner().partition(train.labels(), train.numClasses(), s.data().clients(), s.seed());
        } catch (IllegalArgumentException e) {
            // the split depends on the data, so it can only fail here; say which keys to change
            throw new SettingsException("fedprune.data.partition = " + s.data().partitioner().describe()
                    + ", fedprune.data.clients = " + s.data().clients() + " on " + train.size() + " training samples"
                    + (s.data().trainLimit() > 0 ? " (fedprune.data.train-limit = " + s.data().trainLimit() + ")" : "")
                    + ": " + e.getMessage(), e);
        }
        List<DeviceProfile> devices = DeviceFleet.generate(s.devices(), s.data().clients(), s.seed() + 17);
        ModelSpec spec = new ModelSpec(s.model(), train.channels(), train.height(), train.width(), train.numClasses());
        TrainerPool pool = new TrainerPool(spec, s.optimizer(), s.seed(), s.workers());
        WireCodec codec = codecFor(s.codec().downlink(), pool.layout());
        return new Experiment(s, train, test, shards, devices, pool, codec);
    }

    /**
     * The codec for one direction. Plain "dense" is the header + float32 format; anything else a
     * {@link CodecChain}. Stateful stages (stochastic rounding) need one instance per user.
     */
    public static WireCodec codecFor(CodecChainSpec spec, ParameterLayout layout) {
        if (spec.canonical().equals("dense")) {
            return new DenseFloat32Codec(layout.totalLength(), layout.fingerprint());
        }
        return new CodecChain(spec, layout);
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
        CodecChainSpec spec = settings.codec().uplink();
        UplinkPayload payload = settings.codec().payload();
        boolean ef = settings.codec().errorFeedback();
        if (!spec.stochastic()) {
            return new UplinkEncoder(codecFor(spec, pool.layout()), payload, ef);
        }
        long clientSeed = spec.seed() * 1_000_003L + id;
        return new UplinkEncoder(task -> codecFor(spec.withSeed(clientSeed * 1_000_033L + task), pool.layout()),
                payload, ef);
    }

    public AggregationStrategy newStrategy() {
        return switch (settings.algorithm()) {
            case FEDAVG -> new FedAvg();
            case FEDASYNC -> new FedAsync(settings.asyncAlpha(), settings.staleness());
        };
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
