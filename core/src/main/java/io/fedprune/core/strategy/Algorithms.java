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
            String close = BY_NAME.keySet().stream().filter(n -> distance(n, name) <= 2).findFirst()
                    .map(n -> "; did you mean " + n + "?").orElse("");
            throw new IllegalArgumentException("unknown algorithm '" + name + "', expected one of " + names() + close);
        }
        return a;
    }

    /** Levenshtein distance, for suggestions. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1], prev[j]) + 1, prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
