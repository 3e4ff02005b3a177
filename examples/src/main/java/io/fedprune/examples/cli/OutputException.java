package io.fedprune.examples.cli;

/** An output folder the CLI cannot or must not write to; the message names the folder and the remedy. */
public final class OutputException extends RuntimeException {
    public OutputException(String message) {
        super(message);
    }

    public OutputException(String message, Throwable cause) {
        super(message, cause);
    }
}
