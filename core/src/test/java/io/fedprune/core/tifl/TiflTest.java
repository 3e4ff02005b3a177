package io.fedprune.core.tifl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.Validation;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class TiflTest {
    private static final Tiers TIERS = Tiers.profile(new double[] {1, 2, 3, 4, 5, 6}, 3); // {0,1} {2,3} {4,5}
    private static final List<Integer> ALL = IntStream.range(0, 6).boxed().toList();

    private static ArrivedUpdate update(int client, float value, long samples, double loss) {
        return new ArrivedUpdate(client, new float[] {value, 2 * value}, samples, 0, 0, null, Dispatch.global(), loss,
                0, 0);
    }

    /** Runs one round: the selector picks, each picked client uploads {@code client} with loss {@code lossOf[tier]}. */
    private static Decision round(Tifl tifl, long r, SplittableRandom rng, double[] lossOf) {
        ModelState global = new ModelState(new float[2], r - 1);
        List<Integer> picked = tifl.pacing() instanceof io.fedprune.core.strategy.Pacing.Rounds rounds
                ? rounds.selector().select(ALL, r, rng) : List.of();
        for (int c : picked) {
            tifl.onUpdate(update(c, c, 10 + c, lossOf[TIERS.tierOf(c)]), global);
        }
        return tifl.onRoundEnd(new RoundOutcome(r, picked.size(), picked.size(), 0, 0, 0), global);
    }

    @Test
    void aRoundIsTheSampleWeightedAverageOfOneTierAndSaysWhichTier() {
        Tifl tifl = new Tifl(new TiflSettings(3, 5, 100, 10, TiflSettings.TierScore.TRAIN_LOSS, 0), TIERS, null);
        Decision d = round(tifl, 1, new SplittableRandom(1), new double[] {1, 1, 1});
        int tier = tifl.selector().lastTier();
        List<Integer> members = TIERS.members(tier);
        double num = 0;
        double den = 0;
        for (int c : members) {
            num += (10 + c) * c;
            den += 10 + c;
        }
        assertArrayEquals(new float[] {(float) (num / den), (float) (2 * num / den)}, d.model(), 1e-6f);
        assertEquals(tier, d.metrics().get("tier"));
        assertEquals(List.of("tier"), tifl.metricNames());
    }

    @Test
    void theTierWithTheHighestTrainingLossIsFavouredAfterTheInterval() {
        Tifl tifl = new Tifl(new TiflSettings(3, 5, 1000, 5, TiflSettings.TierScore.TRAIN_LOSS, 0), TIERS, null);
        SplittableRandom rng = new SplittableRandom(2);
        double[] loss = {0.3, 0.9, 0.6};
        for (int r = 1; r <= 30; r++) {
            round(tifl, r, rng, loss);
        }
        // every tier has trained by now; ranks by ascending "accuracy" = descending loss: 1, 2, 0
        assertEquals(3 / 6.0, tifl.selector().probability(1), 1e-15);
        assertEquals(2 / 6.0, tifl.selector().probability(2), 1e-15);
        assertEquals(1 / 6.0, tifl.selector().probability(0), 1e-15);
    }

    @Test
    void validationScoresTheModelPublishedAfterEachTiersRound() {
        // a fake validation: the first parameter is the accuracy, so tier t's average of client ids scores highest for tier 2
        Validation byFirstParam = new Validation() {
            @Override
            public double accuracy(float[] params) {
                return params[0] / 10.0;
            }

            @Override
            public int samples() {
                return 1;
            }
        };
        Tifl tifl = new Tifl(new TiflSettings(3, 5, 1000, 5, TiflSettings.TierScore.VALIDATION, 0), TIERS,
                byFirstParam);
        SplittableRandom rng = new SplittableRandom(3);
        for (int r = 1; r <= 30; r++) {
            round(tifl, r, rng, new double[] {1, 1, 1});
        }
        // tier 0's model averages ids 0-1 (lowest "accuracy"), tier 2's ids 4-5 (highest)
        assertEquals(3 / 6.0, tifl.selector().probability(0), 1e-15);
        assertEquals(1 / 6.0, tifl.selector().probability(2), 1e-15);
        var e = assertThrows(IllegalArgumentException.class,
                () -> new Tifl(new TiflSettings(3, 5, 10, 5, TiflSettings.TierScore.VALIDATION, 0), TIERS, null));
        assertTrue(e.getMessage().contains("tier-score"), e.getMessage());
    }

    @Test
    void settingsAreValidatedByName() {
        assertEquals(TiflSettings.TierScore.TRAIN_LOSS, TiflSettings.TierScore.parse(" Train-Loss "));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TiflSettings.TierScore.parse("loss"))
                .getMessage().contains("'loss'"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new TiflSettings(0, 5, 10, 5, TiflSettings.TierScore.TRAIN_LOSS, 0)).getMessage().contains("tiers"));
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> new TiflSettings(5, 5, 10, 0, TiflSettings.TierScore.TRAIN_LOSS, 0)).getMessage()
                .contains("interval"));
    }
}
