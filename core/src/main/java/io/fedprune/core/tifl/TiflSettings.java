package io.fedprune.core.tifl;

import io.fedprune.core.strategy.Pacing;
import java.util.Locale;

/**
 * TiFL's settings ({@code fedprune.tifl}; defaults in {@code fedprune-algorithms/tifl.conf}).
 *
 * @param tiers               number of tiers T (equal-size groups by profiled round time)
 * @param clientsPerRound     |C|: clients sampled inside the chosen tier (capped by its size)
 * @param credits             selections each tier may have per credit period
 * @param interval            I: rounds between re-rankings of the tiers by accuracy
 * @param score               what "a tier's accuracy" is measured by
 * @param roundDeadlineMicros a round closes this long after it starts (0 = when all answered)
 */
public record TiflSettings(int tiers, int clientsPerRound, int credits, int interval, TierScore score,
                           long roundDeadlineMicros) {

    public TiflSettings {
        if (tiers < 1) {
            throw new IllegalArgumentException("tiers must be >= 1, got " + tiers);
        }
        if (clientsPerRound < 1) {
            throw new IllegalArgumentException("clients-per-round must be >= 1, got " + clientsPerRound);
        }
        if (credits < 1) {
            throw new IllegalArgumentException("credits must be >= 1, got " + credits);
        }
        if (interval < 1) {
            throw new IllegalArgumentException("interval must be >= 1, got " + interval);
        }
        if (score == null) {
            throw new IllegalArgumentException("tier-score must be given");
        }
        if (roundDeadlineMicros < 0 || roundDeadlineMicros > Pacing.MAX_MICROS) {
            throw new IllegalArgumentException("round deadline must be in [0, " + Pacing.MAX_MICROS / 1_000_000
                    + "] s, got " + roundDeadlineMicros / 1e6 + " s");
        }
    }

    /**
     * TiFL ranks tiers by the accuracy of the global model on each tier's own data, which only the
     * tier's clients hold. What our server can see instead:
     * <ul>
     *   <li>{@link #TRAIN_LOSS} (default): the sample-weighted mean training loss the tier's clients
     *       reported the last time the tier trained. It is measured on the tier's own data, starting
     *       from the global model, so a high loss is the nearest thing to "the model does badly on
     *       this tier"; it is as old as the tier's last round.</li>
     *   <li>{@link #VALIDATION}: the accuracy, on the run's held-out training samples, of the global
     *       model published after the tier's last round. The same samples for every tier, so it
     *       scores what the tier's round did to the model rather than how the model fits the tier;
     *       offered for comparison, needs {@code data.validation-samples &gt; 0}.</li>
     * </ul>
     */
    public enum TierScore {
        TRAIN_LOSS, VALIDATION;

        /** {@code train-loss} or {@code validation}. */
        public static TierScore parse(String text) {
            return switch (text.trim().toLowerCase(Locale.ROOT)) {
                case "train-loss" -> TRAIN_LOSS;
                case "validation" -> VALIDATION;
                default -> throw new IllegalArgumentException("expected train-loss or validation, got '" + text + "'");
            };
        }
    }
}
