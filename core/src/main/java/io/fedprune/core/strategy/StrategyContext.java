package io.fedprune.core.strategy;

import io.fedprune.core.model.ParameterLayout;

/**
 * What a strategy factory may need to know about the run, beyond its own settings.
 *
 * @param layout  the model's parameter layout (segments, kinds; masks are built over it)
 * @param seed    the run's seed, for strategies with their own randomness
 * @param clients registered clients at the start
 */
public record StrategyContext(ParameterLayout layout, long seed, int clients) {
}
