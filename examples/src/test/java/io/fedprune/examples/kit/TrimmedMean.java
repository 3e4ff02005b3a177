package io.fedprune.examples.kit;

import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.UniformSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A user's strategy written against the public strategy API only (the worked example of
 * docs/EMBEDDING.md): synchronous rounds with every client, and per coordinate the mean of the
 * round's values after dropping the {@code trim} largest and smallest, so a few scaled or
 * sign-flipped updates cannot pull the model away.
 */
final class TrimmedMean implements Strategy {
    private final int trim;
    private final List<float[]> round = new ArrayList<>();

    TrimmedMean(int trim) {
        this.trim = trim;
    }

    @Override
    public String name() {
        return "trimmed-mean";
    }

    @Override
    public Pacing pacing() {
        return Pacing.rounds(new UniformSelector(1.0), 0);
    }

    @Override
    public Decision onUpdate(ArrivedUpdate update, ModelState global) {
        round.add(update.params().clone());
        return Decision.keep();
    }

    @Override
    public Decision onRoundEnd(RoundOutcome outcome, ModelState global) {
        int kept = round.size() - 2 * trim;
        if (kept < 1) {
            round.clear();
            return Decision.keep(); // too few updates to trim safely: keep the model
        }
        float[] next = new float[global.params().length];
        float[] column = new float[round.size()];
        for (int j = 0; j < next.length; j++) {
            for (int k = 0; k < column.length; k++) {
                column[k] = round.get(k)[j];
            }
            Arrays.sort(column);
            double sum = 0;
            for (int k = trim; k < trim + kept; k++) {
                sum += column[k];
            }
            next[j] = (float) (sum / kept);
        }
        round.clear();
        return Decision.publish(next);
    }
}
