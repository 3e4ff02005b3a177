package io.fedprune.actors.embed;

import com.typesafe.config.Config;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.SettingsException;

/** The service's {@code fedprune} block, read and validated as an experiment's is. */
final class Settings {
    private Settings() {
    }

    /** @throws IllegalArgumentException with the settings reader's message, naming the key */
    static ExperimentSettings read(Config config) {
        try {
            return ExperimentSettings.fromConfig(config);
        } catch (SettingsException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }
}
