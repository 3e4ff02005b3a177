package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uses small files written by the test; the real Fashion-MNIST is exercised in another module. */
class FashionMnistTest {

    @TempDir
    Path dir;

    private void writeSplit(String prefix, int count, boolean gzipNames) throws IOException {
        byte[] labels = new byte[count];
        for (int i = 0; i < count; i++) {
            labels[i] = (byte) (i % 10);
        }
        String suffix = gzipNames ? ".gz" : "";
        IdxFiles.write(dir.resolve(prefix + "-images-idx3-ubyte" + suffix),
                IdxFiles.images(count, 28, 28, IdxFiles.rampPixels(count * 784)), gzipNames);
        IdxFiles.write(dir.resolve(prefix + "-labels-idx1-ubyte" + suffix), IdxFiles.labels(labels), gzipNames);
    }

    @Test
    void loadsBothSplitsFromDebianLayout() throws IOException {
        writeSplit("train", 12, true);
        writeSplit("t10k", 4, true);
        Dataset train = FashionMnist.train(dir);
        Dataset test = FashionMnist.test(dir);
        assertEquals(12, train.size());
        assertEquals(4, test.size());
        assertEquals(28, train.height());
        assertEquals(28, train.width());
        assertEquals(10, train.numClasses());
        assertArrayEquals(new int[] {0, 1, 2, 3}, test.labels());
        assertEquals("fashion-mnist-train", train.name());
        assertEquals("fashion-mnist-test", test.name());
    }

    @Test
    void loadsUnpackedMnistFiles() throws IOException {
        writeSplit("train", 7, false);
        writeSplit("t10k", 3, false);
        assertEquals(7, FashionMnist.mnistTrain(dir).size());
        assertEquals(3, FashionMnist.mnistTest(dir).size());
        assertEquals(3, FashionMnist.load(dir, "test", "custom").size());
        assertEquals("custom", FashionMnist.load(dir, "t10k", "custom").name());
    }

    @Test
    void missingDirectorySaysHowToInstall() {
        Path missing = dir.resolve("nope");
        DataFileNotFoundException e = assertThrows(DataFileNotFoundException.class, () -> FashionMnist.train(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
        assertTrue(e.getMessage().contains("data directory"), e.getMessage());
    }

    @Test
    void missingFileSaysHowToInstall() throws IOException {
        writeSplit("train", 3, true);
        DataFileNotFoundException e = assertThrows(DataFileNotFoundException.class, () -> FashionMnist.test(dir));
        assertTrue(e.getMessage().contains("t10k-images-idx3-ubyte.gz"), e.getMessage());
        assertTrue(e.getMessage().contains("apt-get install dataset-fashion-mnist"), e.getMessage());
    }

    @Test
    void missingFilesListsWhatNeitherFormHolds() throws IOException {
        assertEquals(4, FashionMnist.missingFiles(dir.resolve("nowhere")).size());
        writeSplit("train", 3, true);
        writeSplit("t10k", 3, false);
        assertEquals(java.util.List.of(), FashionMnist.missingFiles(dir));
        java.nio.file.Files.delete(dir.resolve("t10k-labels-idx1-ubyte"));
        assertEquals(java.util.List.of("t10k-labels-idx1-ubyte"), FashionMnist.missingFiles(dir));
    }

    @Test
    void unknownSplit() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FashionMnist.load(dir, "validation", "x"));
        assertTrue(e.getMessage().contains("'train'"), e.getMessage());
    }
}
