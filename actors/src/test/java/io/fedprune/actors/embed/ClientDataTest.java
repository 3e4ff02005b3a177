package io.fedprune.actors.embed;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.data.DataFileNotFoundException;
import io.fedprune.core.data.DataFormatException;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.adapter.SingletonDataSetIterator;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;
import org.deeplearning4j.datasets.iterator.IteratorDataSetIterator;
import org.nd4j.linalg.factory.Nd4j;

/** A client's own data from every source the embedding API takes, checked against the samples put in. */
class ClientDataTest {

    /** Pixels k/255, as image files hold them, so an IDX round trip is exact. */
    static Dataset images(int n, long seed) {
        Dataset d = SyntheticDataset.gaussianClusters(n, 10, 1, 28, 28, 0.3, seed);
        float[] f = d.features().clone();
        for (int i = 0; i < f.length; i++) {
            f[i] = Math.round(Math.min(1, Math.max(0, f[i])) * 255) / 255f;
        }
        return new Dataset("images", f, d.labels(), 10, 1, 28, 28);
    }

    static List<DataSet> asBatches(Dataset d, int batch, boolean nchw) {
        List<DataSet> out = new ArrayList<>();
        for (int from = 0; from < d.size(); from += batch) {
            int n = Math.min(batch, d.size() - from);
            float[] f = Arrays.copyOfRange(d.features(), from * 784, (from + n) * 784);
            INDArray features = nchw ? Nd4j.create(f, new long[] {n, 1, 28, 28}, 'c') : Nd4j.create(f, new long[] {n, 784}, 'c');
            INDArray labels = Nd4j.zeros(n, 10);
            for (int i = 0; i < n; i++) {
                labels.putScalar(i, d.labels()[from + i], 1.0);
            }
            out.add(new DataSet(features, labels));
        }
        return out;
    }

    @Test
    void anIdxFolderRoundTripsBitForBit(@TempDir Path dir) {
        Dataset d = images(57, 3);
        ClientData.of(d).saveAsIdx(dir.resolve("client-0"));
        Dataset back = ClientData.idxFolder(dir.resolve("client-0")).dataset();
        assertArrayEquals(d.features(), back.features());
        assertArrayEquals(d.labels(), back.labels());
        assertThrows(DataFileNotFoundException.class, () -> ClientData.idxFolder(dir.resolve("missing")));
    }

    @Test
    void aDataSetIteratorGivesTheSamplesInOrderFlatOrNchw() {
        Dataset d = images(45, 4);
        for (boolean nchw : new boolean[] {false, true}) {
            DataSetIterator it = new IteratorDataSetIterator(asBatches(d, 16, nchw).iterator(), 16);
            Dataset got = ClientData.fromIterator(it, 1, 28, 28, "it").dataset();
            assertArrayEquals(d.features(), got.features(), "nchw " + nchw);
            assertArrayEquals(d.labels(), got.labels());
            assertEquals(10, got.numClasses());
        }
        DataSetIterator wrong = new SingletonDataSetIterator(asBatches(d, 45, false).get(0));
        DataFormatException e = assertThrows(DataFormatException.class,
                () -> ClientData.fromIterator(wrong, 3, 28, 28, "rgb?"));
        assertTrue(e.getMessage().contains("784 values"), e.getMessage());
    }

    @Test
    void plainBatchesAreCheckedAndConcatenated() {
        ClientData c = ClientData.fromBatches(List.of(new ClientData.Batch(new float[] {0.1f, 0.2f}, new int[] {1}),
                new ClientData.Batch(new float[] {0.3f, 0.4f, 0.5f, 0.6f}, new int[] {0, 1})), 1, 1, 2, 2, "plain");
        assertArrayEquals(new float[] {0.1f, 0.2f, 0.3f, 0.4f, 0.5f, 0.6f}, c.dataset().features());
        assertArrayEquals(new int[] {1, 0, 1}, c.dataset().labels());
        assertThrows(DataFormatException.class, () -> ClientData.fromBatches(List.of(
                new ClientData.Batch(new float[3], new int[] {1})), 1, 1, 2, 2, "short"));
        assertThrows(DataFormatException.class, () -> ClientData.fromBatches(List.of(
                new ClientData.Batch(new float[2], new int[] {7})), 1, 1, 2, 2, "label out of range"));
        DataFormatException empty = assertThrows(DataFormatException.class,
                () -> ClientData.fromBatches(List.of(), 1, 1, 2, 2, "empty"));
        assertTrue(empty.getMessage().contains("no samples"), empty.getMessage());
    }

    @Test
    void partitionSplitsEverySampleOnce() {
        Dataset d = images(300, 5);
        List<ClientData> parts = ClientData.partition(d, "dirichlet(0.5)", 4, 9);
        assertEquals(4, parts.size());
        assertEquals(300, parts.stream().mapToInt(ClientData::size).sum());
        assertEquals(parts.get(2).dataset().size(), ClientData.partition(d, "dirichlet(0.5)", 4, 9).get(2).size(),
                "seeded");
        assertThrows(IllegalArgumentException.class, () -> ClientData.partition(d, "zipf", 4, 9));
    }
}
