package io.fedprune.core.ttfed;

import io.fedprune.core.strategy.NamedAlgorithm;
import io.fedprune.core.strategy.SettingsSource;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;

/**
 * {@code fedprune.algorithm = ttfed}: time-triggered FL over tiers (TT-Fed, Zhou et al. 2022) and,
 * with {@code max-prune-ratio > 0}, TT-Prune's per-tier importance pruning of the FC layers with
 * the pruning ratio and bandwidth planned jointly under each tier's deadline.
 */
public final class TtFedAlgorithm extends NamedAlgorithm<TtFedSettings> {

    public TtFedAlgorithm() {
        super("ttfed", "time-triggered tiers: tier m aggregates every m ticks of ΔT; with max-prune-ratio > 0 "
                + "TT-Prune (per-tier FC pruning ratio and per-user bandwidth from the KKT allocator)");
    }

    @Override
    public TtFedSettings readSettings(SettingsSource c) {
        return new TtFedSettings(c.micros("tick-s", 1e6), c.parsed("weighting", TierAggregation.Weighting::parse),
                c.integer("window", 1, 1000), c.number("max-prune-ratio", 0, 0.999),
                c.number("bandwidth-hz", 1, 1e12), c.bool("fading"), c.bool("index-overhead"),
                c.number("deadline-guard", 0, 0.49));
    }

    @Override
    public Strategy create(TtFedSettings settings, StrategyContext context) {
        if (context.devices() == null) {
            throw new IllegalArgumentException("needs the devices' download and compute times (a run's device model)");
        }
        return new TtFed(settings, context);
    }
}
