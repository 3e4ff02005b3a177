package io.fedprune.core.split;

import java.util.Locale;

/**
 * How the main server holds the server part (ALGORITHMS.md §8.5, Thapa et al.): V1 keeps one copy
 * per client, trained in parallel and averaged (weighted by samples) at the end of every round;
 * V2 keeps one shared part, trained on the batches in the order they arrive.
 */
public enum SplitVariant {
    V1, V2;

    /** {@code v1} or {@code v2}, any case. */
    public static SplitVariant parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        return switch (t) {
            case "v1" -> V1;
            case "v2" -> V2;
            default -> throw new IllegalArgumentException("split variant must be v1 (a server copy per client) or v2 "
                    + "(one shared server part), got '" + text + "'");
        };
    }
}
