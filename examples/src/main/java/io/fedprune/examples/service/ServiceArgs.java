package io.fedprune.examples.service;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** {@code --name value} arguments of the example services, each checked against the names a program knows. */
record ServiceArgs(Map<String, String> values) {

    static ServiceArgs parse(String[] args, Set<String> known) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : null;
            if (name == null || !known.contains(name) || i + 1 >= args.length) {
                throw new IllegalArgumentException("bad argument '" + args[i] + "': expected --NAME VALUE with NAME one of "
                        + known);
            }
            values.put(name, args[++i]);
        }
        return new ServiceArgs(values);
    }

    String get(String name, String fallback) {
        return values.getOrDefault(name, fallback);
    }

    String required(String name) {
        String v = values.get(name);
        if (v == null) {
            throw new IllegalArgumentException("--" + name + " is required");
        }
        return v;
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " " + v + ": expected an integer");
        }
    }

    /** The service's fedprune settings: {@code --config FILE} (a preset-style file) over the defaults. */
    Config config() {
        String file = values.get("config");
        if (file == null) {
            return ConfigFactory.load();
        }
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("--config " + file + ": no such file");
        }
        return ConfigFactory.parseFile(path.toFile()).withFallback(ConfigFactory.load()).resolve();
    }
}
