package io.fedprune.core.tifl;

import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.Validation;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * TiFL (Chai et al., HPDC 2020; ALGORITHMS.md §8.4): synchronous rounds in which only one tier of
 * similarly fast clients trains, so a round lasts as long as that tier's slowest client rather
 * than the whole fleet's; the round's updates are averaged as in FedAvg. Which tier trains is
 * drawn by {@link TierSelector}; every {@code interval} rounds the tiers are re-ranked by their
 * {@linkplain TiflSettings.TierScore score}, at the end of the round (off the actor threads), so
 * the next round draws with the new probabilities, as FLGo re-ranks before rounds I+1, 2I+1, ...
 */
public final class Tifl implements Strategy {
    private final TiflSettings settings;
    private final TierSelector selector;
    private final Pacing pacing;
    private final FedAvg average = new FedAvg();
    private final Validation validation;
    /** Per tier, the latest score (higher = the model does better there); NaN until the tier trained. */
    private final double[] score;
    /** Per tier, the model published after its latest round (validation scoring only). */
    private final float[][] lastModel;
    private double roundLoss;
    private double roundSamples;

    public Tifl(TiflSettings settings, Tiers tiers, Validation validation) {
        if (settings.score() == TiflSettings.TierScore.VALIDATION && validation == null) {
            throw new IllegalArgumentException("fedprune.tifl.tier-score = validation needs held-out samples "
                    + "(fedprune.data.validation-samples > 0)");
        }
        this.settings = settings;
        this.selector = new TierSelector(tiers, settings.clientsPerRound(), settings.credits());
        this.pacing = Pacing.rounds(selector, settings.roundDeadlineMicros());
        this.validation = validation;
        this.score = new double[tiers.count()];
        Arrays.fill(score, Double.NaN);
        this.lastModel = new float[tiers.count()][];
    }

    @Override
    public String name() {
        return "tifl";
    }

    @Override
    public Pacing pacing() {
        return pacing;
    }

    @Override
    public List<String> metricNames() {
        return List.of("tier");
    }

    @Override
    public Decision onUpdate(ArrivedUpdate update, ModelState global) {
        if (Double.isFinite(update.trainLoss())) {
            roundLoss += update.samples() * update.trainLoss();
            roundSamples += update.samples();
        }
        return average.onUpdate(update, global);
    }

    @Override
    public Decision onRoundEnd(RoundOutcome round, ModelState global) {
        int tier = selector.lastTier();
        Decision d = average.onRoundEnd(round, global);
        if (tier >= 0 && settings.score() == TiflSettings.TierScore.TRAIN_LOSS && roundSamples > 0) {
            score[tier] = -roundLoss / roundSamples;
        }
        if (tier >= 0 && settings.score() == TiflSettings.TierScore.VALIDATION && d.publishes()) {
            lastModel[tier] = d.model();
        }
        roundLoss = 0;
        roundSamples = 0;
        if (round.round() % settings.interval() == 0) {
            selector.rerank(scores());
        }
        if (!d.publishes()) {
            return d;
        }
        return Decision.publish(d.model(), Map.of("tier", (double) tier));
    }

    /** The tiers' current scores; validation ones are measured now, one pass per tier that has a model. */
    private double[] scores() {
        if (settings.score() == TiflSettings.TierScore.VALIDATION) {
            for (int t = 0; t < score.length; t++) {
                if (lastModel[t] != null) {
                    score[t] = validation.accuracy(lastModel[t]);
                }
            }
        }
        return score.clone();
    }

    /** The selector, for tests and logs. */
    public TierSelector selector() {
        return selector;
    }
}
