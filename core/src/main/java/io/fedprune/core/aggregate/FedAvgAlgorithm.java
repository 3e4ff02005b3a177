package io.fedprune.core.aggregate;

import io.fedprune.core.strategy.NamedAlgorithm;
import io.fedprune.core.strategy.SettingsSource;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;

/** {@code fedprune.algorithm = fedavg}: synchronous rounds, sample-weighted averaging (McMahan et al. 2017) */
public final class FedAvgAlgorithm extends NamedAlgorithm<FedAvg.Settings> {

    public FedAvgAlgorithm() {
        super("fedavg", "synchronous rounds, sample-weighted averaging (McMahan et al. 2017)");
    }

    @Override
    public FedAvg.Settings readSettings(SettingsSource c) {
        return new FedAvg.Settings(c.number("fraction", Double.MIN_VALUE, 1), c.micros("round-deadline-s", 1e9),
                c.parsed("rule", RobustRule::parse));
    }

    @Override
    public Strategy create(FedAvg.Settings settings, StrategyContext context) {
        return new FedAvg(settings);
    }
}
