package io.fedprune.core.personal;

import io.fedprune.core.data.Dataset;
import io.fedprune.core.prune.MagnitudePruner;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.LocalAltRound;
import io.fedprune.core.train.LocalTrainer;
import io.fedprune.core.train.TrainResult;
import java.util.Arrays;

/**
 * LocalAlt, one device's local round of adaptive pruning with personalization (ALGORITHMS.md §3):
 * <ol>
 *   <li>start from the received global part u and the device's own personal part v_n;</li>
 *   <li>tau_v steps on v_n with u frozen;</li>
 *   <li>tau_u steps on u with v_n frozen;</li>
 *   <li>importance I_j = (u_n,j - u_j)^2 over the global entries; keep the top (1 - rho_n);</li>
 *   <li>tau-hat_u more steps on the surviving entries (pruned ones held at exactly 0, v_n frozen).</li>
 * </ol>
 * The upload is the pruned u_n with the personal entries zeroed: nothing of v_n leaves the device.
 * The steps are one stream over the shard ({@link LocalTrainer#trainSteps}), so the round costs the
 * samples of tau_v + tau_u + tau-hat_u plain steps. With a test split the device first scores the
 * model it received with its personal part (the personalized model of that global version).
 */
public final class LocalAlt {
    private LocalAlt() {
    }

    /**
     * What one device's round works on.
     *
     * @param received  the global model as received (personal entries whatever the server sent)
     * @param personal  the device's personal part ({@link PersonalParts#personalOf}); not modified
     * @param test      the device's own test split, or null to measure nothing
     */
    public record Input(float[] received, float[] personal, PersonalParts parts, Dataset train, int[] shard,
                        int batchSize, long seed, LocalAltRound round, Dataset test, int evalBatchSize) {
    }

    /**
     * @param upload         the pruned global part, personal entries 0: exactly what is encoded and sent
     * @param personal       the device's new personal part
     * @param kept           the global entries that survived pruning
     * @param deviceAccuracy the received model's accuracy with the old personal part on the test split (NaN without one)
     * @param phaseSteps     steps run in the three phases
     */
    public record Result(float[] upload, float[] personal, Mask kept, long samples, double meanLoss,
                         double deviceAccuracy, int[] phaseSteps) {
    }

    public static Result run(LocalTrainer trainer, Input in) {
        PersonalParts parts = in.parts();
        LocalAltRound r = in.round();
        float[] start = in.received().clone();
        parts.overlay(start, in.personal());
        double accuracy = in.test() == null ? Double.NaN
                : trainer.evaluate(start, in.test(), in.evalBatchSize()).accuracy();
        int v = r.tauV();
        int u = v + r.tauU();
        int end = u + r.tauHatU();
        float[] p = start;
        long samples = 0;
        double lossSum = 0;
        if (r.tauV() > 0) { // v_n trains, u frozen
            TrainResult t = trainer.trainSteps(p, in.train(), in.shard(), in.batchSize(), in.seed(), 0, v,
                    parts.globalIndices());
            p = t.params();
            samples += t.samples();
            lossSum += t.meanLoss() * t.steps();
        }
        if (r.tauU() > 0) { // u trains, v_n frozen
            TrainResult t = trainer.trainSteps(p, in.train(), in.shard(), in.batchSize(), in.seed(), v, u,
                    parts.personalIndices());
            p = t.params();
            samples += t.samples();
            lossSum += t.meanLoss() * t.steps();
        }
        Mask kept = prune(p, in.received(), parts, r.pruneRatio());
        if (r.tauHatU() > 0) { // the surviving u trains, pruned entries held at 0, v_n frozen
            TrainResult t = trainer.trainSteps(p, in.train(), in.shard(), in.batchSize(), in.seed(), u, end,
                    heldInHatPhase(parts, kept));
            p = t.params();
            samples += t.samples();
            lossSum += t.meanLoss() * t.steps();
        }
        float[] personal = parts.personalOf(p);
        float[] upload = p;
        for (int i : parts.personalIndices()) {
            upload[i] = 0f;
        }
        return new Result(upload, personal, kept, samples, end == 0 ? Double.NaN : lossSum / end, accuracy,
                new int[] {r.tauV(), r.tauU(), r.tauHatU()});
    }

    /**
     * Keeps the (1 - rho) fraction of the global entries of highest (u_n - u)^2 (ties: lower index)
     * and sets the others of {@code params} to 0. Returns the kept global entries.
     */
    public static Mask prune(float[] params, float[] received, PersonalParts parts, double ratio) {
        int[] global = parts.globalIndices();
        if (ratio == 0) {
            return parts.global();
        }
        float[] scores = new float[global.length];
        for (int k = 0; k < global.length; k++) {
            float d = params[global[k]] - received[global[k]];
            scores[k] = d * d;
        }
        Mask keptCompact = MagnitudePruner.keepLargest(scores, 1 - ratio);
        int[] keep = keptCompact.indices();
        int[] keptFull = new int[keep.length];
        for (int k = 0; k < keep.length; k++) {
            keptFull[k] = global[keep[k]];
        }
        Mask kept = Mask.fromIndices(params.length, keptFull);
        for (int i : global) {
            if (!kept.get(i)) {
                params[i] = 0f;
            }
        }
        return kept;
    }

    /** The personal entries and the pruned global ones, ascending. */
    private static int[] heldInHatPhase(PersonalParts parts, Mask kept) {
        int[] personal = parts.personalIndices();
        int[] global = parts.globalIndices();
        int[] out = new int[personal.length + global.length - kept.cardinality()];
        int k = 0;
        for (int i : personal) {
            out[k++] = i;
        }
        for (int i : global) {
            if (!kept.get(i)) {
                out[k++] = i;
            }
        }
        Arrays.sort(out);
        return out;
    }
}
