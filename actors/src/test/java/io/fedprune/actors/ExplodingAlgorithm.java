package io.fedprune.actors;

import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.NamedAlgorithm;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.SettingsSource;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.StrategyContext;

/**
 * A test-only algorithm, registered from the test class path alone (its class, its defaults file
 * fedprune-algorithms/exploding.conf and one service line): FedAvg whose strategy throws on the
 * n-th update, to see a failing strategy end a run cleanly.
 */
public final class ExplodingAlgorithm extends NamedAlgorithm<ExplodingAlgorithm.Settings> {

    public record Settings(int failAt) {
        public Settings {
            if (failAt < 1) {
                throw new IllegalArgumentException("fail-at must be >= 1, got " + failAt);
            }
        }
    }

    public ExplodingAlgorithm() {
        super("exploding", "test only: FedAvg that throws on its n-th update");
    }

    @Override
    public Settings readSettings(SettingsSource block) {
        return new Settings(block.integer("fail-at", 1, 1_000_000));
    }

    @Override
    public Strategy create(Settings settings, StrategyContext context) {
        FedAvg avg = new FedAvg();
        return new Strategy() {
            private int updates;

            @Override
            public String name() {
                return "exploding";
            }

            @Override
            public Pacing pacing() {
                return avg.pacing();
            }

            @Override
            public Decision onUpdate(ArrivedUpdate update, ModelState global) {
                if (++updates == settings.failAt()) {
                    throw new IllegalStateException("boom at update " + updates);
                }
                return avg.onUpdate(update, global);
            }

            @Override
            public Decision onRoundEnd(RoundOutcome round, ModelState global) {
                return avg.onRoundEnd(round, global);
            }
        };
    }
}
