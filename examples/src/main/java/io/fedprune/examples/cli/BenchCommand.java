package io.fedprune.examples.cli;

import com.typesafe.config.Config;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentRunner;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.Shard;
import io.fedprune.core.data.Shuffle;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.model.ModelFactory;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.serialization.FedpruneConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Training throughput inside a whole FL run (actors, virtual clock, parameter swapping, encoding,
 * aggregation, evaluation) divided by a plain DL4J loop on the same model, batch size and thread
 * count. Trials alternate plain / FL in one process so both see the same machine state; the
 * ratio of each pair and the median are reported.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Training throughput of an FL run relative to a plain DL4J loop (same model, batch, threads).")
public final class BenchCommand implements Callable<Integer>, FedpruneCli.UsesData {

    @Option(names = "--preset", description = "preset whose data, model and batch size are used (default ${DEFAULT-VALUE})")
    String preset = "fedavg-fmnist";

    @Option(names = "--rounds", description = "FedAvg rounds per FL trial (default ${DEFAULT-VALUE})")
    int rounds = 3;

    @Option(names = "--trials", description = "alternating plain/FL trial pairs (default ${DEFAULT-VALUE})")
    int trials = 3;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "extra overrides")
    List<String> overrides = new ArrayList<>();

    @Override
    public List<ExperimentSettings> experiments() {
        return List.of(settings());
    }

    private ExperimentSettings settings() {
        List<String> sets = new ArrayList<>(overrides);
        // one trainer so both sides use one core; all clients every round; evaluation on a token
        // test subset so the figure is about training; sync rounds so the sample count is exact
        sets.addAll(List.of("train.workers=1", "aggregator.fraction=1.0", "aggregator.round-deadline-s=0",
                "algorithm=fedavg", "stop.max-rounds=" + rounds, "eval.every=1000000", "data.test-limit=100"));
        Config config = ConfigLoader.load(preset, sets);
        ExperimentSettings s = ExperimentSettings.fromConfig(config);
        DataCheck.require(s);
        return s;
    }

    @Override
    public Integer call() {
        ExperimentSettings s = settings();
        try (Experiment e = Experiment.assemble(s)) {
            long flSamples = (long) rounds * s.training().epochs()
                    * e.shards().stream().mapToLong(Shard::size).sum();
            ModelSpec spec = e.pool().spec();
            MultiLayerNetwork plainNet = ModelFactory.build(spec, s.optimizer(), s.seed());
            List<DataSet> batches = plainBatches(e.train(), s.training().batchSize(), s.seed());
            long plainSamples = batches.stream().mapToLong(DataSet::numExamples).sum();
            double[] ratios = new double[trials];
            System.out.printf("bench: %s, model %s, batch %d, 1 trainer thread; FL trial = %d rounds x %d clients "
                    + "(%d samples), plain trial = 1 epoch (%d samples)%n", s.data().dataset(), spec.architecture(),
                    s.training().batchSize(), rounds, s.data().clients(), flSamples, plainSamples);
            plainLoop(plainNet, batches); // warm-up both paths
            ExperimentRunner.run(e, ProgressListener.NONE, FedpruneConfig.local());
            for (int t = 0; t < trials; t++) {
                double plain = plainSamples / plainLoop(plainNet, batches);
                long start = System.nanoTime();
                RunSummary r = ExperimentRunner.run(e, ProgressListener.NONE, FedpruneConfig.local());
                double fl = flSamples / ((System.nanoTime() - start) / 1e9);
                ratios[t] = fl / plain;
                System.out.printf("trial %d: plain %.0f samples/s, FL run %.0f samples/s (%d versions), ratio %.3f%n",
                        t + 1, plain, fl, r.rounds(), ratios[t]);
            }
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            System.out.printf("bench: FL/plain throughput ratio median %.3f (min %.3f, max %.3f) over %d trials%n",
                    sorted[sorted.length / 2], sorted[0], sorted[sorted.length - 1], trials);
            plainNet.close();
        }
        return 0;
    }

    /** The whole training set in shuffled minibatches, built once (a plain loop's iterator does this). */
    static List<DataSet> plainBatches(Dataset data, int batchSize, long seed) {
        int[] order = new int[data.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Shuffle.inPlace(order, new SplittableRandom(seed));
        int f = data.featureSize();
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int n = Math.min(batchSize, order.length - from);
            float[] x = new float[n * f];
            float[] y = new float[n * data.numClasses()];
            for (int i = 0; i < n; i++) {
                System.arraycopy(data.features(), order[from + i] * f, x, i * f, f);
                y[i * data.numClasses() + data.label(order[from + i])] = 1f;
            }
            out.add(new DataSet(Nd4j.create(x, new long[] {n, f}), Nd4j.create(y, new long[] {n, data.numClasses()})));
        }
        return out;
    }

    /** Seconds for one pass of plain {@code fit} over the batches. */
    static double plainLoop(MultiLayerNetwork net, List<DataSet> batches) {
        long start = System.nanoTime();
        for (DataSet b : batches) {
            net.fit(b);
        }
        return (System.nanoTime() - start) / 1e9;
    }
}
