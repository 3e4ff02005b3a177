package io.fedprune.core.aggregate;

import io.fedprune.core.strategy.NamedAlgorithm;
import io.fedprune.core.strategy.SettingsSource;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;

/** {@code fedprune.algorithm = fedfix}: asynchronous, aggregation of what arrived at every fixed interval of clock time */
public final class FedFixAlgorithm extends NamedAlgorithm<FedFix.Settings> {

    public FedFixAlgorithm() {
        super("fedfix", "asynchronous, aggregation of what arrived at every fixed interval of clock time");
    }

    @Override
    public FedFix.Settings readSettings(SettingsSource c) {
        return new FedFix.Settings(Math.round(c.number("interval-s", 1e-6, 1e9) * 1e6), c.parsed("staleness", StalenessFunction::parse));
    }

    @Override
    public Strategy create(FedFix.Settings settings, StrategyContext context) {
        return new FedFix(settings);
    }
}
