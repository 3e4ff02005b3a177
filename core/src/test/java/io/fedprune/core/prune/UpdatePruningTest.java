package io.fedprune.core.prune;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TT-Prune's upload pruning: the hidden FC weights that moved least go, everything else is sent whole. */
class UpdatePruningTest {
    // a conv kernel (4), a hidden FC layer (8 weights, 2 biases), the classifier (4 weights)
    static final ParameterLayout LAYOUT = new ParameterLayout(List.of(
            new ParameterSegment("0_W", 0, SegmentKind.CONV, 0, 4, new long[] {1, 1, 2, 2}),
            new ParameterSegment("1_W", 1, SegmentKind.DENSE, 4, 8, new long[] {4, 2}),
            new ParameterSegment("1_b", 1, SegmentKind.BIAS, 12, 2, new long[] {1, 2}),
            new ParameterSegment("2_W", 2, SegmentKind.OUTPUT, 14, 4, new long[] {2, 2})));

    static float[] received() {
        float[] r = new float[18];
        for (int i = 0; i < r.length; i++) {
            r[i] = 1 + i;
        }
        return r;
    }

    @Test
    void theHiddenFcWeightsThatMovedLeastAreLeftOut() {
        float[] received = received();
        float[] trained = received.clone();
        float[] change = {0.5f, -0.1f, 0.9f, 0.01f, -0.7f, 0.3f, 0.2f, -0.05f}; // FC weights 4..11
        for (int i = 0; i < 8; i++) {
            trained[4 + i] += change[i];
        }
        trained[0] += 0.001f; // the conv kernel barely moved: never pruned anyway
        float[] model = UpdatePruning.prune(LAYOUT, received, trained, 0.5, false);
        // the 4 largest |changes| are at FC entries 0, 2, 4, 5 (0.5, 0.9, 0.7, 0.3)
        for (int i = 0; i < 18; i++) {
            boolean prunedAway = i == 5 || i == 7 || i == 10 || i == 11;
            assertEquals(prunedAway ? 0f : trained[i], model[i], "entry " + i);
        }
        float[] update = UpdatePruning.prune(LAYOUT, received, trained, 0.5, true);
        for (int i = 0; i < 18; i++) {
            boolean prunedAway = i == 5 || i == 7 || i == 10 || i == 11;
            assertEquals(prunedAway ? received[i] : trained[i], update[i], "entry " + i + ": no change sent");
        }
        assertEquals(14, UpdatePruning.kept(LAYOUT, received, trained, 0.5).cardinality());
    }

    @Test
    void ratioZeroSendsTheTrainedModelAndBadRatiosAreRefused() {
        float[] t = received();
        assertSame(t, UpdatePruning.prune(LAYOUT, received(), t, 0, false));
        assertThrows(IllegalArgumentException.class, () -> UpdatePruning.kept(LAYOUT, received(), t, 1.0));
        assertThrows(IllegalArgumentException.class, () -> UpdatePruning.kept(LAYOUT, received(), t, Double.NaN));
    }
}
