package io.fedprune.examples.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.fedprune.actors.experiment.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Pekko-style layering: the reference defaults, then a preset (a classpath resource
 * {@code presets/NAME.conf}) or a user's .conf file, then {@code --set key=value} overrides
 * (keys may omit the {@code fedprune.} prefix).
 */
public final class ConfigLoader {
    private ConfigLoader() {
    }

    public static Config load(String presetOrFile, List<String> overrides) {
        Config base = source(presetOrFile);
        Config merged = base;
        for (String o : overrides) {
            merged = override(o).withFallback(merged);
        }
        try {
            return merged.withFallback(ConfigFactory.defaultReference()).resolve();
        } catch (ConfigException e) {
            throw new SettingsException("configuration does not resolve: " + e.getMessage(), e);
        }
    }

    private static Config source(String presetOrFile) {
        Path file = Path.of(presetOrFile);
        if (presetOrFile.endsWith(".conf") || Files.exists(file)) {
            if (!Files.isRegularFile(file)) {
                throw new SettingsException("config file " + file.toAbsolutePath() + " does not exist");
            }
            try {
                return ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new SettingsException("config file " + file + " does not parse: " + e.getMessage(), e);
            }
        }
        String resource = "presets/" + presetOrFile + ".conf";
        if (ConfigLoader.class.getClassLoader().getResource(resource) == null) {
            throw new SettingsException("unknown preset '" + presetOrFile + "' (and no such file); known presets: "
                    + Presets.names());
        }
        return ConfigFactory.parseResources(resource, ConfigParseOptions.defaults().setAllowMissing(false));
    }

    private static Config override(String assignment) {
        int eq = assignment.indexOf('=');
        if (eq <= 0) {
            throw new SettingsException("--set expects key=value, got '" + assignment + "'");
        }
        String key = assignment.substring(0, eq).trim();
        if (!key.startsWith("fedprune.")) {
            key = "fedprune." + key;
        }
        String value = assignment.substring(eq + 1).trim();
        try {
            return ConfigFactory.parseString(key + " = " + value);
        } catch (ConfigException e) {
            try {
                return ConfigFactory.parseString(key + " = " + quote(value));
            } catch (ConfigException again) {
                throw new SettingsException("--set " + assignment + ": cannot parse value (" + e.getMessage() + ")", e);
            }
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
