package io.fedprune.examples.cli;

import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.core.data.DataFileNotFoundException;
import io.fedprune.core.data.FashionMnist;
import java.nio.file.Path;
import java.util.List;

/**
 * Before any work: are the IDX files of an MNIST-style run there? Missing Fashion-MNIST in its
 * default folder is "not installed" (its own exit code, which the launcher answers by installing
 * Debian's package); missing files anywhere else name {@code fedprune.data.dir}. Only file presence
 * is checked here; the content is checked when it is read.
 */
final class DataCheck {
    private DataCheck() {
    }

    static void require(ExperimentSettings s) {
        String dataset = s.data().dataset();
        if (!dataset.equals("fashion-mnist") && !dataset.equals("mnist")) {
            return;
        }
        Path dir = s.data().dir();
        List<String> missing = FashionMnist.missingFiles(dir);
        if (missing.isEmpty()) {
            return;
        }
        if (dataset.equals("fashion-mnist") && isDefault(dir)) {
            throw new DatasetNotInstalledException("Fashion-MNIST is not installed: " + dir + " has no "
                    + String.join(", ", missing.stream().map(f -> f + ".gz").toList()) + "\n"
                    + "          install it with: sudo apt-get install dataset-fashion-mnist (./fedprune does this as"
                    + " root), or point FEDPRUNE_DATA_DIR or data.dir at a folder with the four IDX files");
        }
        throw new DataFileNotFoundException("fedprune.data.dir = " + dir + ": "
                + (missing.size() == 4 && !java.nio.file.Files.isDirectory(dir) ? "no such folder" : "no "
                + String.join(", ", missing) + " (.gz or unpacked)")
                + "; expected a folder with the four " + dataset + " IDX files (train-images-idx3-ubyte.gz, "
                + "train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)");
    }

    static boolean isDefault(Path dir) {
        return dir.toAbsolutePath().normalize().equals(FashionMnist.DEFAULT_DIR);
    }
}
