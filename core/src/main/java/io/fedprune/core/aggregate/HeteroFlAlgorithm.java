package io.fedprune.core.aggregate;

import io.fedprune.core.strategy.NamedAlgorithm;
import io.fedprune.core.strategy.SettingsSource;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;

/** {@code fedprune.algorithm = heterofl}: synchronous rounds on width-scaled sub-models (Diao et al. 2021). */
public final class HeteroFlAlgorithm extends NamedAlgorithm<HeteroFl.Settings> {

    public HeteroFlAlgorithm() {
        super("heterofl", "synchronous rounds on width-scaled sub-models, a model rate per client by speed, "
                + "count-based per-entry averaging (Diao et al. 2021)");
    }

    @Override
    public HeteroFl.Settings readSettings(SettingsSource c) {
        return new HeteroFl.Settings(c.number("fraction", Double.MIN_VALUE, 1), c.micros("round-deadline-s", 1e9),
                c.numbers("rates", 0, 1), c.numbers("shares", 0, 1),
                c.parsed("assignment", RateAssignment.Mode::parse));
    }

    @Override
    public Strategy create(HeteroFl.Settings settings, StrategyContext context) {
        if (context.model() == null) {
            throw new IllegalArgumentException("HeteroFL needs the model's spec to cut width-scaled sub-models");
        }
        int[] levels = RateAssignment.levels(settings.assignment(), settings.shareArray(), context.clients(),
                context.roundSeconds());
        return new HeteroFl(settings, context.model(), levels);
    }
}
