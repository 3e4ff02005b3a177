package io.fedprune.examples.cli;

/**
 * Fashion-MNIST is needed from its default folder (Debian's dataset-fashion-mnist) and is not
 * there. Has its own exit code ({@link FedpruneCli#DATA_NOT_INSTALLED}) so the launcher can install
 * the package and run again.
 */
public final class DatasetNotInstalledException extends RuntimeException {
    public DatasetNotInstalledException(String message) {
        super(message);
    }
}
