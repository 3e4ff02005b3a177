package io.fedprune.core.aggregate;

import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.prune.MaskedWidthTraining;
import io.fedprune.core.prune.WidthSlice;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.core.strategy.UniformSelector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * HeteroFL (Diao et al., ICLR 2021; ALGORITHMS.md §8.3): synchronous rounds in which each client
 * trains a width-scaled sub-model of the global one — every hidden layer's first ceil(r·d) units or
 * channels, input and class outputs full ({@link WidthSlice}) — at a model rate r fixed per client
 * ({@link RateAssignment}: by speed, or HeteroFL's "fix" mode by id). Narrower rates are nested in
 * wider ones. After each round every entry is the plain average over the clients whose sub-model
 * contains it, not weighted by samples (HeteroFL's aggregation), and an entry no client of the
 * round covered keeps its value: {@link MaskFedAvg} with all weights 1.
 *
 * <p><b>How a sub-model is trained.</b> A client is sent the full-length model with the slice's
 * coverage as its mask, and trains the full-width network with the entries outside kept at zero.
 * For our networks that is exactly training the narrow network: every hidden layer is ReLU
 * (f(0) = 0), pooling is max pooling, and there is no batch normalization or dropout, so a unit
 * outside the slice outputs 0, feeds nothing forward and receives no gradient that could reach a
 * kept entry ({@link MaskedWidthTraining} checks the model and refuses one where it would not
 * hold). What the narrow network saves is compute, and the dispatch says so: its compute scale is
 * the slice's FLOPs fraction, so the client's compute time shrinks with its width, while the
 * training itself costs the dense network's time on the JVM (virtual time is what counts).
 * The bytes follow the sub-model only with a sparse codec (zeros outside the slice are dropped);
 * a dense downlink sends the full length plus the mask.
 *
 * <p><b>Not here:</b> HeteroFL's Scaler (activations × 1/r while training) and static batch
 * normalization — our networks have no normalization layers; masked cross-entropy for
 * label-split data; "dynamic" rates redrawn every round.
 */
public final class HeteroFl implements Strategy {
    public static final String MEAN_RATE = "mean_rate";
    public static final String COVERAGE = "coverage";

    /**
     * @param fraction            share of registered clients sampled per round, in (0, 1]
     * @param roundDeadlineMicros a round closes this long after it starts (0 = when all answered)
     * @param rates               model rates of the levels, strictly decreasing, each in (0, 1]
     * @param shares              share of the clients at each level (same length as rates, each
     *                            &gt; 0, summing to 1)
     * @param assignment          how clients are ordered before they are split into the shares
     */
    public record Settings(double fraction, long roundDeadlineMicros, List<Double> rates, List<Double> shares,
                           RateAssignment.Mode assignment) {
        static final double SHARE_SUM_TOLERANCE = 1e-6;

        public Settings {
            new FedAvg.Settings(fraction, roundDeadlineMicros); // the same two checks as FedAvg's
            rates = List.copyOf(rates);
            if (rates.isEmpty()) {
                throw new IllegalArgumentException("rates: at least one model rate is needed");
            }
            for (int i = 0; i < rates.size(); i++) {
                double r = rates.get(i);
                if (!(r > 0 && r <= 1)) {
                    throw new IllegalArgumentException("rates: each model rate must be in (0, 1], got " + r);
                }
                if (i > 0 && !(r < rates.get(i - 1))) {
                    throw new IllegalArgumentException("rates: must be strictly decreasing (widest first), got "
                            + rates);
                }
            }
            shares = shares.isEmpty() ? equalShares(rates.size()) : List.copyOf(shares);
            if (shares.size() != rates.size()) {
                throw new IllegalArgumentException("shares: one share per rate (" + rates.size() + "), got "
                        + shares.size() + "; [] for equal shares");
            }
            double sum = 0;
            for (double s : shares) {
                if (!(s > 0 && s <= 1)) {
                    throw new IllegalArgumentException("shares: each share must be in (0, 1], got " + s);
                }
                sum += s;
            }
            if (Math.abs(sum - 1) > SHARE_SUM_TOLERANCE) {
                throw new IllegalArgumentException("shares: must sum to 1, got " + sum);
            }
            java.util.Objects.requireNonNull(assignment, "assignment");
        }

        /** HeteroFL's five levels a–e in equal shares, all clients every round, by speed. */
        public static Settings defaults() {
            return new Settings(1.0, 0, List.of(1.0, 0.5, 0.25, 0.125, 0.0625), List.of(), RateAssignment.Mode.BY_SPEED);
        }

        double[] shareArray() {
            return shares.stream().mapToDouble(Double::doubleValue).toArray();
        }

        private static List<Double> equalShares(int n) {
            Double[] equal = new Double[n];
            Arrays.fill(equal, 1.0 / n);
            return List.of(equal);
        }
    }

    private final Settings settings;
    private final Pacing pacing;
    private final int[] levelOf;
    private final Dispatch[] dispatches;
    private final List<float[]> params = new ArrayList<>();
    private final List<Mask> masks = new ArrayList<>();
    private double rateSum;

    /**
     * @param model   the full-width model the sub-models are cut from
     * @param levelOf each client id's level (index into the rates); ids past its end take the last
     *                level, as HeteroFL pads its rate list
     */
    public HeteroFl(Settings settings, ModelSpec model, int[] levelOf) {
        this.settings = java.util.Objects.requireNonNull(settings, "settings");
        if (model.widthRate() != 1.0) {
            throw new IllegalArgumentException("HeteroFL cuts sub-models from a full-width model, got width rate "
                    + model.widthRate());
        }
        MaskedWidthTraining.requireExact(model);
        this.pacing = Pacing.rounds(new UniformSelector(settings.fraction()), settings.roundDeadlineMicros());
        this.levelOf = levelOf.clone();
        for (int level : levelOf) {
            if (level < 0 || level >= settings.rates().size()) {
                throw new IllegalArgumentException("level " + level + " of " + settings.rates().size() + " rates");
            }
        }
        this.dispatches = new Dispatch[settings.rates().size()];
        for (int level = 0; level < dispatches.length; level++) {
            double rate = settings.rates().get(level);
            if (rate == 1.0) {
                dispatches[level] = Dispatch.global(); // the whole model: shared bytes, no mask to send
            } else {
                WidthSlice slice = WidthSlice.of(model, rate);
                dispatches[level] = Dispatch.masked(slice.coverage()).withComputeScale(slice.flopsFraction());
            }
        }
    }

    @Override
    public String name() {
        return "heterofl";
    }

    @Override
    public Pacing pacing() {
        return pacing;
    }

    @Override
    public List<String> metricNames() {
        return List.of(MEAN_RATE, COVERAGE);
    }

    /** Client {@code clientId}'s model rate. */
    public double rateOf(int clientId) {
        return settings.rates().get(level(clientId));
    }

    @Override
    public Dispatch configure(int clientId, ModelState global) {
        return dispatches[level(clientId)];
    }

    @Override
    public Decision onUpdate(ArrivedUpdate update, ModelState global) {
        params.add(update.params());
        masks.add(update.dispatch().mask());
        rateSum += rateOf(update.clientId());
        return Decision.keep();
    }

    @Override
    public Decision onRoundEnd(RoundOutcome round, ModelState global) {
        if (params.isEmpty()) {
            return Decision.keep();
        }
        double[] counts = new double[params.size()];
        Arrays.fill(counts, 1.0); // count-based: every covering client weighs the same, whatever its samples
        float[] next = MaskFedAvg.aggregate(global.params(), params, masks, counts, 1.0);
        Map<String, Double> metrics = Map.of(MEAN_RATE, rateSum / params.size(), COVERAGE, coverage(next.length));
        params.clear();
        masks.clear();
        rateSum = 0;
        return Decision.publish(next, metrics);
    }

    /** Updates gathered in the round so far. */
    public int pending() {
        return params.size();
    }

    @Override
    public long modelsHeld(int clients) {
        // the round's updates, plus MaskFedAvg's two double accumulators and its result
        return (long) Math.ceil(settings.fraction() * clients) + 5;
    }

    /** Share of the model's entries at least one update of the round covered. */
    private double coverage(int length) {
        Mask union = null;
        for (Mask m : masks) {
            if (m == null) {
                return 1.0;
            }
            union = union == null ? m : union.or(m);
        }
        return union == null ? 0 : (double) union.cardinality() / length;
    }

    private int level(int clientId) {
        return clientId >= 0 && clientId < levelOf.length ? levelOf[clientId] : settings.rates().size() - 1;
    }
}
