package io.fedprune.core.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST.
 *
 * <p>An IDX file is a big-endian header (magic {@code 0x0000TTDD}: type code TT, DD dimensions, then one
 * 32-bit size per dimension) followed by the raw values. Only unsigned-byte files are accepted: image
 * files have 3 dimensions (count, rows, columns), label files 1 (count).
 *
 * <p>Files may be gzip-compressed or plain. Compression is detected from the gzip magic bytes
 * {@code 0x1f 0x8b} rather than from the file name, because distributions and mirrors are inconsistent
 * (Debian ships {@code .gz}, many downloads are already unpacked, and some keep the name after unpacking).
 *
 * <p>Errors: a missing file gives {@link DataFileNotFoundException}, bad content gives
 * {@link DataFormatException}, any other I/O failure an {@link UncheckedIOException}; each message starts
 * with the file path.
 */
public final class IdxReader {

    /** Type code for unsigned bytes, the only element type MNIST-style files use. */
    private static final int TYPE_UNSIGNED_BYTE = 0x08;
    private static final int BUFFER = 1 << 16;

    private IdxReader() {
    }

    /**
     * Reads an image file and its label file into one dataset: pixels / 255 in [0, 1], one channel,
     * height and width from the image header.
     *
     * @param numClasses every label must lie in {@code [0, numClasses)}
     */
    public static Dataset read(Path images, Path labels, String name, int numClasses) {
        Objects.requireNonNull(name, "name");
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses must be >= 1 but was " + numClasses);
        }
        Idx img = readIdx(images, 3);
        Idx lab = readIdx(labels, 1);
        int count = img.dims[0];
        if (count != lab.dims[0]) {
            throw new DataFormatException(images + " and " + labels + ": image count " + count
                    + " does not match label count " + lab.dims[0] + "; the two files must come from the same split");
        }
        int[] labelValues = toLabels(labels, lab.data, numClasses);
        return new Dataset(name, toFloats(img.data), labelValues, numClasses, 1, img.dims[1], img.dims[2]);
    }

    /** Pixels of an IDX image file, flattened sample by sample, scaled to [0, 1]. */
    public static float[] readImages(Path images) {
        return toFloats(readIdx(images, 3).data);
    }

    /** Label values of an IDX label file (0..255; no range check against a class count). */
    public static int[] readLabels(Path labels) {
        return toLabels(labels, readIdx(labels, 1).data, 256);
    }

    private static float[] toFloats(byte[] data) {
        float[] out = new float[data.length];
        for (int i = 0; i < data.length; i++) {
            out[i] = (data[i] & 0xff) / 255f;
        }
        return out;
    }

    private static int[] toLabels(Path file, byte[] data, int numClasses) {
        int[] out = new int[data.length];
        for (int i = 0; i < data.length; i++) {
            int v = data[i] & 0xff;
            if (v >= numClasses) {
                throw new DataFormatException(file + ": label " + v + " at index " + i + " is out of range, expected 0.."
                        + (numClasses - 1) + " for " + numClasses + " classes");
            }
            out[i] = v;
        }
        return out;
    }

    /** Header dimensions and the raw value bytes of one IDX file. */
    private record Idx(int[] dims, byte[] data) {
    }

    private static Idx readIdx(Path file, int expectedDims) {
        Objects.requireNonNull(file, "file");
        String what = expectedDims == 3 ? "an IDX image file" : "an IDX label file";
        if (!Files.exists(file)) {
            throw new DataFileNotFoundException(file + ": file not found (expected " + what + ")");
        }
        if (Files.isDirectory(file)) {
            throw new DataFormatException(file + ": is a directory, expected " + what);
        }
        try (InputStream in = open(file)) {
            DataInputStream data = new DataInputStream(in);
            int magic;
            try {
                magic = data.readInt();
            } catch (EOFException e) {
                throw new DataFormatException(file + ": truncated: file ends before the 4-byte IDX magic number (expected " + what + ")");
            }
            int expectedMagic = (TYPE_UNSIGNED_BYTE << 8) | expectedDims;
            if (magic != expectedMagic) {
                throw new DataFormatException(String.format("%s: expected IDX magic 0x%08X (%s) but found 0x%08X (%s)",
                        file, expectedMagic, describeMagic(expectedMagic), magic, describeMagic(magic)));
            }
            int[] dims = new int[expectedDims];
            long size = 1;
            for (int d = 0; d < expectedDims; d++) {
                try {
                    dims[d] = data.readInt();
                } catch (EOFException e) {
                    throw new DataFormatException(file + ": truncated: file ends inside the IDX header, expected "
                            + expectedDims + " dimension sizes after the magic number but found " + d);
                }
                if (dims[d] < 0) {
                    throw new DataFormatException(file + ": dimension " + d + " has negative size " + dims[d]
                            + " (read as a signed 32-bit integer; the header is corrupt)");
                }
                size *= dims[d];
                if (size > Integer.MAX_VALUE - 8) {
                    throw new DataFormatException(file + ": header declares more than " + (Integer.MAX_VALUE - 8)
                            + " values, which cannot be held in one array; the header is probably corrupt");
                }
            }
            if (expectedDims == 3 && (dims[1] == 0 || dims[2] == 0)) {
                throw new DataFormatException(file + ": header declares images of " + dims[1] + "x" + dims[2]
                        + ", expected both sides >= 1");
            }
            byte[] values = data.readNBytes((int) size);
            if (values.length < size) {
                String declared = expectedDims == 3
                        ? dims[0] + " images of " + dims[1] + "x" + dims[2]
                        : dims[0] + " labels";
                throw new DataFormatException(file + ": truncated: header declares " + declared + " (" + size
                        + " bytes) but the file holds " + values.length);
            }
            if (data.read() != -1) {
                // A longer file usually means a different file under this name (e.g. a header from another
                // split); silently ignoring the tail would hide that.
                throw new DataFormatException(file + ": header declares " + size + " value bytes but the file holds more;"
                        + " expected the data to end there");
            }
            return new Idx(dims, values);
        } catch (ZipException e) {
            throw new DataFormatException(file + ": starts with the gzip magic bytes but is not valid gzip data: "
                    + e.getMessage(), e);
        } catch (EOFException e) {
            // GZIPInputStream reports a cut-off compressed stream this way.
            throw new DataFormatException(file + ": truncated: compressed data ends unexpectedly (expected " + what + ")", e);
        } catch (NoSuchFileException e) {
            throw new DataFileNotFoundException(file + ": file not found (expected " + what + ")", e);
        } catch (IOException e) {
            throw new UncheckedIOException(file + ": could not read " + what + ": " + e, e);
        }
    }

    /** Opens the file, transparently un-gzipping it when it starts with the gzip magic bytes. */
    private static InputStream open(Path file) throws IOException {
        InputStream raw = new BufferedInputStream(Files.newInputStream(file), BUFFER);
        try {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                return new BufferedInputStream(new GZIPInputStream(raw, BUFFER), BUFFER);
            }
            return raw;
        } catch (IOException | RuntimeException e) {
            raw.close();
            throw e;
        }
    }

    /** Human-readable meaning of an IDX magic number, for error messages. */
    static String describeMagic(int magic) {
        if ((magic >>> 16) != 0) {
            return "not an IDX file: the first two bytes must be zero";
        }
        int type = (magic >>> 8) & 0xff;
        int dims = magic & 0xff;
        String typeName = switch (type) {
            case 0x08 -> "unsigned byte";
            case 0x09 -> "signed byte";
            case 0x0B -> "short";
            case 0x0C -> "int";
            case 0x0D -> "float";
            case 0x0E -> "double";
            default -> String.format("unknown type 0x%02X", type);
        };
        return typeName + ", " + dims + (dims == 1 ? " dimension" : " dimensions");
    }
}
