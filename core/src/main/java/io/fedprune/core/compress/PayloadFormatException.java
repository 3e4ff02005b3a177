package io.fedprune.core.compress;

/** Bytes that do not decode to a model of the expected layout. Never yields a partial model. */
public final class PayloadFormatException extends RuntimeException {
    public PayloadFormatException(String message) {
        super(message);
    }
}
