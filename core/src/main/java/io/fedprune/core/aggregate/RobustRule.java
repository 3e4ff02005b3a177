package io.fedprune.core.aggregate;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * How a round's updates become the next model when some clients may be malicious (scaled,
 * sign-flipped or otherwise poisoned updates that pass validation): the sample-weighted mean
 * (FedAvg), the coordinate-wise median, the coordinate-wise trimmed mean (Yin et al. 2018), or the
 * mean of updates whose change to the model is clipped to an L2 norm (norm clipping, as in DP-FedAvg
 * and Sun et al. 2019). Parsed from {@code mean}, {@code median}, {@code trimmed-mean(0.2)},
 * {@code clip(5.0)}.
 */
public sealed interface RobustRule {

    /** The next model from the round's updates (in arrival order) and their sample counts. */
    float[] aggregate(float[] global, List<float[]> params, double[] samples);

    /** The rule as configuration text. */
    String canonical();

    /** True if it needs only running sums (no update has to be kept until the round ends). */
    default boolean streaming() {
        return false;
    }

    /** Sample-weighted mean: plain FedAvg. */
    record Mean() implements RobustRule {
        @Override
        public float[] aggregate(float[] global, List<float[]> params, double[] samples) {
            double total = 0;
            double[] sum = new double[global.length];
            for (int k = 0; k < params.size(); k++) {
                float[] p = params.get(k);
                for (int j = 0; j < sum.length; j++) {
                    sum[j] += samples[k] * p[j];
                }
                total += samples[k];
            }
            float[] out = new float[sum.length];
            for (int j = 0; j < out.length; j++) {
                out[j] = (float) (sum[j] / total);
            }
            return out;
        }

        @Override
        public String canonical() {
            return "mean";
        }

        @Override
        public boolean streaming() {
            return true;
        }
    }

    /** Per coordinate, the median of the updates' values (unweighted; the mean of the middle two for an even count). */
    record Median() implements RobustRule {
        @Override
        public float[] aggregate(float[] global, List<float[]> params, double[] samples) {
            return TrimmedMean.byCoordinate(global.length, params, (column, n) -> n % 2 == 1 ? column[n / 2]
                    : (float) (((double) column[n / 2 - 1] + column[n / 2]) / 2));
        }

        @Override
        public String canonical() {
            return "median";
        }
    }

    /**
     * Per coordinate, the mean after dropping the ⌊trim·n⌋ largest and as many smallest values.
     *
     * @param trim the share dropped at each end, in [0, 0.5)
     */
    record TrimmedMean(double trim) implements RobustRule {
        public TrimmedMean {
            if (!(trim >= 0 && trim < 0.5)) {
                throw new IllegalArgumentException("trimmed-mean share must be in [0, 0.5), got " + trim);
            }
        }

        @Override
        public float[] aggregate(float[] global, List<float[]> params, double[] samples) {
            int n = params.size();
            int cut = (int) Math.floor(trim * n);
            return byCoordinate(global.length, params, (column, size) -> {
                double sum = 0;
                for (int k = cut; k < size - cut; k++) {
                    sum += column[k];
                }
                return (float) (sum / (size - 2 * cut));
            });
        }

        @Override
        public String canonical() {
            return "trimmed-mean(" + trim + ")";
        }

        interface SortedColumn {
            float value(float[] sorted, int n);
        }

        static float[] byCoordinate(int length, List<float[]> params, SortedColumn f) {
            int n = params.size();
            float[] column = new float[n];
            float[] out = new float[length];
            for (int j = 0; j < length; j++) {
                for (int k = 0; k < n; k++) {
                    column[k] = params.get(k)[j];
                }
                Arrays.sort(column);
                out[j] = f.value(column, n);
            }
            return out;
        }
    }

    /**
     * The sample-weighted mean of the updates' changes to the model, each change first scaled down
     * to an L2 norm of at most {@code bound}.
     */
    record Clipped(double bound) implements RobustRule {
        public Clipped {
            if (!(bound > 0 && Double.isFinite(bound))) {
                throw new IllegalArgumentException("clip bound must be a positive number, got " + bound);
            }
        }

        @Override
        public float[] aggregate(float[] global, List<float[]> params, double[] samples) {
            double[] sum = new double[global.length];
            double total = 0;
            for (int k = 0; k < params.size(); k++) {
                float[] p = params.get(k);
                double norm = 0;
                for (int j = 0; j < global.length; j++) {
                    double d = (double) p[j] - global[j];
                    norm += d * d;
                }
                norm = Math.sqrt(norm);
                double scale = norm > bound ? bound / norm : 1.0;
                for (int j = 0; j < global.length; j++) {
                    sum[j] += samples[k] * scale * ((double) p[j] - global[j]);
                }
                total += samples[k];
            }
            float[] out = new float[global.length];
            for (int j = 0; j < out.length; j++) {
                out[j] = (float) (global[j] + sum[j] / total);
            }
            return out;
        }

        @Override
        public String canonical() {
            return "clip(" + bound + ")";
        }
    }

    /** Parses {@code mean}, {@code median}, {@code trimmed-mean(share)} or {@code clip(bound)}. */
    static RobustRule parse(String spec) {
        String s = spec.trim().toLowerCase(Locale.ROOT).replace(" ", "");
        try {
            if (s.equals("mean")) {
                return new Mean();
            }
            if (s.equals("median")) {
                return new Median();
            }
            if (s.startsWith("trimmed-mean(") && s.endsWith(")")) {
                return new TrimmedMean(Double.parseDouble(s.substring(13, s.length() - 1)));
            }
            if (s.startsWith("clip(") && s.endsWith(")")) {
                return new Clipped(Double.parseDouble(s.substring(5, s.length() - 1)));
            }
        } catch (NumberFormatException e) {
            // the message below says what is expected
        }
        throw new IllegalArgumentException("unknown aggregation rule '" + spec
                + "', expected mean, median, trimmed-mean(share in [0, 0.5)) or clip(bound > 0)");
    }
}
