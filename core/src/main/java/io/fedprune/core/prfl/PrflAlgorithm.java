package io.fedprune.core.prfl;

import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.core.density.RestorationSchedule;
import io.fedprune.core.strategy.NamedAlgorithm;
import io.fedprune.core.strategy.SettingsSource;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;

/** {@code fedprune.algorithm = prfl}: PR-FL with density control, recovery and the ablation switches. */
public final class PrflAlgorithm extends NamedAlgorithm<PrflSettings> {

    public PrflAlgorithm() {
        super("prfl", "PR-FL: asynchronous buffered MaskFedAvg over the latest update of every client, sub-model "
                + "densities from round times, nested masks from accumulated importance, recovery of density "
                + "on validation early stopping (FedGMR schedules)");
    }

    @Override
    public PrflSettings readSettings(SettingsSource c) {
        PrflSettings.Aggregation aggregation = new PrflSettings.Aggregation(
                c.parsed("staleness", StalenessFunction::parse), c.number("global-lr", Double.MIN_VALUE, 1),
                c.integer("aggregate-every", 1, 1_000_000), c.micros("interval-s", 1e9), c.bool("buffer"),
                c.number("no-buffer-alpha", Double.MIN_VALUE, 1), c.bool("mask-aware"), c.bool("synchronous"));
        PrflSettings.Density density = new PrflSettings.Density(c.bool("pruning"),
                c.number("min-density", Double.MIN_VALUE, 1), c.integer("adjust-interval", 1, 1_000_000),
                c.parsed("initial-densities", PrflSettings.Density::parseInitial), c.bool("sparse-compute"),
                c.bool("residual-split"));
        String recovery = c.string("recovery");
        PrflSettings.Recovery r = new PrflSettings.Recovery(recovery.equals("none") ? null
                : c.parsed("recovery", RestorationSchedule::parse), c.integer("patience", 1, 1_000_000),
                c.integer("last-stage-factor", 1, 1_000));
        return new PrflSettings(aggregation, density, r);
    }

    @Override
    public Strategy create(PrflSettings settings, StrategyContext context) {
        return new Prfl(settings, context.layout(), context.clients(), context.validation(), context.buffers());
    }
}
