package io.fedprune.examples.ui;

/** The live page's address could not be bound (in use, not local, not allowed). */
public final class PortUnavailableException extends RuntimeException {
    public PortUnavailableException(String host, int port, Throwable cause) {
        super("--ui: cannot serve the live page on " + host + ":" + port + " (" + reason(cause)
                + "); choose another port with --ui PORT (0: any free port)", cause);
    }

    private static String reason(Throwable cause) {
        String m = cause.getMessage();
        if (m != null && m.toLowerCase(java.util.Locale.ROOT).contains("address already in use")) {
            return "port in use";
        }
        return m == null ? cause.getClass().getSimpleName() : m;
    }
}
