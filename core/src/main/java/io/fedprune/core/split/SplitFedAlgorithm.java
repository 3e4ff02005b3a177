package io.fedprune.core.split;

import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.strategy.NamedAlgorithm;
import io.fedprune.core.strategy.SettingsSource;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;

/**
 * {@code fedprune.algorithm = splitfed}: federated split learning (ALGORITHMS.md §4, §8.5). The
 * strategy it makes is the fed server's: sample-weighted FedAvg over the client parts, every
 * {@code fed-interval} rounds. Everything else (cut, server variant, compression, pruning) is in
 * the settings and read by the split run, which the experiment runner starts instead of the
 * aggregator's.
 */
public final class SplitFedAlgorithm extends NamedAlgorithm<SplitFedSettings> {

    public SplitFedAlgorithm() {
        super("splitfed", "federated split learning: client parts to a cut layer, a server part (V1 per-client copies "
                + "or V2 shared), activation dropout, quantized activations/gradients, client-side pruning");
    }

    @Override
    public SplitFedSettings readSettings(SettingsSource c) {
        return new SplitFedSettings(c.parsed("variant", SplitVariant::parse), c.integer("cut-layer", 1, 1000),
                c.integer("steps-per-round", 1, SplitFedSettings.MAX_STEPS), c.integer("fed-interval", 1, 1_000_000),
                c.number("dropout", 0, Math.nextDown(1.0)), bits(c, "gradient-bits"), bits(c, "activation-bits"),
                c.number("client-prune-rate", 0, Math.nextDown(1.0)), c.integer("prune-every", 1, 1_000_000),
                c.number("server-cpu-hz", Double.MIN_VALUE, 1e18), c.micros("step-deadline-s", 1e6));
    }

    private static int bits(SettingsSource c, String key) {
        int b = c.integer(key, 1, 32);
        if (b > 16 && b != 32) {
            throw new IllegalArgumentException(c.key(key) + ": expected 32 (float32) or 1..16 bits, got " + b);
        }
        return b;
    }

    @Override
    public Strategy create(SplitFedSettings settings, StrategyContext context) {
        return new FedAvg();
    }
}
