package io.fedprune.core.strategy;

import java.util.List;
import java.util.function.Function;

/**
 * Typed reads from one algorithm's configuration block ({@code fedprune.<name>}), without a
 * dependency on any configuration library. Every problem is thrown as an unchecked exception
 * whose message names the full key and what was expected.
 */
public interface SettingsSource {

    /** The full key of {@code path} inside this block, for messages. */
    String key(String path);

    /** A finite number in [min, max]. */
    double number(String path, double min, double max);

    /** An integer in [min, max] (a fractional value is an error, not truncated). */
    int integer(String path, int min, int max);

    boolean bool(String path);

    /** A list of finite numbers, each in [min, max] (may be empty). */
    List<Double> numbers(String path, double min, double max);

    String string(String path);

    /** One of {@code allowed} (case-insensitive), returned in lower case. */
    String choice(String path, List<String> allowed);

    /** The string at {@code path} through {@code parser}; its IllegalArgumentException names the key. */
    <T> T parsed(String path, Function<String, T> parser);

    /** Seconds in [0, max] as microseconds. */
    default long micros(String path, double maxSeconds) {
        return Math.round(number(path, 0, maxSeconds) * 1e6);
    }
}
