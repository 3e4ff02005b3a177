package io.fedprune.core.density;

import java.util.List;

/**
 * How far, and on which trigger, recovery raises the density floors (FedGMR's restoration
 * schedules, ALGORITHMS.md §7; {@code legacy} is PR-FL's, §6). Written as a spec string:
 *
 * <ul>
 *   <li>{@code legacy} or {@code legacy(Δ)}: {@code min(ρ + Δ, 1)}, Δ in (0, 1], default 0.2;</li>
 *   <li>{@code fixed}: {@code min(ρ + 0.1, 1)};</li>
 *   <li>{@code ladder}: the next of 0.05, 0.1, 0.2, 0.5, 1.0 strictly above ρ;</li>
 *   <li>{@code time(T)}: the ladder step, triggered not by early stopping but at the fractions
 *       0.2, 0.4, 0.6, 0.8 and 1.0 of a time budget T (same unit as the caller's clock).</li>
 * </ul>
 *
 * The first three are triggered by early stopping on the validation accuracy.
 */
public sealed interface RestorationSchedule {

    /** The rungs of {@code ladder} and {@code time(T)}, ascending. */
    List<Double> LADDER = List.of(0.05, 0.1, 0.2, 0.5, 1.0);

    /** Where {@code time(T)} triggers, as fractions of T, ascending. */
    List<Double> TIME_FRACTIONS = List.of(0.2, 0.4, 0.6, 0.8, 1.0);

    /** The floor after a trigger for a client now at density {@code density} (in (0, 1]); at most 1. */
    double next(double density);

    /** Whether this schedule triggers on clock time ({@code time(T)}) rather than by early stopping. */
    default boolean timeTriggered() {
        return false;
    }

    /** The spec string this schedule parses from, e.g. {@code legacy(0.2)}. */
    String canonical();

    /** {@code legacy(Δ)}. */
    record Legacy(double step) implements RestorationSchedule {
        public static final double DEFAULT_STEP = 0.2;

        public Legacy {
            if (!(step > 0 && step <= 1)) {
                throw new IllegalArgumentException("legacy restoration step must be in (0, 1], got " + step);
            }
        }

        @Override
        public double next(double density) {
            return Math.min(checked(density) + step, 1.0);
        }

        @Override
        public String canonical() {
            return "legacy(" + step + ")";
        }
    }

    /** {@code fixed}: +0.1. */
    record Fixed() implements RestorationSchedule {
        public static final double STEP = 0.1;

        @Override
        public double next(double density) {
            return Math.min(checked(density) + STEP, 1.0);
        }

        @Override
        public String canonical() {
            return "fixed";
        }
    }

    /** {@code ladder}. */
    record Ladder() implements RestorationSchedule {
        @Override
        public double next(double density) {
            return nextRung(density);
        }

        @Override
        public String canonical() {
            return "ladder";
        }
    }

    /** {@code time(T)}: the ladder step at {@link #TIME_FRACTIONS} of {@code budget}. */
    record TimeBased(double budget) implements RestorationSchedule {
        public TimeBased {
            if (!(budget > 0 && budget < Double.POSITIVE_INFINITY)) {
                throw new IllegalArgumentException("time restoration budget must be finite and > 0, got " + budget);
            }
        }

        @Override
        public double next(double density) {
            return nextRung(density);
        }

        @Override
        public boolean timeTriggered() {
            return true;
        }

        /** The clock times of the triggers, ascending; the last one is the budget itself. */
        public double[] triggerTimes() {
            double[] t = new double[TIME_FRACTIONS.size()];
            for (int k = 0; k < t.length; k++) {
                t[k] = TIME_FRACTIONS.get(k) * budget;
            }
            return t;
        }

        @Override
        public String canonical() {
            return "time(" + budget + ")";
        }
    }

    /**
     * Parses {@code legacy}, {@code legacy(Δ)}, {@code fixed}, {@code ladder} or {@code time(T)}
     * (surrounding blanks ignored).
     *
     * @throws IllegalArgumentException naming the spec and what was expected
     */
    static RestorationSchedule parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("restoration schedule is null; " + expected());
        }
        String s = spec.strip();
        int open = s.indexOf('(');
        String name = open < 0 ? s : s.substring(0, open).strip();
        String arg = null;
        if (open >= 0) {
            if (!s.endsWith(")") || s.indexOf(')') != s.length() - 1) {
                throw new IllegalArgumentException("restoration schedule '" + spec + "': unbalanced parentheses; "
                        + expected());
            }
            arg = s.substring(open + 1, s.length() - 1).strip();
        }
        switch (name) {
            case "legacy":
                return new Legacy(arg == null ? Legacy.DEFAULT_STEP : number(spec, arg, "step Δ"));
            case "fixed":
            case "ladder":
                if (arg != null) {
                    throw new IllegalArgumentException("restoration schedule '" + spec + "': " + name
                            + " takes no argument; " + expected());
                }
                return name.equals("fixed") ? new Fixed() : new Ladder();
            case "time":
                if (arg == null) {
                    throw new IllegalArgumentException("restoration schedule '" + spec
                            + "': time needs its budget, e.g. time(70000)");
                }
                return new TimeBased(number(spec, arg, "time budget"));
            default:
                throw new IllegalArgumentException("unknown restoration schedule '" + spec + "'; " + expected());
        }
    }

    private static double number(String spec, String arg, String what) {
        try {
            return Double.parseDouble(arg);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("restoration schedule '" + spec + "': " + what + " '" + arg
                    + "' is not a number");
        }
    }

    private static double nextRung(double density) {
        checked(density);
        for (double rung : LADDER) {
            if (rung > density) {
                return rung;
            }
        }
        return 1.0;
    }

    private static double checked(double density) {
        DensityController.checkDensity("density", density);
        return density;
    }

    private static String expected() {
        return "expected legacy, legacy(step), fixed, ladder or time(budget)";
    }
}
