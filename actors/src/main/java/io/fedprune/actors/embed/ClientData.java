package io.fedprune.actors.embed;

import io.fedprune.core.data.DataFormatException;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.FashionMnist;
import io.fedprune.core.data.IdxWriter;
import io.fedprune.core.data.Partitioners;
import io.fedprune.core.data.Shard;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * A client's own training data, held in its process: from a DL4J {@link DataSetIterator}, from
 * plain batches, from an MNIST-style folder, or from a {@link Dataset} already in memory. Features
 * are flattened channel-major (DL4J's NCHW), labels are class indices.
 *
 * @param dataset the samples (read-only by convention: the client trains on them in place)
 */
public record ClientData(Dataset dataset) {

    public ClientData {
        if (dataset == null) {
            throw new IllegalArgumentException("dataset is required");
        }
        if (dataset.size() == 0) {
            throw new IllegalArgumentException("client data '" + dataset.name() + "' holds no samples");
        }
    }

    /**
     * One batch of samples.
     *
     * @param features {@code labels.length} samples of {@code channels x height x width} values each,
     *                 one after the other, channel-major
     * @param labels   class indices
     */
    public record Batch(float[] features, int[] labels) {
    }

    public static ClientData of(Dataset dataset) {
        return new ClientData(dataset);
    }

    /**
     * The training split of an MNIST-style folder ({@code train-images-idx3-ubyte[.gz]} and
     * {@code train-labels-idx1-ubyte[.gz]}, 10 classes), as {@link #saveAsIdx} writes it.
     *
     * @throws io.fedprune.core.data.DataFileNotFoundException naming the folder and what is missing
     */
    public static ClientData idxFolder(Path dir) {
        return new ClientData(FashionMnist.load(dir, "train", dir.getFileName() == null ? "data" : dir.getFileName()
                .toString()));
    }

    /** Writes this data as an MNIST-style training split in {@code dir} (one-channel images only). */
    public void saveAsIdx(Path dir) {
        IdxWriter.write(dataset, dir, "train");
    }

    /**
     * Every batch of {@code iterator} (reset first if it can be), copied into memory. Features of
     * shape {@code [n, channels, height, width]} or {@code [n, channels * height * width]}; labels
     * one-hot {@code [n, numClasses]} (the class is the largest entry).
     *
     * @throws DataFormatException if a batch does not have the shape given
     */
    public static ClientData fromIterator(DataSetIterator iterator, int channels, int height, int width, String name) {
        if (iterator.resetSupported()) {
            iterator.reset();
        }
        List<Batch> batches = new ArrayList<>();
        int numClasses = -1;
        while (iterator.hasNext()) {
            DataSet ds = iterator.next();
            INDArray f = ds.getFeatures();
            INDArray l = ds.getLabels();
            int n = (int) f.size(0);
            long perSample = f.length() / Math.max(1, n);
            if (perSample != (long) channels * height * width) {
                throw new DataFormatException(name + ": a batch's samples have " + perSample + " values, expected "
                        + channels + " x " + height + " x " + width);
            }
            if (l.rank() != 2 || l.size(0) != n) {
                throw new DataFormatException(name + ": labels of shape " + java.util.Arrays.toString(l.shape())
                        + " for " + n + " samples, expected one-hot [n, classes]");
            }
            numClasses = (int) l.size(1);
            int[] labels = new int[n];
            INDArray argmax = l.argMax(1);
            for (int i = 0; i < n; i++) {
                labels[i] = argmax.getInt(i);
            }
            batches.add(new Batch(f.dup('c').data().asFloat(), labels));
        }
        if (numClasses < 1) {
            throw new DataFormatException(name + ": the iterator gave no samples");
        }
        return fromBatches(batches, channels, height, width, numClasses, name);
    }

    /**
     * Plain batches, concatenated in order.
     *
     * @throws DataFormatException if a batch's features do not match its labels and the shape
     */
    public static ClientData fromBatches(Iterable<Batch> batches, int channels, int height, int width, int numClasses,
                                         String name) {
        int perSample = channels * height * width;
        List<Batch> all = new ArrayList<>();
        long samples = 0;
        for (Batch b : batches) {
            if (b.features().length != (long) b.labels().length * perSample) {
                throw new DataFormatException(name + ": a batch of " + b.labels().length + " labels carries "
                        + b.features().length + " feature values, expected " + (long) b.labels().length * perSample);
            }
            all.add(b);
            samples += b.labels().length;
        }
        if (samples * perSample > Integer.MAX_VALUE - 8) {
            throw new DataFormatException(name + ": " + samples + " samples do not fit in one array");
        }
        float[] features = new float[(int) (samples * perSample)];
        int[] labels = new int[(int) samples];
        int at = 0;
        for (Batch b : all) {
            System.arraycopy(b.features(), 0, features, at * perSample, b.features().length);
            System.arraycopy(b.labels(), 0, labels, at, b.labels().length);
            at += b.labels().length;
        }
        try {
            return new ClientData(new Dataset(name, features, labels, numClasses, channels, height, width));
        } catch (IllegalArgumentException e) {
            throw new DataFormatException(e.getMessage());
        }
    }

    /**
     * Splits {@code all} among {@code clients} as an experiment would ({@code partition} as in
     * {@code fedprune.data.partition}: {@code iid}, {@code dirichlet(alpha)}, {@code shards(k)}),
     * seeded: the same seed gives the CLI's split of the same data.
     */
    public static List<ClientData> partition(Dataset all, String partition, int clients, long seed) {
        List<Shard> shards = Partitioners.parse(partition).partition(all.labels(), all.numClasses(), clients, seed);
        List<ClientData> out = new ArrayList<>(shards.size());
        for (Shard s : shards) {
            out.add(new ClientData(all.subset(s.indices(), all.name() + "-client-" + s.clientId())));
        }
        return out;
    }

    public int size() {
        return dataset.size();
    }
}
