package io.fedprune.actors.testkit;

import io.fedprune.core.server.ServerStats;
import java.util.Map;

/**
 * A global model version as a test sees it: decoded parameters, the server's counts and the
 * strategy's metrics.
 *
 * @param atMicros clock time at publication (virtual time under a virtual clock)
 */
public record Published(long version, float[] params, ServerStats stats, Map<String, Double> metrics, boolean last,
                        long atMicros) {

    /** Updates behind this version (in a round: the clients that answered). */
    public int participants() {
        return stats.participants();
    }

    /** Updates accepted so far. */
    public long accepted() {
        return stats.accepted();
    }

    /** Updates rejected so far (corrupt, wrong shape, non-finite, replayed, claiming too many samples). */
    public long rejected() {
        return stats.rejected();
    }

    /** The largest |params[i] - expected[i]|. */
    public double maxDistanceTo(float[] expected) {
        if (expected.length != params.length) {
            throw new AssertionError("version " + version + " has " + params.length + " parameters, expected "
                    + expected.length);
        }
        double max = 0;
        for (int i = 0; i < params.length; i++) {
            max = Math.max(max, Math.abs((double) params[i] - expected[i]));
        }
        return max;
    }

    /** @throws AssertionError unless every parameter is within {@code tolerance} of {@code expected} */
    public Published assertCloseTo(float[] expected, double tolerance) {
        double d = maxDistanceTo(expected);
        if (!(d <= tolerance)) {
            throw new AssertionError("version " + version + " is " + d + " from the expected model (tolerance "
                    + tolerance + ")");
        }
        return this;
    }

    /** @throws AssertionError if a parameter is NaN or infinite */
    public Published assertFinite() {
        for (int i = 0; i < params.length; i++) {
            if (!Float.isFinite(params[i])) {
                throw new AssertionError("version " + version + ": parameter " + i + " is " + params[i]);
            }
        }
        return this;
    }
}
