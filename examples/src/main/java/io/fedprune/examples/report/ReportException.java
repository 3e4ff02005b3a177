package io.fedprune.examples.report;

/** A report's input is not what it must be: the message names the folder or file (exit code 2). */
public final class ReportException extends RuntimeException {
    public ReportException(String message) {
        super(message);
    }

    public ReportException(String message, Throwable cause) {
        super(message, cause);
    }
}
