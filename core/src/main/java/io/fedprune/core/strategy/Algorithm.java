package io.fedprune.core.strategy;

/**
 * A named federated algorithm: its settings, read and validated from its own block
 * {@code fedprune.<name>}, and a factory for its {@link Strategy}. Implementations are found by
 * {@link Algorithms} through {@link java.util.ServiceLoader}, so adding one touches only its own
 * files (class, defaults in {@code fedprune-algorithms/<name>.conf}, one service line) and a preset.
 *
 * @param <S> the settings record
 */
public interface Algorithm<S> {

    /** The name users write ({@code fedprune.algorithm = <name>}) and the settings block. */
    String name();

    /** One line for {@code fedprune list} and errors. */
    String summary();

    /** Reads and validates the settings from the block {@code fedprune.<name>}. */
    S readSettings(SettingsSource block);

    Strategy create(S settings, StrategyContext context);

    /** Classpath resource with this algorithm's documented defaults (a {@code fedprune.<name>} block). */
    default String defaultsResource() {
        return "fedprune-algorithms/" + name() + ".conf";
    }
}
