package io.fedprune.core.train;

import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.Shuffle;
import io.fedprune.core.model.ModelFactory;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.ParameterLayout;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.deeplearning4j.nn.api.Updater;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.BaseMultiLayerUpdater;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/**
 * One reusable DL4J network that trains any client's task by swapping parameters in and out.
 * Building a network is ~10x dearer than resetting one and grows off-heap memory, so a pool
 * holds a few of these and clients hold none (STACK.md). Not thread-safe: one task at a time.
 */
public final class LocalTrainer implements AutoCloseable {
    private final MultiLayerNetwork net;
    private final ParameterLayout layout;
    private final int featureSize;
    private final int numClasses;
    // Batch arrays keyed by row count (full batch, short last batch, evaluation batch): a handful
    // of sizes per trainer, each allocated once.
    private final Map<Integer, INDArray> features = new HashMap<>();
    private final Map<Integer, INDArray> labels = new HashMap<>();
    private float[] hostBatch = new float[0];
    private float[] hostLabels = new float[0];

    public LocalTrainer(ModelSpec spec, OptimizerSpec optimizer, long seed) {
        this.net = ModelFactory.build(spec, optimizer, seed);
        this.layout = ParameterLayout.of(net);
        this.featureSize = spec.inputSize();
        this.numClasses = spec.numClasses();
    }

    public ParameterLayout layout() {
        return layout;
    }

    public int parameterCount() {
        return layout.totalLength();
    }

    /** The network's current parameters, copied out. */
    public float[] parameters() {
        float[] out = new float[layout.totalLength()];
        readParams(out);
        return out;
    }

    public TrainResult train(TrainTask task) {
        checkData(task.data());
        long start = System.nanoTime();
        writeParams(task.params());
        resetOptimizerState();
        int[] pruned = prunedIndices(task);
        zeroPruned(pruned);
        int[] order = task.indices().clone();
        SplittableRandom rng = new SplittableRandom(task.seed());
        int steps = task.plannedSteps();
        int perEpoch = task.batchesPerEpoch();
        double lossSum = 0;
        long samples = 0;
        for (int step = 0; step < steps; step++) {
            int inEpoch = step % perEpoch;
            if (inEpoch == 0) {
                Shuffle.inPlace(order, rng);
            }
            int from = inEpoch * task.batchSize();
            int size = Math.min(task.batchSize(), order.length - from);
            DataSet batch = fillBatch(task.data(), order, from, size);
            net.fit(batch);
            zeroPruned(pruned);
            lossSum += net.score();
            samples += size;
        }
        float[] out = new float[layout.totalLength()];
        readParams(out);
        return new TrainResult(out, samples, steps, steps == 0 ? Double.NaN : lossSum / steps, System.nanoTime() - start);
    }

    /**
     * Steps {@code fromStep .. toStep-1} of one stream of mini-batch steps over {@code indices}
     * (the order reshuffled at every pass, seeded by {@code seed} as {@link #train} does, so a round
     * cut into phases processes exactly the samples of the uncut one), starting from {@code params},
     * with the entries {@code held} restored to their start values after every step: they take part
     * in the forward pass but do not train (a frozen part, or pruned entries held at 0). The updaters
     * are elementwise, so the other entries train exactly as with the held ones' gradients masked.
     * Optimiser state starts fresh.
     */
    public TrainResult trainSteps(float[] params, Dataset data, int[] indices, int batchSize, long seed, int fromStep,
                                  int toStep, int[] held) {
        checkData(data);
        if (indices.length == 0 || batchSize < 1 || fromStep < 0 || toStep < fromStep) {
            throw new IllegalArgumentException("bad step range " + fromStep + ".." + toStep + " (batch " + batchSize
                    + ", " + indices.length + " samples)");
        }
        long start = System.nanoTime();
        writeParams(params);
        resetOptimizerState();
        float[] heldValues = new float[held.length];
        for (int i = 0; i < held.length; i++) {
            heldValues[i] = params[held[i]];
        }
        int[] order = indices.clone();
        SplittableRandom rng = new SplittableRandom(seed);
        int perEpoch = (indices.length + batchSize - 1) / batchSize;
        // the shuffles of the passes this phase continues, replayed: one per pass begun before fromStep
        int begun = fromStep / perEpoch + (fromStep % perEpoch == 0 ? 0 : 1);
        for (int e = 0; e < begun; e++) {
            Shuffle.inPlace(order, rng);
        }
        double lossSum = 0;
        long samples = 0;
        for (int step = fromStep; step < toStep; step++) {
            int inEpoch = step % perEpoch;
            if (inEpoch == 0) {
                Shuffle.inPlace(order, rng);
            }
            int from = inEpoch * batchSize;
            int size = Math.min(batchSize, order.length - from);
            net.fit(fillBatch(data, order, from, size));
            restore(held, heldValues);
            lossSum += net.score();
            samples += size;
        }
        float[] out = new float[layout.totalLength()];
        readParams(out);
        int steps = toStep - fromStep;
        return new TrainResult(out, samples, steps, steps == 0 ? Double.NaN : lossSum / steps, System.nanoTime() - start);
    }

    private void restore(int[] held, float[] values) {
        if (held.length == 0) {
            return;
        }
        INDArray flat = net.params();
        FloatBuffer fb = flat.data().asNioFloat();
        int base = (int) flat.offset();
        for (int i = 0; i < held.length; i++) {
            fb.put(base + held[i], values[i]);
        }
    }

