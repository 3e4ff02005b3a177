package io.fedprune.core.aggregate;

import io.fedprune.core.strategy.NamedAlgorithm;
import io.fedprune.core.strategy.SettingsSource;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;

/**
 * {@code fedprune.algorithm = prfl}: PR-FL's buffered aggregation, MaskFedAvg over the latest update
 * of every client (ALGORITHMS.md §6). Every client gets the whole model for now: density control and
 * recovery are not part of it yet.
 */
public final class PrflBufferedAlgorithm extends NamedAlgorithm<PrflBuffered.Settings> {

    public PrflBufferedAlgorithm() {
        super("prfl", "PR-FL's buffered aggregation: staleness-weighted MaskFedAvg over the latest update of every "
                + "client (no density control yet)");
    }

    @Override
    public PrflBuffered.Settings readSettings(SettingsSource c) {
        return new PrflBuffered.Settings(c.parsed("staleness", StalenessFunction::parse),
                c.number("global-lr", Double.MIN_VALUE, 1), c.integer("aggregate-every", 1, 1_000_000),
                c.micros("interval-s", 1e9));
    }

    @Override
    public Strategy create(PrflBuffered.Settings settings, StrategyContext context) {
        return new PrflBuffered(settings);
    }
}
