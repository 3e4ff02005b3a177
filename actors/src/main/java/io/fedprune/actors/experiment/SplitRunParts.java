package io.fedprune.actors.experiment;

import io.fedprune.actors.split.FedServer;
import io.fedprune.actors.split.SplitClient;
import io.fedprune.core.compress.CodecChainSpec;
import io.fedprune.core.compress.CutLayerCodec;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.UniformQuantizer;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.split.ActivationDropout;
import io.fedprune.core.split.ClientParts;
import io.fedprune.core.split.ClientPruning;
import io.fedprune.core.split.ClientSide;
import io.fedprune.core.split.CutPoint;
import io.fedprune.core.split.ServerCopies;
import io.fedprune.core.split.ServerPart;
import io.fedprune.core.split.ServerSide;
import io.fedprune.core.split.ServerTraining;
import io.fedprune.core.split.SplitFedSettings;
import io.fedprune.core.split.SplitParameters;
import io.fedprune.core.split.SplitVariant;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;
import io.fedprune.core.system.DeviceProfile;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * What a SplitFed run is made of, from an assembled {@link Experiment} (its data, shards, devices
 * and initial model, so a split run and FedAvg on the same settings start from the same weights
 * on the same devices) and the {@code fedprune.splitfed} settings: the cut, the client parts'
 * networks (one per split thread), the server's training (V1 copies or V2 shared part), the
 * codecs of every message kind and the threads split passes run on. Owns the networks and threads.
 */
final class SplitRunParts implements AutoCloseable {
    final Experiment experiment;
    final SplitFedSettings split;
    final CutPoint cut;
    final SplitParameters start;
    final ClientParts clientParts;
    final ParameterLayout clientLayout;
    final ActivationDropout dropout;
    final ThreadPoolExecutor executor;
    private long serverFingerprint;

    SplitRunParts(Experiment experiment, SplitFedSettings split) {
        this.experiment = experiment;
        this.split = split;
        ExperimentSettings s = experiment.settings();
        try {
            this.cut = CutPoint.of(experiment.pool().spec(), split.cutLayer());
        } catch (IllegalArgumentException e) {
            throw new SettingsException("fedprune.splitfed.cut-layer: " + e.getMessage(), e);
        }
        this.clientParts = new ClientParts(cut, s.optimizer(), s.seed());
        this.clientLayout = clientParts.layout();
        // the unsplit initial model FedAvg starts from, cut in two
        this.start = SplitParameters.of(experiment.pool().initialParameters(), clientParts.parameterCount());
        this.dropout = new ActivationDropout(split.dropout(), s.seed());
        this.executor = (ThreadPoolExecutor) Executors.newFixedThreadPool(s.workers(), r -> {
            Thread t = new Thread(r, "fedprune-split");
            t.setDaemon(true);
            return t;
        });
    }

    /** The server's training, owning a new server-part network: V1 copies or the V2 shared part. */
    ServerTraining serverTraining() {
        ExperimentSettings s = experiment.settings();
        ServerPart part = new ServerPart(cut, s.optimizer(), s.seed());
        part.setParameters(start.server());
        serverFingerprint = part.layoutFingerprint();
        ServerSide side = new ServerSide(part, cut, dropout, cutLayerCodec(split.gradientBits(), s.seed() * 31 + 7));
        return split.variant() == SplitVariant.V1 ? new ServerCopies(side) : side;
    }

    /** The server's compute: the devices' cycles per sample (whole model) at the server's clock rate. */
    DeviceProfile serverProfile() {
        return new DeviceProfile(0, split.serverCpuHz(), experiment.settings().devices().cyclesPerSample(), 1e12, 1e12);
    }

    /** Client {@code id}'s side: its data, the dropout, its activation codec and its pruning. */
    ClientSide clientSide(int id) {
        long seed = experiment.settings().seed();
        ClientPruning pruning = split.clientPruneRate() > 0
                ? new ClientPruning(clientLayout, split.clientPruneRate(), split.pruneEvery()) : null;
        return new ClientSide(clientParts, start.client(), dropout,
                cutLayerCodec(split.activationBits(), seed * 1_000_003L + id), experiment.train(), id, pruning);
    }

    /** Client {@code id}'s client-part codecs: codec.downlink in, codec.uplink out (a stochastic chain seeded per client). */
    SplitClient.PartCodecs partCodecs(int id) {
        return new SplitClient.PartCodecs(partCodec(experiment.settings().codec().downlink(), id),
                partCodec(experiment.settings().codec().uplink(), id));
    }

    /** The fed server's: it decodes codec.uplink and sends codec.downlink. */
    FedServer.Codecs fedServerCodecs() {
        return new FedServer.Codecs(partCodec(experiment.settings().codec().uplink(), -1),
                partCodec(experiment.settings().codec().downlink(), -1));
    }

    /** A decoder of the averaged client part (what RoundEnded carries). */
    WireCodec clientPartDecoder() {
        return partCodec(experiment.settings().codec().downlink(), -2);
    }

    /** A decoder of the server part the split server hands out (dense float32), once {@link #serverTraining()} was made. */
    WireCodec serverPartDecoder() {
        return new DenseFloat32Codec(start.server().length, serverFingerprint);
    }

    /** The fed server's averaging of the client parts: the algorithm's strategy over the client part's layout. */
    Strategy clientPartStrategy() {
        ExperimentSettings s = experiment.settings();
        return s.algorithm().newStrategy(new StrategyContext(clientLayout, s.seed(), experiment.shards().size()));
    }

    private WireCodec partCodec(CodecChainSpec spec, int owner) {
        CodecChainSpec seeded = spec.stochastic() ? spec.withSeed(spec.seed() * 1_000_003L + owner) : spec;
        return Experiment.codecFor(seeded, clientLayout);
    }

    private static CutLayerCodec cutLayerCodec(int bits, long seed) {
        return bits == 32 ? CutLayerCodec.float32() : CutLayerCodec.quantized(UniformQuantizer.stochastic(bits, seed));
    }

    @Override
    public void close() {
        executor.shutdown();
        try {
            // a pass still running holds a network: close them only after it
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                return; // leave the networks to the JVM's exit rather than free them under a pass
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        clientParts.close();
    }
}