    /** Indices the task's mask drops (ascending), empty without a mask. */
    private static int[] prunedIndices(TrainTask task) {
        if (task.mask() == null) {
            return new int[0];
        }
        int n = task.mask().size();
        int[] kept = task.mask().indices();
        int[] out = new int[n - kept.length];
        int k = 0;
        int j = 0;
        for (int i = 0; i < n; i++) {
            if (j < kept.length && kept[j] == i) {
                j++;
            } else {
                out[k++] = i;
            }
        }
        return out;
    }

    /**
     * Writes 0 into the pruned entries of the network's parameters. Done before training and after
     * every step, so the forward pass of each step sees the sub-model and whatever SGD, momentum or
     * Adam added to a pruned entry is discarded. The updaters are elementwise, so the kept entries
     * train exactly as with masked gradients; the optimiser state of pruned entries is simply unused.
     */
    private void zeroPruned(int[] pruned) {
        if (pruned.length == 0) {
            return;
        }
        INDArray flat = net.params();
        FloatBuffer fb = flat.data().asNioFloat();
        int base = (int) flat.offset();
        for (int i : pruned) {
            fb.put(base + i, 0f);
        }
    }

    /** Accuracy and loss of {@code params} on all of {@code data}, in batches of {@code batchSize}. */
    public EvalResult evaluate(float[] params, Dataset data, int batchSize) {
        if (batchSize < 1) {
            // 0 would loop forever on a pool thread
            throw new IllegalArgumentException("evaluation batchSize must be >= 1, got " + batchSize);
        }
        checkData(data);
        writeParams(params);
        int n = data.size();
        long correct = 0;
        double lossSum = 0;
        float[] p = new float[batchSize * numClasses];
        for (int from = 0; from < n; from += batchSize) {
            int size = Math.min(batchSize, n - from);
            INDArray x = buffer(features, size, featureSize);
            copyIn(x, data.features(), from * featureSize, size * featureSize);
            INDArray probs = net.output(x, false);
            FloatBuffer pb = probs.data().asNioFloat();
            pb.position((int) probs.offset());
            pb.get(p, 0, size * numClasses);
            for (int i = 0; i < size; i++) {
                int label = data.label(from + i);
                int row = i * numClasses;
                int best = 0;
                for (int c = 1; c < numClasses; c++) {
                    if (p[row + c] > p[row + best]) {
                        best = c;
                    }
                }
                if (best == label) {
                    correct++;
                }
                lossSum -= Math.log(Math.max(p[row + label], 1e-12f));
            }
        }
        return new EvalResult((double) correct / n, lossSum / n, n);
    }

    private void checkData(Dataset data) {
        if (data.featureSize() != featureSize || data.numClasses() != numClasses) {
            throw new IllegalArgumentException("dataset " + data.name() + " has " + data.featureSize() + " features and "
                    + data.numClasses() + " classes, the model expects " + featureSize + " and " + numClasses);
        }
    }

    private DataSet fillBatch(Dataset data, int[] order, int from, int size) {
        if (hostBatch.length < size * featureSize) {
            hostBatch = new float[size * featureSize];
            hostLabels = new float[size * numClasses];
        }
        float[] src = data.features();
        java.util.Arrays.fill(hostLabels, 0, size * numClasses, 0f);
        for (int i = 0; i < size; i++) {
            int sample = order[from + i];
            System.arraycopy(src, sample * featureSize, hostBatch, i * featureSize, featureSize);
            hostLabels[i * numClasses + data.label(sample)] = 1f;
        }
        INDArray x = buffer(features, size, featureSize);
        INDArray y = buffer(labels, size, numClasses);
        copyIn(x, hostBatch, 0, size * featureSize);
        copyIn(y, hostLabels, 0, size * numClasses);
        return new DataSet(x, y);
    }

    /** A [rows x cols] off-heap array reused across calls: allocating per batch costs more than the copy. */
    private static INDArray buffer(Map<Integer, INDArray> cache, int rows, int cols) {
        return cache.computeIfAbsent(rows, r -> Nd4j.create(DataType.FLOAT, r, cols));
    }

    private static void copyIn(INDArray target, float[] src, int offset, int length) {
        FloatBuffer fb = target.data().asNioFloat();
        fb.position((int) target.offset());
        fb.put(src, offset, length);
    }

    private void writeParams(float[] params) {
        if (params.length != layout.totalLength()) {
            throw new IllegalArgumentException("parameter vector has " + params.length + " values, the model has "
                    + layout.totalLength());
        }
        INDArray flat = net.params();
        FloatBuffer fb = flat.data().asNioFloat();
        fb.position((int) flat.offset());
        fb.put(params);
    }

    private void readParams(float[] out) {
        INDArray flat = net.params();
        FloatBuffer fb = flat.data().asNioFloat();
        fb.position((int) flat.offset());
        fb.get(out);
    }

    /** Every local round starts with fresh optimiser state, as a client that just received a model would. */
    private void resetOptimizerState() {
        Updater updater = net.getUpdater();
        if (updater instanceof BaseMultiLayerUpdater<?> u && u.getStateViewArray() != null) {
            u.getStateViewArray().assign(0);
        }
        net.getLayerWiseConfigurations().setIterationCount(0);
        net.getLayerWiseConfigurations().setEpochCount(0);
    }

    @Override
    public void close() {
        net.close();
    }
}
