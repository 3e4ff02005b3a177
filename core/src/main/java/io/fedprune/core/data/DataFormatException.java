package io.fedprune.core.data;

/**
 * A data file exists but its content is not what the reader expected (wrong magic number, truncated,
 * inconsistent counts, label out of range, ...). The message always names the file and what was expected,
 * because the usual fix is to replace that one file and the user has to know which one.
 *
 * <p>Unchecked: a bad data file is not something the caller can recover from in-line; it ends the run
 * with a readable message.
 */
public class DataFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataFormatException(String message) {
        super(message);
    }

    public DataFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
