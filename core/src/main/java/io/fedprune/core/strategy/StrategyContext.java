package io.fedprune.core.strategy;

import io.fedprune.core.model.ParameterLayout;

/**
 * What a strategy factory may need to know about the run, beyond its own settings.
 *
 * @param layout  the model's parameter layout (segments, kinds; masks are built over it)
 * @param seed    the run's seed, for strategies with their own randomness
 * @param clients    registered clients at the start
 * @param validation scores models on held-out training data; null when the run holds none out
 */
public record StrategyContext(ParameterLayout layout, long seed, int clients, Validation validation) {

    /** A run without validation data. */
    public StrategyContext(ParameterLayout layout, long seed, int clients) {
        this(layout, seed, clients, null);
    }

    /**
     * The validation data, for a strategy that cannot work without it.
     *
     * @throws IllegalArgumentException naming the setting to change, when the run holds none out
     */
    public Validation requireValidation(String why) {
        if (validation == null) {
            throw new IllegalArgumentException(why + " needs validation data: set fedprune.data.validation-samples "
                    + "> 0 (that many training samples are held out of the clients' shards)");
        }
        return validation;
    }
}
