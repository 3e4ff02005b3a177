package io.fedprune.core.density;

import static io.fedprune.core.density.DensityControllerTest.assertMessage;
import static io.fedprune.core.density.EarlyStopping.Signal.FIRED;
import static io.fedprune.core.density.EarlyStopping.Signal.IMPROVED;
import static io.fedprune.core.density.EarlyStopping.Signal.WAITING;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    @Test
    void firesOnThePatienceThNonImprovingEvaluationAndKeepsTheBest() {
        EarlyStopping es = new EarlyStopping(3);
        assertTrue(Double.isNaN(es.best()));
        double[] acc = {0.5, 0.6, 0.6, 0.55, 0.59, 0.4, 0.41, 0.42, 0.6, 0.61, 0.1};
        EarlyStopping.Signal[] want = {IMPROVED, IMPROVED, WAITING, WAITING, FIRED, WAITING, WAITING, FIRED, WAITING,
            IMPROVED, WAITING};
        for (int i = 0; i < acc.length; i++) {
            assertEquals(want[i], es.observe(acc[i]), "evaluation " + i);
        }
        assertEquals(0.61, es.best());
        assertEquals(1, es.waited());
        assertEquals(acc.length, es.evaluations());
    }

    @Test
    void patienceOneFiresOnEveryNonImprovement() {
        EarlyStopping es = new EarlyStopping(1);
        assertEquals(IMPROVED, es.observe(-1));
        assertEquals(FIRED, es.observe(-1));
        assertEquals(FIRED, es.observe(Double.NEGATIVE_INFINITY));
        assertEquals(IMPROVED, es.observe(Double.POSITIVE_INFINITY));
        assertEquals(FIRED, es.observe(Double.POSITIVE_INFINITY));
    }

    @Test
    void agreesWithARunLengthReferenceOnRandomSeries() {
        SplittableRandom rng = new SplittableRandom(17);
        for (int run = 0; run < 500; run++) {
            int patience = 1 + rng.nextInt(6);
            double[] v = new double[rng.nextInt(60)];
            for (int i = 0; i < v.length; i++) {
                v[i] = rng.nextInt(3) == 0 ? rng.nextInt(4) / 4.0 : rng.nextDouble(); // with ties
            }
            EarlyStopping es = new EarlyStopping(patience);
            List<EarlyStopping.Signal> got = new ArrayList<>();
            for (double x : v) {
                got.add(es.observe(x));
            }
            assertEquals(reference(v, patience), got, "run " + run);
        }
    }

    /**
     * By definition: an evaluation improves iff it beats every earlier one; a non-improving one
     * fires iff the run of non-improving evaluations since the last improving one, counted up to
     * and including it, is a multiple of the patience.
     */
    private static List<EarlyStopping.Signal> reference(double[] v, int patience) {
        List<EarlyStopping.Signal> out = new ArrayList<>();
        for (int i = 0; i < v.length; i++) {
            int lastImproving = -1;
            for (int j = 0; j <= i; j++) {
                boolean beatsAll = true;
                for (int k = 0; k < j; k++) {
                    beatsAll &= v[j] > v[k];
                }
                if (beatsAll) {
                    lastImproving = j;
                }
            }
            if (lastImproving == i) {
                out.add(IMPROVED);
            } else {
                out.add((i - lastImproving) % patience == 0 ? FIRED : WAITING);
            }
        }
        return out;
    }

    @Test
    void enlargingThePatienceKeepsTheEvaluationsAlreadyWaited() {
        EarlyStopping es = new EarlyStopping(2);
        es.observe(1);
        es.observe(0);
        es.setPatience(4);
        assertEquals(WAITING, es.observe(0));
        assertEquals(WAITING, es.observe(0));
        assertEquals(FIRED, es.observe(0));
        assertEquals(4, es.patience());
    }

    @Test
    void invalidInputIsRejected() {
        assertMessage(() -> new EarlyStopping(0), "patience", "0");
        EarlyStopping es = new EarlyStopping(2);
        assertMessage(() -> es.setPatience(-3), "-3");
        assertMessage(() -> es.observe(Double.NaN), "NaN");
        assertEquals(0, es.evaluations());
    }
}
