package io.fedprune.core.strategy;

/** An algorithm with its validated settings: everything needed to make its strategy for a run. */
public record ConfiguredAlgorithm<S>(Algorithm<S> algorithm, S settings) {

    public ConfiguredAlgorithm {
        java.util.Objects.requireNonNull(algorithm, "algorithm");
        java.util.Objects.requireNonNull(settings, "settings");
    }

    /** Reads {@code algorithm}'s settings from its block. */
    public static <S> ConfiguredAlgorithm<S> read(Algorithm<S> algorithm, SettingsSource block) {
        return new ConfiguredAlgorithm<>(algorithm, algorithm.readSettings(block));
    }

    public String name() {
        return algorithm.name();
    }

    /** A fresh strategy (strategies keep state: one per run). */
    public Strategy newStrategy(StrategyContext context) {
        return algorithm.create(settings, context);
    }
}
