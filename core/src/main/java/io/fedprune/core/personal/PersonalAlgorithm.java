package io.fedprune.core.personal;

import io.fedprune.core.strategy.NamedAlgorithm;
import io.fedprune.core.strategy.SettingsSource;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;
import java.util.ArrayList;
import java.util.List;

/** {@code fedprune.algorithm = personal}: adaptive pruning with personalization over a wireless uplink (arXiv 2309.01816). */
public final class PersonalAlgorithm extends NamedAlgorithm<PersonalSettings> {

    public PersonalAlgorithm() {
        super("personal", "global part pruned and shared, personal layers kept on the device (LocalAlt), "
                + "per-device pruning ratio, bandwidth and power from the KKT allocator under a latency threshold "
                + "(ALGORITHMS.md §3)");
    }

    @Override
    public PersonalSettings readSettings(SettingsSource c) {
        List<Integer> layers = new ArrayList<>();
        for (double d : c.numbers("personal-layers", -1_000_000, 1_000_000)) {
            if (d != Math.rint(d)) {
                throw new IllegalArgumentException(c.key("personal-layers") + ": layer indices are integers, got " + d);
            }
            layers.add((int) d);
        }
        return new PersonalSettings(layers, c.integer("tau-v", 0, 1_000_000), c.integer("tau-u", 0, 1_000_000),
                c.integer("tau-hat-u", 0, 1_000_000), c.number("personal-step-cost", 1e-6, 1),
                c.number("max-ratio", 0, 0.999), c.number("latency-threshold-s", 0, 1e9),
                c.number("total-bandwidth-hz", 1, 1e12), c.number("max-power-w", 1e-9, 1e3),
                c.number("noise-dbm-per-hz", -300, 0), c.number("min-distance-m", 1e-3, 1e7),
                c.number("max-distance-m", 1e-3, 1e7), c.bool("rayleigh"), c.bool("index-overhead"),
                c.micros("round-deadline-s", 1e9));
    }

    @Override
    public Strategy create(PersonalSettings settings, StrategyContext context) {
        if (context.computeTimes() == null) {
            throw new IllegalArgumentException("the allocator needs the devices' compute times, which this run "
                    + "does not give");
        }
        return new Personal(settings, context);
    }
}
