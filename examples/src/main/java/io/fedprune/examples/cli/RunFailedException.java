package io.fedprune.examples.cli;

/** A run that finished (its results are written) but learned nothing usable: exit code 3. */
public final class RunFailedException extends RuntimeException {
    public RunFailedException(String message) {
        super(message);
    }
}
