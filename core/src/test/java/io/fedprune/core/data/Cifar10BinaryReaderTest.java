package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Cifar10BinaryReaderTest {

    private static final int R = Cifar10BinaryReader.RECORD_BYTES;

    @TempDir
    Path dir;

    /** Record r: label labels[r], pixel p = (r * 7 + p) mod 256. */
    private static byte[] records(int... labels) {
        byte[] b = new byte[labels.length * R];
        for (int r = 0; r < labels.length; r++) {
            b[r * R] = (byte) labels[r];
            for (int p = 0; p < 3072; p++) {
                b[r * R + 1 + p] = (byte) (r * 7 + p);
            }
        }
        return b;
    }

    @Test
    void readsRecordsInFileOrderAcrossFiles() throws IOException {
        Path a = Files.write(dir.resolve("a.bin"), records(6, 9));
        Path b = Files.write(dir.resolve("b.bin"), records(0));
        Dataset ds = Cifar10BinaryReader.read(List.of(a, b), "tiny-cifar");
        assertEquals(3, ds.size());
        assertEquals(3, ds.channels());
        assertEquals(32, ds.height());
        assertEquals(32, ds.width());
        assertEquals(10, ds.numClasses());
        assertArrayEquals(new int[] {6, 9, 0}, ds.labels());
        float[] f = ds.features();
        // Second record: red plane first, then green, then blue, exactly as stored (NCHW).
        assertEquals(((7 + 0) & 0xff) / 255f, f[3072], 0f);
        assertEquals(((7 + 1024) & 0xff) / 255f, f[3072 + 1024], 0f);
        assertEquals(((7 + 3071) & 0xff) / 255f, f[2 * 3072 - 1], 0f);
        // Third sample came from file b, record 0.
        assertEquals(0f, f[2 * 3072], 0f);
    }

    @Test
    void trainAndTestUseStandardFileNames() throws IOException {
        Path nested = Files.createDirectory(dir.resolve("cifar-10-batches-bin"));
        for (int i = 1; i <= 5; i++) {
            Files.write(nested.resolve("data_batch_" + i + ".bin"), records(i, i - 1));
        }
        Files.write(nested.resolve("test_batch.bin"), records(3));
        Dataset train = Cifar10BinaryReader.train(dir); // finds the unpacked sub-directory
        assertEquals(10, train.size());
        assertArrayEquals(new int[] {1, 0, 2, 1, 3, 2, 4, 3, 5, 4}, train.labels());
        assertEquals(1, Cifar10BinaryReader.test(nested).size());
    }

    @Test
    void lengthNotMultipleOfRecordSize() throws IOException {
        Path bad = Files.write(dir.resolve("data_batch_1.bin"), Arrays.copyOf(records(1, 2), 2 * R - 5));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10BinaryReader.read(List.of(bad), "x"));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(String.valueOf(2 * R - 5)), e.getMessage());
        assertTrue(e.getMessage().contains("3073"), e.getMessage());
    }

    @Test
    void labelAboveNine() throws IOException {
        Path bad = Files.write(dir.resolve("test_batch.bin"), records(4, 10));
        DataFormatException e = assertThrows(DataFormatException.class, () -> Cifar10BinaryReader.read(List.of(bad), "x"));
        assertTrue(e.getMessage().contains(bad.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("record 1 has label 10"), e.getMessage());
    }

    @Test
    void missingFile() throws IOException {
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            files.add(Files.write(dir.resolve("data_batch_" + i + ".bin"), records(1)));
        }
        DataFileNotFoundException e = assertThrows(DataFileNotFoundException.class, () -> Cifar10BinaryReader.train(dir));
        assertTrue(e.getMessage().contains("data_batch_5.bin"), e.getMessage());
        DataFileNotFoundException e2 = assertThrows(DataFileNotFoundException.class,
                () -> Cifar10BinaryReader.test(dir.resolve("missing-dir")));
        assertTrue(e2.getMessage().contains("missing-dir"), e2.getMessage());
    }
}
