package io.fedprune.core.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Loads Fashion-MNIST (and MNIST, which uses the same file names and format) from a directory of IDX
 * files: {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]},
 * {@code t10k-images-idx3-ubyte[.gz]}, {@code t10k-labels-idx1-ubyte[.gz]}. The {@code .gz} name is
 * tried first, then the unpacked name, since both layouts are common.
 */
public final class FashionMnist {

    /** Where Debian's {@code dataset-fashion-mnist} package installs the files. */
    public static final Path DEFAULT_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    public static final int NUM_CLASSES = 10;

    private static final String FASHION_HINT = "install it with `apt-get install dataset-fashion-mnist` (files go to "
            + DEFAULT_DIR + ") or set the data directory to one holding the Fashion-MNIST IDX files";
    private static final String MNIST_HINT = "set the data directory to one holding the MNIST IDX files"
            + " (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)";

    private FashionMnist() {
    }

    /** The 60,000-sample Fashion-MNIST training split. */
    public static Dataset train(Path dir) {
        return load(dir, "train", "fashion-mnist-train", FASHION_HINT);
    }

    /** The 10,000-sample Fashion-MNIST test split. */
    public static Dataset test(Path dir) {
        return load(dir, "t10k", "fashion-mnist-test", FASHION_HINT);
    }

    /** The MNIST training split (same file names and format as Fashion-MNIST). */
    public static Dataset mnistTrain(Path dir) {
        return load(dir, "train", "mnist-train", MNIST_HINT);
    }

    /** The MNIST test split. */
    public static Dataset mnistTest(Path dir) {
        return load(dir, "t10k", "mnist-test", MNIST_HINT);
    }

    /**
     * Loads one split of an MNIST-style directory.
     *
     * @param split {@code "train"}, or {@code "t10k"} / {@code "test"} for the test split
     * @param name  the name the dataset carries
     */
    public static Dataset load(Path dir, String split, String name) {
        return load(dir, split, name, FASHION_HINT);
    }

    private static Dataset load(Path dir, String split, String name, String hint) {
        Objects.requireNonNull(dir, "dir");
        Objects.requireNonNull(split, "split");
        String prefix = switch (split.trim().toLowerCase(Locale.ROOT)) {
            case "train" -> "train";
            case "t10k", "test" -> "t10k";
            default -> throw new IllegalArgumentException("unknown split '" + split + "', expected 'train' or 't10k' (or 'test')");
        };
        if (!Files.isDirectory(dir)) {
            throw new DataFileNotFoundException("data directory " + dir + " does not exist; " + hint);
        }
        Path images = find(dir, prefix + "-images-idx3-ubyte", hint);
        Path labels = find(dir, prefix + "-labels-idx1-ubyte", hint);
        return IdxReader.read(images, labels, name, NUM_CLASSES);
    }

    /**
     * The IDX files (base names, e.g. {@code train-images-idx3-ubyte}) that {@code dir} holds in
     * neither the {@code .gz} nor the unpacked form; all four when the folder does not exist. Lets a
     * caller say what is missing before any loading starts.
     */
    public static List<String> missingFiles(Path dir) {
        List<String> missing = new ArrayList<>();
        for (String prefix : List.of("train", "t10k")) {
            for (String kind : List.of("-images-idx3-ubyte", "-labels-idx1-ubyte")) {
                String base = prefix + kind;
                if (!Files.isRegularFile(dir.resolve(base + ".gz")) && !Files.isRegularFile(dir.resolve(base))) {
                    missing.add(base);
                }
            }
        }
        return missing;
    }

    private static Path find(Path dir, String baseName, String hint) {
        Path gz = dir.resolve(baseName + ".gz");
        if (Files.isRegularFile(gz)) {
            return gz;
        }
        Path plain = dir.resolve(baseName);
        if (Files.isRegularFile(plain)) {
            return plain;
        }
        throw new DataFileNotFoundException(gz + ": file not found (nor " + plain + "); " + hint);
    }
}
