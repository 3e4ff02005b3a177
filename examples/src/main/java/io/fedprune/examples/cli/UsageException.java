package io.fedprune.examples.cli;

/**
 * Command-line options that cannot work together or on this machine; the message names the option,
 * the value and what is allowed (one line, exit code 2, no usage dump).
 */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
