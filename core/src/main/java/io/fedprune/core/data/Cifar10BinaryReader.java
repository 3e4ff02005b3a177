package io.fedprune.core.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Reads the CIFAR-10 "binary version" ({@code cifar-10-binary.tar.gz}): each record is 1 label byte
 * followed by 3072 pixel bytes, 1024 red, 1024 green, 1024 blue, each plane row-major 32x32.
 *
 * <p>Pixels are kept in file order. That order (channel, row, column) is exactly DL4J's NCHW flattening,
 * so no reordering is needed here or when batching.
 */
public final class Cifar10BinaryReader {

    public static final int NUM_CLASSES = 10;
    public static final int CHANNELS = 3;
    public static final int SIDE = 32;
    public static final int PIXELS = CHANNELS * SIDE * SIDE;
    /** One label byte plus the pixels. */
    public static final int RECORD_BYTES = 1 + PIXELS;

    /** The tarball unpacks into this directory; accepted as a child of the given directory too. */
    private static final String TAR_DIR = "cifar-10-batches-bin";
    private static final String HINT = "download the CIFAR-10 binary version (cifar-10-binary.tar.gz), unpack it and set the"
            + " data directory to the folder holding data_batch_1.bin..data_batch_5.bin and test_batch.bin";

    private Cifar10BinaryReader() {
    }

    /** The 50,000-sample training set: {@code data_batch_1.bin} .. {@code data_batch_5.bin}. */
    public static Dataset train(Path dir) {
        Path d = resolveDir(dir);
        List<Path> files = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            files.add(requireFile(d.resolve("data_batch_" + i + ".bin")));
        }
        return read(files, "cifar10-train");
    }

    /** The 10,000-sample test set: {@code test_batch.bin}. */
    public static Dataset test(Path dir) {
        return read(List.of(requireFile(resolveDir(dir).resolve("test_batch.bin"))), "cifar10-test");
    }

    /** Reads and concatenates the records of the given files, in order. */
    public static Dataset read(List<Path> files, String name) {
        Objects.requireNonNull(files, "files");
        Objects.requireNonNull(name, "name");
        if (files.isEmpty()) {
            throw new IllegalArgumentException("no CIFAR-10 files given for dataset '" + name + "'");
        }
        // Validate every file's length before allocating: a wrong file is reported at once, and the
        // arrays are sized exactly.
        long[] records = new long[files.size()];
        long total = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = requireFile(files.get(f));
            long length;
            try {
                length = Files.size(file);
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": could not read the file size: " + e, e);
            }
            if (length == 0 || length % RECORD_BYTES != 0) {
                throw new DataFormatException(file + ": length " + length + " bytes is not a positive multiple of the CIFAR-10"
                        + " record size " + RECORD_BYTES + " (1 label byte + " + PIXELS + " pixel bytes); expected e.g. "
                        + 10000L * RECORD_BYTES + " for a batch of 10000 images");
            }
            records[f] = length / RECORD_BYTES;
            total += records[f];
        }
        if (total * PIXELS > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("dataset '" + name + "': " + total + " CIFAR-10 images do not fit in one float array");
        }
        float[] features = new float[(int) total * PIXELS];
        int[] labels = new int[(int) total];
        byte[] record = new byte[RECORD_BYTES];
        int sample = 0;
        for (int f = 0; f < files.size(); f++) {
            Path file = files.get(f);
            try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
                for (long r = 0; r < records[f]; r++) {
                    int n = in.readNBytes(record, 0, RECORD_BYTES);
                    if (n < RECORD_BYTES) {
                        // Only possible if the file shrank after we measured it.
                        throw new DataFormatException(file + ": truncated: record " + r + " has " + n + " of "
                                + RECORD_BYTES + " bytes");
                    }
                    int label = record[0] & 0xff;
                    if (label >= NUM_CLASSES) {
                        throw new DataFormatException(file + ": record " + r + " has label " + label + ", expected 0.."
                                + (NUM_CLASSES - 1) + " (is this the CIFAR-100 binary format?)");
                    }
                    labels[sample] = label;
                    int base = sample * PIXELS;
                    for (int p = 0; p < PIXELS; p++) {
                        features[base + p] = (record[1 + p] & 0xff) / 255f;
                    }
                    sample++;
                }
            } catch (NoSuchFileException e) {
                throw new DataFileNotFoundException(file + ": file not found (expected a CIFAR-10 binary batch); " + HINT, e);
            } catch (IOException e) {
                throw new UncheckedIOException(file + ": could not read CIFAR-10 batch: " + e, e);
            }
        }
        return new Dataset(name, features, labels, NUM_CLASSES, CHANNELS, SIDE, SIDE);
    }

    private static Path resolveDir(Path dir) {
        Objects.requireNonNull(dir, "dir");
        if (!Files.isDirectory(dir)) {
            throw new DataFileNotFoundException("data directory " + dir + " does not exist; " + HINT);
        }
        Path nested = dir.resolve(TAR_DIR);
        if (!Files.exists(dir.resolve("test_batch.bin")) && Files.isDirectory(nested)) {
            return nested;
        }
        return dir;
    }

    private static Path requireFile(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new DataFileNotFoundException(file + ": file not found (expected a CIFAR-10 binary batch); " + HINT);
        }
        return file;
    }
}
