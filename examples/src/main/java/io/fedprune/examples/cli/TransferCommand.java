package io.fedprune.examples.cli;

import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.examples.transfer.TransferBench;
import io.fedprune.examples.transfer.TransferCase;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Model transfer across two cluster nodes as a ratio to raw Artery throughput of byte arrays of the
 * same serialized size, measured in one run ({@link TransferBench}).
 */
@Command(name = "bench-transfer", mixinStandardHelpOptions = true,
        description = "Model transfer between two cluster nodes (Artery TCP, loopback) relative to byte arrays of the same size.")
public final class TransferCommand implements Callable<Integer> {

    @Option(names = "--preset", description = "preset whose codecs, uplink payload, optimizer and seed are used (default ${DEFAULT-VALUE})")
    String preset = "fedavg-fmnist";

    @Option(names = "--models", split = ",", description = "architectures (default mlp,lenet)")
    List<String> models = List.of("mlp", "lenet");

    @Option(names = "--pairs", description = "measured rounds, each one trial of every kind (default ${DEFAULT-VALUE})")
    int pairs = 9;

    @Option(names = "--warmup", description = "rounds run first and discarded (default ${DEFAULT-VALUE})")
    int warmup = 3;

    @Option(names = "--trial-mb", description = "megabytes sent per trial (default ${DEFAULT-VALUE})")
    double trialMb = 64;

    @Option(names = "--window", description = "messages in flight before the first acknowledgement (default ${DEFAULT-VALUE})")
    int window = 8;

    @Option(names = "--in-jvm", description = "run the receiving node in this JVM instead of a child JVM")
    boolean inJvm;

    @Option(names = "--timeout-s", description = "deadline for the receiver to start and for each trial (default ${DEFAULT-VALUE})")
    int timeoutS = 120;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "preset overrides, e.g. codec.uplink=\"magnitude(0.5) > quantize(8) > sparse\"")
    List<String> overrides = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        ExperimentSettings s = ExperimentSettings.fromConfig(ConfigLoader.load(preset, overrides));
        List<ModelArchitecture> archs = new ArrayList<>();
        for (String m : models) {
            try {
                archs.add(ModelArchitecture.parse(m.trim()));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--models: " + e.getMessage());
            }
        }
        TransferBench.Options options;
        try {
            options = new TransferBench.Options(pairs, warmup, trialMb, window, inJvm, Duration.ofSeconds(timeoutS));
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
        TransferBench.Report report = new TransferBench(options, System.out)
                .run(replyTo -> TransferCase.of(s, archs, replyTo));
        System.out.printf("%nbench-transfer summary (receiver in a %s):%n", report.receiver());
        System.out.println("| case | message bytes | model MB/s | Kryo byte[] MB/s | plain byte[] MB/s "
                + "| model / Kryo byte[] (median) | model / plain byte[] (median) | intact |");
        for (TransferBench.CaseResult c : report.cases()) {
            System.out.printf("| %s | %d | %.1f | %.1f | %.1f | %.3f | %.3f | %s |%n", c.name(), c.serializedBytes(),
                    c.medianMbPerSecond(TransferBench.Kind.MODEL), c.medianMbPerSecond(TransferBench.Kind.KRYO_BYTES),
                    c.medianMbPerSecond(TransferBench.Kind.PLAIN_BYTES), c.medianModelToKryo(), c.medianModelToPlain(),
                    c.intact() ? "yes" : "NO");
        }
        return report.intact() ? FedpruneCli.OK : FedpruneCli.FAILURE;
    }
}
