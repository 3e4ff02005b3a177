package io.fedprune.core.aggregate;

/**
 * Down-weights an update by how many global versions passed since its client started
 * (FedAsync, Xie et al. 2019; reused by FedBuff and PR-FL). s(0) = 1 and s never increases.
 */
public interface StalenessFunction {

    double weight(long staleness);

    String describe();

    /** s = 1. */
    static StalenessFunction constant() {
        return new Constant();
    }

    /** s = (staleness + 1)^(-a). */
    static StalenessFunction polynomial(double a) {
        return new Polynomial(a);
    }

    /** s = 1 if staleness <= b, else 1 / (a (staleness - b) + 1). */
    static StalenessFunction hinge(double a, double b) {
        return new Hinge(a, b);
    }

    /** Parses "constant", "polynomial(0.5)", "hinge(10, 4)". */
    static StalenessFunction parse(String spec) {
        String s = spec.trim().toLowerCase(java.util.Locale.ROOT).replace(" ", "");
        try {
            if (s.equals("constant")) {
                return constant();
            }
            if (s.startsWith("polynomial(") && s.endsWith(")")) {
                return polynomial(Double.parseDouble(s.substring(11, s.length() - 1)));
            }
            if (s.startsWith("hinge(") && s.endsWith(")")) {
                String[] ab = s.substring(6, s.length() - 1).split(",", -1);
                if (ab.length == 2) {
                    return hinge(Double.parseDouble(ab[0]), Double.parseDouble(ab[1]));
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException("unknown staleness function '" + spec
                + "', expected constant, polynomial(a) or hinge(a, b)");
    }

    record Constant() implements StalenessFunction {
        @Override
        public double weight(long staleness) {
            check(staleness);
            return 1.0;
        }

        @Override
        public String describe() {
            return "constant";
        }
    }

    record Polynomial(double a) implements StalenessFunction {
        public Polynomial {
            if (!(a >= 0) || Double.isInfinite(a)) {
                throw new IllegalArgumentException("polynomial staleness exponent a must be >= 0, got " + a);
            }
        }

        @Override
        public double weight(long staleness) {
            check(staleness);
            return Math.pow(staleness + 1.0, -a);
        }

        @Override
        public String describe() {
            return "polynomial(" + a + ")";
        }
    }

    record Hinge(double a, double b) implements StalenessFunction {
        public Hinge {
            if (!(a >= 0) || !(b >= 0) || Double.isInfinite(a) || Double.isInfinite(b)) {
                throw new IllegalArgumentException("hinge staleness needs a >= 0 and b >= 0, got a=" + a + " b=" + b);
            }
        }

        @Override
        public double weight(long staleness) {
            check(staleness);
            return staleness <= b ? 1.0 : 1.0 / (a * (staleness - b) + 1.0);
        }

        @Override
        public String describe() {
            return "hinge(" + a + ", " + b + ")";
        }
    }

    private static void check(long staleness) {
        if (staleness < 0) {
            throw new IllegalArgumentException("staleness must be >= 0, got " + staleness
                    + " (an update claims a base version newer than the global model)");
        }
    }
}
