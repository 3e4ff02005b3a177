package io.fedprune.core.data;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Label-skewed split (Hsu et al. 2019, the usual "Dirichlet(alpha)" non-IID benchmark): for each class
 * independently, draw client proportions p ~ Dirichlet(alpha, ..., alpha) and hand that class's shuffled
 * samples out in those proportions. Small alpha (0.1) gives each client few dominant classes, large
 * alpha (100) approaches IID.
 *
 * <p>Small alpha can leave a client with (almost) nothing, which breaks local training, so the whole
 * draw is repeated until every client has at least {@code minSamplesPerClient} samples; after
 * {@value #MAX_ATTEMPTS} failed draws it gives up with a message saying which knob to turn.
 *
 * @param alpha               Dirichlet concentration, > 0
 * @param minSamplesPerClient every client gets at least this many samples, >= 0
 */
public record DirichletPartitioner(double alpha, int minSamplesPerClient) implements Partitioner {

    /** The minimum client size used when none is given (and by {@link Partitioners#parse(String)}). */
    public static final int DEFAULT_MIN_SAMPLES = 10;
    /** Redraws before giving up. */
    public static final int MAX_ATTEMPTS = 1000;

    public DirichletPartitioner {
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("Dirichlet alpha must be a finite number > 0 but was " + alpha);
        }
        if (minSamplesPerClient < 0) {
            throw new IllegalArgumentException("minSamplesPerClient must be >= 0 but was " + minSamplesPerClient);
        }
    }

    /** With the default minimum of {@value #DEFAULT_MIN_SAMPLES} samples per client. */
    public DirichletPartitioner(double alpha) {
        this(alpha, DEFAULT_MIN_SAMPLES);
    }

    @Override
    public List<Shard> partition(int[] labels, int numClasses, int numClients, long seed) {
        PartitionSupport.validate(labels, numClasses, numClients);
        if ((long) numClients * minSamplesPerClient > labels.length) {
            throw new IllegalArgumentException(describe() + " cannot give each of " + numClients + " clients at least "
                    + minSamplesPerClient + " samples: only " + labels.length + " samples in total; lower the minimum"
                    + " (MIN in dirichlet(ALPHA, MIN)) or use fewer clients");
        }
        int[][] byClass = PartitionSupport.indicesByClass(labels, numClasses);
        // One generator for all attempts: a retry continues the same stream, so the outcome is still a
        // pure function of the seed.
        SplittableRandom rng = new SplittableRandom(seed);
        double[] proportions = new double[numClients];
        int[] clientSizes = new int[numClients];
        int[][] cuts = new int[numClasses][numClients + 1];
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Arrays.fill(clientSizes, 0);
            for (int c = 0; c < numClasses; c++) {
                int[] idx = byClass[c];
                Shuffle.inPlace(idx, rng);
                Gamma.dirichlet(alpha, rng, proportions);
                // Cut points from cumulative proportions: monotone, and the last is exactly the class size,
                // so every sample is assigned once whatever the rounding.
                int[] cut = cuts[c];
                double cumulative = 0;
                cut[0] = 0;
                for (int k = 0; k < numClients; k++) {
                    cumulative += proportions[k];
                    cut[k + 1] = k == numClients - 1 ? idx.length
                            : (int) Math.min(idx.length, Math.round(cumulative * idx.length));
                    clientSizes[k] += cut[k + 1] - cut[k];
                }
            }
            if (smallest(clientSizes) >= minSamplesPerClient) {
                return assemble(byClass, cuts, clientSizes);
            }
        }
        throw new IllegalArgumentException(describe() + " could not give every one of " + numClients
                + " clients at least " + minSamplesPerClient + " samples (of " + labels.length + ") in " + MAX_ATTEMPTS
                + " attempts; raise alpha, lower the minimum (MIN in dirichlet(ALPHA, MIN)) or use fewer clients");
    }

    private static int smallest(int[] a) {
        int min = Integer.MAX_VALUE;
        for (int v : a) {
            min = Math.min(min, v);
        }
        return min;
    }

    private static List<Shard> assemble(int[][] byClass, int[][] cuts, int[] clientSizes) {
        int numClients = clientSizes.length;
        int[][] perClient = new int[numClients][];
        int[] fill = new int[numClients];
        for (int k = 0; k < numClients; k++) {
            perClient[k] = new int[clientSizes[k]];
        }
        for (int c = 0; c < byClass.length; c++) {
            for (int k = 0; k < numClients; k++) {
                int len = cuts[c][k + 1] - cuts[c][k];
                System.arraycopy(byClass[c], cuts[c][k], perClient[k], fill[k], len);
                fill[k] += len;
            }
        }
        return PartitionSupport.toShards(perClient);
    }

    @Override
    public String describe() {
        return minSamplesPerClient == DEFAULT_MIN_SAMPLES
                ? "dirichlet(" + alpha + ")"
                : "dirichlet(" + alpha + ", " + minSamplesPerClient + ")";
    }
}
