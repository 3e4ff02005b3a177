package io.fedprune.core.strategy;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/** The algorithm registry: every {@link Algorithm} on the class path, by name. */
public final class Algorithms {
    private static final Map<String, Algorithm<?>> BY_NAME = load();

    private Algorithms() {
    }

    private static Map<String, Algorithm<?>> load() {
        Map<String, Algorithm<?>> byName = new TreeMap<>();
        for (Algorithm<?> a : ServiceLoader.load(Algorithm.class, Algorithms.class.getClassLoader())) {
            Algorithm<?> previous = byName.put(a.name(), a);
            if (previous != null) {
                throw new IllegalStateException("two algorithms named '" + a.name() + "': "
                        + previous.getClass().getName() + " and " + a.getClass().getName());
            }
        }
        return Collections.unmodifiableMap(byName);
    }

    /** Names in alphabetical order. */
    public static List<String> names() {
        return List.copyOf(BY_NAME.keySet());
    }

    public static List<Algorithm<?>> all() {
        return List.copyOf(BY_NAME.values());
    }

    /** @throws IllegalArgumentException naming the known algorithms if there is none called {@code name} */
    public static Algorithm<?> named(String name) {
        Algorithm<?> a = BY_NAME.get(name);
        if (a == null) {
            throw new IllegalArgumentException("unknown algorithm '" + name + "', expected one of " + names());
        }
        return a;
    }
}
