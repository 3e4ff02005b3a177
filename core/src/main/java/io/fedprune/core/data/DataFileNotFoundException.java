package io.fedprune.core.data;

/**
 * A data file or data directory does not exist. Kept apart from {@link DataFormatException} because the
 * remedy is different (install or point at the data rather than replace a broken file), so the message
 * says how to get the data.
 */
public class DataFileNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public DataFileNotFoundException(String message) {
        super(message);
    }

    public DataFileNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
