package io.fedprune.core.server;

/** An update that must not touch the global model: wrong shape, non-finite values, bad version. */
public final class InvalidUpdateException extends RuntimeException {
    public InvalidUpdateException(String message) {
        super(message);
    }
}
