package io.fedprune.core.density;

/**
 * The early-stopping trigger of PR-FL's recovery (ALGORITHMS.md §6) on a series where higher is
 * better (validation accuracy): it fires on the {@code patience}-th consecutive evaluation that
 * does not beat the best so far, then re-arms with the best kept, so it fires again after another
 * {@code patience} evaluations without a new best.
 *
 * <p>"Beat" is strictly greater (PR-FL's {@code delta = 0}); the first evaluation is always a new
 * best. Mutable, not thread-safe.
 */
public final class EarlyStopping {

    /** What one evaluation means. */
    public enum Signal {
        /** A new best. */
        IMPROVED,
        /** Not a new best, fewer than {@code patience} in a row so far. */
        WAITING,
        /** The {@code patience}-th evaluation in a row without a new best; the count starts again. */
        FIRED
    }

    private int patience;
    private double best = Double.NaN;
    private int waited;
    private int evaluations;

    /** @param patience evaluations without improvement before firing, >= 1 */
    public EarlyStopping(int patience) {
        setPatience(patience);
    }

    /** @throws IllegalArgumentException if {@code value} is NaN */
    public Signal observe(double value) {
        if (Double.isNaN(value)) {
            throw new IllegalArgumentException("evaluation " + evaluations + " is NaN");
        }
        evaluations++;
        if (Double.isNaN(best) || value > best) {
            best = value;
            waited = 0;
            return Signal.IMPROVED;
        }
        waited++;
        if (waited >= patience) {
            waited = 0;
            return Signal.FIRED;
        }
        return Signal.WAITING;
    }

    public int patience() {
        return patience;
    }

    /**
     * Changes the patience from the next evaluation on; evaluations already waited still count, so
     * lowering it below them fires on the next non-improving evaluation.
     */
    public void setPatience(int patience) {
        if (patience < 1) {
            throw new IllegalArgumentException("patience must be >= 1 evaluation, got " + patience);
        }
        this.patience = patience;
    }

    /** The best value so far, NaN before the first evaluation. */
    public double best() {
        return best;
    }

    /** Non-improving evaluations since the last new best or the last firing. */
    public int waited() {
        return waited;
    }

    public int evaluations() {
        return evaluations;
    }
}
