package io.fedprune.examples.cli;

import io.fedprune.actors.client.Client;
import io.fedprune.actors.client.ClientSetup;
import io.fedprune.actors.clock.RealTimeClockService;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.IidPartitioner;
import io.fedprune.core.data.Shard;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.system.DeviceFleet;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.system.FleetSpec;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.train.TrainerPool;
import io.fedprune.serialization.FedpruneConfig;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * How many clients one JVM holds: spawns N real {@link Client} actors (each with its shard of
 * indices into one shared dataset, its device profile and its clock) in a fresh ActorSystem,
 * measures the heap after GC, and doubles N until the heap would no longer fit the next step.
 * Run it with the heap you care about, e.g. {@code FEDPRUNE_JAVA_OPTS=-Xmx1g ./fedprune capacity}.
 */
@Command(name = "capacity", mixinStandardHelpOptions = true,
        description = "Measure heap per client actor and how many clients fit in this JVM's heap.")
public final class CapacityCommand implements Callable<Integer> {

    @Option(names = "--samples", description = "samples in the shared dataset (default ${DEFAULT-VALUE}, Fashion-MNIST's train size)")
    int samples = 60_000;

    @Option(names = "--start", description = "first client count (default ${DEFAULT-VALUE})")
    int start = 1_000;

    @Option(names = "--max", description = "stop doubling here (default ${DEFAULT-VALUE})")
    int max = 4_000_000;

    @Override
    public Integer call() throws Exception {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long heapMax = Runtime.getRuntime().maxMemory();
        Dataset data = SyntheticDataset.gaussianClusters(samples, 10, 1, 28, 28, 0.3, 1);
        ModelSpec spec = new ModelSpec(ModelArchitecture.MLP, 1, 28, 28, 10);
        try (TrainerPool pool = new TrainerPool(spec, OptimizerSpec.sgd(0.05), 1, 1)) {
            ClientSetup setup = new ClientSetup(data, pool, new DenseFloat32Codec(pool.layout().totalLength(),
                    pool.layout().fingerprint()), new LocalTrainingConfig(1, 0, 64), new RealTimeClockService(0));
            long base = usedAfterGc(memory);
            System.out.printf("capacity: heap max %.0f MB, baseline used %.1f MB (dataset %d samples, 2 trainer "
                    + "networks), clients share one dataset%n", heapMax / 1e6, base / 1e6, samples);
            int fitted = 0;
            double perClient = Double.NaN;
            for (int n = start; n <= max; n *= 2) {
                if (!Double.isNaN(perClient) && base + perClient * n > 0.9 * heapMax) {
                    System.out.printf("capacity: %,d clients would need ~%.0f MB (> 90%% of heap); stopping%n", n,
                            (base + perClient * n) / 1e6);
                    break;
                }
                long used = spawnAndMeasure(n, data, setup, memory);
                perClient = (double) (used - base) / n;
                fitted = n;
                System.out.printf("capacity: %,d clients spawned: heap used %.1f MB, %.0f bytes per client%n", n,
                        used / 1e6, perClient);
            }
            long projected = (long) ((0.9 * heapMax - base) / perClient);
            System.out.printf("capacity: measured up to %,d clients; at %.0f bytes/client this heap holds about %,d "
                    + "clients (90%% of %.0f MB)%n", fitted, perClient, projected, heapMax / 1e6);
        }
        return 0;
    }

    private static long spawnAndMeasure(int n, Dataset data, ClientSetup setup, MemoryMXBean memory)
            throws Exception {
        List<Shard> shards = new IidPartitioner().partition(data.labels(), data.numClasses(),
                Math.min(n, data.size()), 1);
        List<DeviceProfile> devices = DeviceFleet.generate(FleetSpec.fixed(1e9, 2e6, 1e7, 5e7).withSigmas(1, 1),
                Math.min(n, 100_000), 1);
        CompletableFuture<Void> spawned = new CompletableFuture<>();
        Behavior<Void> guardian = Behaviors.setup(ctx -> {
            for (int i = 0; i < n; i++) {
                // more clients than samples: shards are reused, as views they cost only a reference
                ctx.spawn(Client.create(i, shards.get(i % shards.size()), devices.get(i % devices.size()), i, setup),
                        "client-" + i);
            }
            spawned.complete(null);
            return Behaviors.empty();
        });
        ActorSystem<Void> system = ActorSystem.create(guardian, "capacity", FedpruneConfig.local());
        try {
            spawned.get(10, TimeUnit.MINUTES);
            return usedAfterGc(memory);
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(60, TimeUnit.SECONDS);
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(Duration.ofMillis(200).toMillis());
        }
        return memory.getHeapMemoryUsage().getUsed();
    }
}
