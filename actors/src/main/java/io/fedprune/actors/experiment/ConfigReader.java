package io.fedprune.actors.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import io.fedprune.core.strategy.SettingsSource;

/**
 * Reads typed values under a prefix and turns every problem into a {@link SettingsException}
 * naming the full key and what was expected, so a bad preset fails before any work.
 */
final class ConfigReader implements SettingsSource {
    private final Config config;
    private final String lookupPrefix;
    private final String displayPrefix;

    /** Reads {@code prefix.path} from {@code config} and names it so in messages. */
    ConfigReader(Config config, String prefix) {
        this(config, prefix, prefix);
    }

    /**
     * For a list element: looks paths up relative to {@code element} (lookup prefix empty) and
     * names them {@code displayPrefix.path}, e.g. {@code fedprune.devices.speed-classes[0].share}.
     */
    static ConfigReader element(Config element, String displayPrefix) {
        return new ConfigReader(element, "", displayPrefix);
    }

    private ConfigReader(Config config, String lookupPrefix, String displayPrefix) {
        this.config = config;
        this.lookupPrefix = lookupPrefix;
        this.displayPrefix = displayPrefix;
    }

    /** The same config read under {@code prefix.name}: one algorithm's block. */
    ConfigReader block(String name) {
        return new ConfigReader(config, lookup(name), key(name));
    }

    /** The key as the user wrote it, for messages; the empty path names the whole block. */
    @Override
    public String key(String path) {
        return path.isEmpty() ? displayPrefix : displayPrefix + "." + path;
    }

    private String lookup(String path) {
        return lookupPrefix.isEmpty() ? path : lookupPrefix + "." + path;
    }

    boolean has(String path) {
        return config.hasPath(lookup(path));
    }

    @Override
    public String string(String path) {
        try {
            return config.getString(lookup(path));
        } catch (ConfigException e) {
            throw wrap(path, "a string", e);
        }
    }

    @Override
    public String choice(String path, List<String> allowed) {
        String v = string(path).trim().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw new SettingsException(key(path) + ": expected one of " + allowed + ", got '" + v + "'");
        }
        return v;
    }

    int intAtLeast(String path, int min) {
        return intIn(path, min, Integer.MAX_VALUE);
    }

    long longAtLeast(String path, long min) {
        return longIn(path, min, Long.MAX_VALUE);
    }

    /** An integer in [min, max]; 5.7 or 1e20 are refused, not truncated (HOCON's getInt would). */
    int intIn(String path, int min, int max) {
        return (int) longIn(path, min, max);
    }

    /** An integer in [min, max]; a number with a fraction or beyond a long is refused, not truncated. */
    long longIn(String path, long min, long max) {
        Number n;
        try {
            n = config.getNumber(lookup(path));
        } catch (ConfigException e) {
            throw wrap(path, integerIn(min, max), e);
        }
        long v;
        if (n instanceof Integer || n instanceof Long) {
            v = n.longValue();
        } else {
            double d = n.doubleValue();
            // 0x1p63 is the first double past Long.MAX_VALUE; a plain (long) cast would saturate
            if (!(d == Math.rint(d) && d >= -0x1p63 && d < 0x1p63)) {
                throw new SettingsException(key(path) + ": expected " + integerIn(min, max) + ", got " + n);
            }
            v = (long) d;
        }
        if (v < min) {
            throw new SettingsException(key(path) + ": expected an integer >= " + min + ", got " + v);
        }
        if (v > max) {
            throw new SettingsException(key(path) + ": expected an integer <= " + max + ", got " + v);
        }
        return v;
    }

    private static String integerIn(long min, long max) {
        if (max == Long.MAX_VALUE || max == Integer.MAX_VALUE) {
            return min == Long.MIN_VALUE ? "an integer" : "an integer >= " + min;
        }
        return "an integer in [" + min + ", " + max + "]";
    }

    /** A finite number in [min, max] (use infinities for open ends). */
    @Override
    public double number(String path, double min, double max) {
        double v;
        try {
            v = config.getDouble(lookup(path));
        } catch (ConfigException e) {
            throw wrap(path, "a number in [" + min + ", " + max + "]", e);
        }
        if (!Double.isFinite(v) || v < min || v > max) {
            throw new SettingsException(key(path) + ": expected a number in [" + min + ", " + max + "], got " + v);
        }
        return v;
    }

    @Override
    public List<Double> numbers(String path, double min, double max) {
        List<Double> values;
        try {
            values = config.getDoubleList(lookup(path));
        } catch (ConfigException e) {
            throw wrap(path, "a list of numbers in [" + min + ", " + max + "]", e);
        }
        for (int i = 0; i < values.size(); i++) {
            double v = values.get(i);
            if (!Double.isFinite(v) || v < min || v > max) {
                throw new SettingsException(key(path) + "[" + i + "]: expected a number in [" + min + ", " + max
                        + "], got " + v);
            }
        }
        return List.copyOf(values);
    }

    /** A finite number > 0. */
    double positive(String path) {
        double v;
        try {
            v = config.getDouble(lookup(path));
        } catch (ConfigException e) {
            throw wrap(path, "a number > 0", e);
        }
        if (!(v > 0) || Double.isInfinite(v)) {
            throw new SettingsException(key(path) + ": expected a number > 0, got " + v);
        }
        return v;
    }

    @Override
    public boolean bool(String path) {
        try {
            return config.getBoolean(lookup(path));
        } catch (ConfigException e) {
            throw wrap(path, "true or false", e);
        }
    }

    @Override
    public int integer(String path, int min, int max) {
        long v = longAtLeast(path, min);
        if (v > max) {
            throw new SettingsException(key(path) + ": expected an integer in [" + min + ", " + max + "], got " + v);
        }
        return (int) v;
    }

    @Override
    public <T> T parsed(String path, Function<String, T> parser) {
        String text = string(path);
        return validated(path, () -> parser.apply(text));
    }

    /** A number, or null / absent. */
    Double optionalNumber(String path, double min, double max) {
        if (!config.hasPath(lookup(path))) {
            return null;
        }
        return number(path, min, max);
    }

    Config sub(String path) {
        try {
            return config.getConfig(lookup(path));
        } catch (ConfigException e) {
            throw wrap(path, "an object", e);
        }
    }

    List<? extends Config> configList(String path) {
        try {
            return config.getConfigList(lookup(path));
        } catch (ConfigException e) {
            throw wrap(path, "a list of objects", e);
        }
    }

    /** Runs a constructor-style validation and prefixes its message with the key. */
    <T> T validated(String path, java.util.function.Supplier<T> make) {
        try {
            return make.get();
        } catch (IllegalArgumentException e) {
            throw new SettingsException(key(path) + ": " + e.getMessage(), e);
        }
    }

    private SettingsException wrap(String path, String expected, ConfigException e) {
        if (e instanceof ConfigException.Missing) {
            return new SettingsException(key(path) + ": missing, expected " + expected, e);
        }
        return new SettingsException(key(path) + ": expected " + expected + " (" + e.getMessage() + ")", e);
    }
}
