package io.fedprune.core.tifl;

import io.fedprune.core.strategy.NamedAlgorithm;
import io.fedprune.core.strategy.SettingsSource;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;

/** {@code fedprune.algorithm = tifl}: one tier of similarly fast clients per synchronous round (Chai et al. 2020). */
public final class TiflAlgorithm extends NamedAlgorithm<TiflSettings> {

    public TiflAlgorithm() {
        super("tifl", "synchronous rounds of one tier of similarly fast clients, tiers drawn by credits and "
                + "accuracy rank, FedAvg inside the round (Chai et al. 2020)");
    }

    @Override
    public TiflSettings readSettings(SettingsSource c) {
        return new TiflSettings(c.integer("tiers", 1, 1_000_000), c.integer("clients-per-round", 1, 1_000_000),
                c.integer("credits", 1, Integer.MAX_VALUE), c.integer("interval", 1, Integer.MAX_VALUE),
                c.parsed("tier-score", TiflSettings.TierScore::parse), c.micros("round-deadline-s", 1e9));
    }

    @Override
    public Strategy create(TiflSettings settings, StrategyContext context) {
        if (settings.tiers() > context.clients()) {
            throw new IllegalArgumentException("fedprune.tifl.tiers = " + settings.tiers() + " is more than the "
                    + context.clients() + " clients");
        }
        return new Tifl(settings, Tiers.profile(context.roundSeconds(), settings.tiers()), context.validation());
    }
}
