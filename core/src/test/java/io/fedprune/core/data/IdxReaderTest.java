package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    @TempDir
    Path dir;

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {true, false})
    void roundTrip(boolean gzip) throws IOException {
        // 5 images of 3x4, deliberately non-square to catch swapped height/width.
        byte[] pixels = IdxFiles.rampPixels(5 * 3 * 4);
        pixels[7] = (byte) 255;
        byte[] labels = {3, 0, 9, 1, 9};
        // A misleading name on purpose: detection must use the magic bytes, not the ".gz" suffix.
        Path img = IdxFiles.write(dir.resolve(gzip ? "images.idx" : "images.gz"), IdxFiles.images(5, 3, 4, pixels), gzip);
        Path lab = IdxFiles.write(dir.resolve("labels.gz"), IdxFiles.labels(labels), gzip);

        Dataset ds = IdxReader.read(img, lab, "tiny", 10);

        assertEquals("tiny", ds.name());
        assertEquals(5, ds.size());
        assertEquals(1, ds.channels());
        assertEquals(3, ds.height());
        assertEquals(4, ds.width());
        assertEquals(10, ds.numClasses());
        assertArrayEquals(new int[] {3, 0, 9, 1, 9}, ds.labels());
        float[] f = ds.features();
        assertEquals(60, f.length);
        for (int i = 0; i < f.length; i++) {
            assertEquals((pixels[i] & 0xff) / 255f, f[i], 0f, "pixel " + i);
        }
        assertEquals(1f, f[7]);
        assertEquals(0f, f[0]);
        assertArrayEquals(f, IdxReader.readImages(img));
        assertArrayEquals(new int[] {3, 0, 9, 1, 9}, IdxReader.readLabels(lab));
    }

    @Test
    void badMagicNamesFileAndBothMagics() throws IOException {
        // A label file passed where images are expected: the most likely real mistake.
        Path img = IdxFiles.write(dir.resolve("train-images-idx3-ubyte.gz"), IdxFiles.labels(new byte[] {1, 2}), true);
        Path lab = IdxFiles.write(dir.resolve("labels"), IdxFiles.labels(new byte[] {1, 2}), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(img, lab, "x", 10));
        assertTrue(e.getMessage().contains(img.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("expected IDX magic 0x00000803 (unsigned byte, 3 dimensions) but found 0x00000801"),
                e.getMessage());
    }

    @Test
    void notAnIdxFileAtAll() throws IOException {
        Path img = IdxFiles.write(dir.resolve("photo.png"), "\u0089PNG\r\n\u001a\n-----------".getBytes(), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(img));
        assertTrue(e.getMessage().startsWith(img.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not an IDX file"), e.getMessage());
    }

    @ParameterizedTest(name = "gzip={0}")
    @ValueSource(booleans = {true, false})
    void truncatedData(boolean gzip) throws IOException {
        byte[] full = IdxFiles.images(10, 28, 28, new byte[1234]);
        Path img = IdxFiles.write(dir.resolve("train-images-idx3-ubyte"), full, gzip);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(img));
        assertTrue(e.getMessage().contains(img.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("truncated: header declares 10 images of 28x28 (7840 bytes) but the file holds 1234"),
                e.getMessage());
    }

    @Test
    void truncatedHeader() throws IOException {
        byte[] full = IdxFiles.images(10, 28, 28, new byte[0]);
        Path img = IdxFiles.write(dir.resolve("short"), Arrays.copyOf(full, 9), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(img));
        assertTrue(e.getMessage().contains(img.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void truncatedGzipStream() throws IOException {
        Path whole = IdxFiles.write(dir.resolve("whole.gz"), IdxFiles.images(50, 28, 28, IdxFiles.rampPixels(50 * 784)), true);
        byte[] gz = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readImages(cut));
        assertTrue(e.getMessage().contains(cut.toString()) && e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void trailingBytesAreRejected() throws IOException {
        byte[] content = IdxFiles.labels(new byte[] {1, 2, 3});
        Path lab = IdxFiles.write(dir.resolve("labels"), Arrays.copyOf(content, content.length + 1), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.readLabels(lab));
        assertTrue(e.getMessage().contains(lab.toString()), e.getMessage());
    }

    @Test
    void countMismatch() throws IOException {
        Path img = IdxFiles.write(dir.resolve("images.gz"), IdxFiles.images(3, 2, 2, new byte[12]), true);
        Path lab = IdxFiles.write(dir.resolve("labels.gz"), IdxFiles.labels(new byte[] {1, 2}), true);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(img, lab, "x", 10));
        assertTrue(e.getMessage().contains(img.toString()) && e.getMessage().contains(lab.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("image count 3 does not match label count 2"), e.getMessage());
    }

    @Test
    void labelOutOfRange() throws IOException {
        Path img = IdxFiles.write(dir.resolve("images"), IdxFiles.images(3, 2, 2, new byte[12]), false);
        Path lab = IdxFiles.write(dir.resolve("labels"), IdxFiles.labels(new byte[] {1, 10, 2}), false);
        DataFormatException e = assertThrows(DataFormatException.class, () -> IdxReader.read(img, lab, "x", 10));
        assertTrue(e.getMessage().contains(lab.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("label 10 at index 1 is out of range, expected 0..9"), e.getMessage());
    }

    @Test
    void missingFile() throws IOException {
        Path img = dir.resolve("no-such-images.gz");
        Path lab = IdxFiles.write(dir.resolve("labels"), IdxFiles.labels(new byte[] {1}), false);
        DataFileNotFoundException e = assertThrows(DataFileNotFoundException.class, () -> IdxReader.read(img, lab, "x", 10));
        assertTrue(e.getMessage().contains(img.toString()) && e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void describeMagic() {
        assertEquals("unsigned byte, 3 dimensions", IdxReader.describeMagic(0x00000803));
        assertEquals("float, 1 dimension", IdxReader.describeMagic(0x00000D01));
    }
}
