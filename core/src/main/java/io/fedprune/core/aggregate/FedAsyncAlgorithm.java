package io.fedprune.core.aggregate;

import io.fedprune.core.strategy.NamedAlgorithm;
import io.fedprune.core.strategy.SettingsSource;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;

/** {@code fedprune.algorithm = fedasync}: asynchronous staleness-weighted mixing of each arriving update (Xie et al. 2019) */
public final class FedAsyncAlgorithm extends NamedAlgorithm<FedAsync.Settings> {

    public FedAsyncAlgorithm() {
        super("fedasync", "asynchronous staleness-weighted mixing of each arriving update (Xie et al. 2019)");
    }

    @Override
    public FedAsync.Settings readSettings(SettingsSource c) {
        return new FedAsync.Settings(c.number("alpha", Double.MIN_VALUE, 1),
                c.parsed("staleness", StalenessFunction::parse));
    }

    @Override
    public Strategy create(FedAsync.Settings settings, StrategyContext context) {
        return new FedAsync(settings);
    }
}
