package io.fedprune.core.density;

import static io.fedprune.core.density.DensityControllerTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class RestorationScheduleTest {

    @Test
    void stepsOfEachSchedule() {
        RestorationSchedule legacy = new RestorationSchedule.Legacy(0.2);
        assertEquals(0.30000000000000004, legacy.next(0.1));
        assertEquals(1.0, legacy.next(0.85));
        assertEquals(1.0, legacy.next(1.0));
        RestorationSchedule fixed = new RestorationSchedule.Fixed();
        assertEquals(0.2, fixed.next(0.1));
        assertEquals(1.0, fixed.next(0.95));
        RestorationSchedule ladder = new RestorationSchedule.Ladder();
        assertEquals(0.05, ladder.next(0.01));
        assertEquals(0.1, ladder.next(0.05));
        assertEquals(0.2, ladder.next(0.1));
        assertEquals(0.2, ladder.next(0.15));
        assertEquals(0.5, ladder.next(0.2));
        assertEquals(1.0, ladder.next(0.5));
        assertEquals(1.0, ladder.next(0.99));
        assertEquals(1.0, ladder.next(1.0));
        RestorationSchedule.TimeBased time = new RestorationSchedule.TimeBased(70000);
        assertEquals(0.5, time.next(0.3), "time(T) steps along the ladder");
        assertArrayEquals(new double[] {14000, 28000, 42000, 56000, 70000}, time.triggerTimes(), 1e-9);
        assertTrue(time.timeTriggered());
        assertFalse(ladder.timeTriggered() || fixed.timeTriggered() || legacy.timeTriggered());
    }

    @Test
    void everyStepRisesOrStaysAtOneAndNeverPassesOne() {
        SplittableRandom rng = new SplittableRandom(3);
        RestorationSchedule[] all = {new RestorationSchedule.Legacy(0.2), new RestorationSchedule.Legacy(0.01),
            new RestorationSchedule.Fixed(), new RestorationSchedule.Ladder(), new RestorationSchedule.TimeBased(5)};
        for (int k = 0; k < 10_000; k++) {
            double d = k == 0 ? 1.0 : Math.max(Double.MIN_VALUE, rng.nextDouble());
            for (RestorationSchedule s : all) {
                double n = s.next(d);
                assertTrue(n <= 1.0 && (n > d || d == 1.0), s + " next(" + d + ") = " + n);
            }
        }
    }

    @Test
    void parsesEachFormAndPrintsItBack() {
        assertEquals(new RestorationSchedule.Legacy(0.2), RestorationSchedule.parse("legacy"));
        assertEquals(new RestorationSchedule.Legacy(0.3), RestorationSchedule.parse(" legacy( 0.3 ) "));
        assertEquals(new RestorationSchedule.Fixed(), RestorationSchedule.parse("fixed"));
        assertEquals(new RestorationSchedule.Ladder(), RestorationSchedule.parse("ladder"));
        assertEquals(new RestorationSchedule.TimeBased(70000), RestorationSchedule.parse("time(70000)"));
        for (String s : new String[] {"legacy(0.2)", "fixed", "ladder", "time(70000.0)", "legacy(1.0)"}) {
            assertEquals(s, RestorationSchedule.parse(s).canonical());
            assertEquals(RestorationSchedule.parse(s), RestorationSchedule.parse(RestorationSchedule.parse(s).canonical()));
        }
    }

    @Test
    void badSpecsSayWhatIsWrongAndWhatIsExpected() {
        assertMessage(() -> RestorationSchedule.parse("ladders"), "unknown", "'ladders'", "legacy(step)", "time(budget)");
        assertMessage(() -> RestorationSchedule.parse(""), "unknown", "''");
        assertMessage(() -> RestorationSchedule.parse(null), "null", "expected");
        assertMessage(() -> RestorationSchedule.parse("legacy(abc)"), "'legacy(abc)'", "step", "'abc'", "not a number");
        assertMessage(() -> RestorationSchedule.parse("legacy()"), "'legacy()'", "not a number");
        assertMessage(() -> RestorationSchedule.parse("legacy(0)"), "legacy", "(0, 1]", "0.0");
        assertMessage(() -> RestorationSchedule.parse("legacy(1.5)"), "(0, 1]", "1.5");
        assertMessage(() -> RestorationSchedule.parse("legacy(NaN)"), "NaN");
        assertMessage(() -> RestorationSchedule.parse("legacy(0.2"), "'legacy(0.2'", "parentheses");
        assertMessage(() -> RestorationSchedule.parse("legacy(0.2))"), "parentheses");
        assertMessage(() -> RestorationSchedule.parse("fixed(0.1)"), "'fixed(0.1)'", "no argument");
        assertMessage(() -> RestorationSchedule.parse("ladder()"), "ladder takes no argument");
        assertMessage(() -> RestorationSchedule.parse("time"), "'time'", "budget", "time(70000)");
        assertMessage(() -> RestorationSchedule.parse("time(-5)"), "budget", "> 0", "-5.0");
        assertMessage(() -> RestorationSchedule.parse("time(Infinity)"), "finite", "Infinity");
        assertMessage(() -> RestorationSchedule.parse("time(1e3s)"), "time budget", "'1e3s'");
        assertMessage(() -> new RestorationSchedule.Ladder().next(0), "density", "(0, 1]", "0.0");
        assertMessage(() -> new RestorationSchedule.Fixed().next(1.2), "density", "1.2");
    }
}
