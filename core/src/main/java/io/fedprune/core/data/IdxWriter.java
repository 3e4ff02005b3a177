package io.fedprune.core.data;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a one-channel dataset as a gzip-compressed pair of IDX files ({@code <split>-images-idx3-ubyte.gz},
 * {@code <split>-labels-idx1-ubyte.gz}) that {@link IdxReader} and {@link FashionMnist#load} read back
 * bit for bit: pixels are stored as round(255 x value), which restores exactly the values the reader
 * made from bytes. Used to give each client of a multi-process example its own data folder.
 */
public final class IdxWriter {
    private static final int IMAGES_MAGIC = 0x0803;
    private static final int LABELS_MAGIC = 0x0801;

    private IdxWriter() {
    }

    /**
     * @param split the file prefix, {@code train} or {@code t10k}
     * @throws IllegalArgumentException if the data has more than one channel, a value outside [0, 1],
     *                                  or a label above 255
     */
    public static void write(Dataset data, Path dir, String split) {
        if (data.channels() != 1) {
            throw new IllegalArgumentException("IDX holds one-channel images; dataset '" + data.name() + "' has "
                    + data.channels());
        }
        try {
            Files.createDirectories(dir);
            try (DataOutputStream out = open(dir.resolve(split + "-images-idx3-ubyte.gz"))) {
                out.writeInt(IMAGES_MAGIC);
                out.writeInt(data.size());
                out.writeInt(data.height());
                out.writeInt(data.width());
                for (float v : data.features()) {
                    if (!(v >= 0 && v <= 1)) {
                        throw new IllegalArgumentException("dataset '" + data.name() + "': pixel value " + v
                                + " outside [0, 1]");
                    }
                    out.write(Math.round(v * 255));
                }
            }
            try (DataOutputStream out = open(dir.resolve(split + "-labels-idx1-ubyte.gz"))) {
                out.writeInt(LABELS_MAGIC);
                out.writeInt(data.size());
                for (int label : data.labels()) {
                    if (label > 255) {
                        throw new IllegalArgumentException("IDX labels are bytes; label " + label + " in dataset '"
                                + data.name() + "'");
                    }
                    out.write(label);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(dir + ": " + e.getMessage(), e);
        }
    }

    private static DataOutputStream open(Path file) throws IOException {
        OutputStream raw = Files.newOutputStream(file);
        return new DataOutputStream(new BufferedOutputStream(new GZIPOutputStream(raw, 1 << 16), 1 << 16));
    }
}
