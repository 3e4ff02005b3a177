package io.fedprune.actors.experiment;

/** Invalid experiment configuration, raised before any work starts; the message names the key. */
public final class SettingsException extends RuntimeException {
    public SettingsException(String message) {
        super(message);
    }

    public SettingsException(String message, Throwable cause) {
        super(message, cause);
    }
}
