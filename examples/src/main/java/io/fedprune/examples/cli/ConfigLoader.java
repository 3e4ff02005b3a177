package io.fedprune.examples.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.fedprune.actors.experiment.ConfigKeys;
import io.fedprune.actors.experiment.AlgorithmDefaults;
import io.fedprune.actors.experiment.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Pekko-style layering: the reference defaults, then a preset (a classpath resource
 * {@code presets/NAME.conf}) or a user's .conf file, then {@code --set key=value} overrides
 * (keys may omit the {@code fedprune.} prefix). Keys are strict ({@link ConfigKeys}): a preset or
 * file holds only a non-empty {@code fedprune} block, and every key must be in reference.conf;
 * messages say which preset, file and line or {@code --set} a bad key came from.
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
        Config resolved;
        try {
            resolved = merged.withFallback(AlgorithmDefaults.reference()).resolve();
        } catch (ConfigException e) {
            throw new SettingsException("configuration does not resolve: " + e.getMessage(), e);
        }
        ConfigKeys.check(resolved);
        return resolved;
    }

    private static Config source(String presetOrFile) {
        Path file = Path.of(presetOrFile);
        if (presetOrFile.endsWith(".conf") || Files.exists(file)) {
            if (!Files.isRegularFile(file)) {
                throw new SettingsException("config file " + file.toAbsolutePath() + " does not exist");
            }
            Config parsed;
            try {
                parsed = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
            } catch (ConfigException e) {
                throw new SettingsException("config file " + file + " does not parse: " + e.getMessage(), e);
            }
            ConfigKeys.reference().checkLayer(parsed, "config file " + file);
            return parsed;
        }
        String resource = "presets/" + presetOrFile + ".conf";
        if (ConfigLoader.class.getClassLoader().getResource(resource) == null) {
            throw new SettingsException("unknown preset '" + presetOrFile + "' (and no such file); known presets: "
                    + Presets.names());
        }
        // named so in messages: "preset NAME, line N" rather than the jar's URL
        Config parsed = ConfigFactory.parseResources(resource, ConfigParseOptions.defaults().setAllowMissing(false)
                .setOriginDescription("preset " + presetOrFile));
        ConfigKeys.reference().checkLayer(parsed, "preset " + presetOrFile);
        return parsed;
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
        ConfigParseOptions commandLine = ConfigParseOptions.defaults().setOriginDescription(ConfigKeys.COMMAND_LINE);
        try {
            return ConfigFactory.parseString(key + " = " + value, commandLine);
        } catch (ConfigException e) {
            try {
                return ConfigFactory.parseString(key + " = " + quote(value), commandLine);
            } catch (ConfigException again) {
                throw new SettingsException("--set " + assignment + ": cannot parse value (" + e.getMessage() + ")", e);
            }
        }
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
