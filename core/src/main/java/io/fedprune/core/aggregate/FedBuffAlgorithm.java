package io.fedprune.core.aggregate;

import io.fedprune.core.strategy.NamedAlgorithm;
import io.fedprune.core.strategy.SettingsSource;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;

/** {@code fedprune.algorithm = fedbuff}: asynchronous, a server step every K staleness-scaled updates (Nguyen et al. 2022) */
public final class FedBuffAlgorithm extends NamedAlgorithm<FedBuff.Settings> {

    public FedBuffAlgorithm() {
        super("fedbuff", "asynchronous, a server step every K staleness-scaled updates (Nguyen et al. 2022)");
    }

    @Override
    public FedBuff.Settings readSettings(SettingsSource c) {
        return new FedBuff.Settings(c.integer("buffer-size", 1, 1_000_000), c.number("server-lr", Double.MIN_VALUE, 1e6),
                c.number("server-momentum", 0, 0.999999), c.parsed("staleness", StalenessFunction::parse));
    }

    @Override
    public Strategy create(FedBuff.Settings settings, StrategyContext context) {
        return new FedBuff(settings);
    }
}
