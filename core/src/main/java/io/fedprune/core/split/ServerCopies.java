package io.fedprune.core.split;

import java.util.Map;
import java.util.TreeMap;

/**
 * SplitFed V1's server (Thapa et al., ALGORITHMS.md §8.5): a copy of the server part per client,
 * each trained only on its client's batches, and at each round's end the sample-weighted average
 * of the copies that trained becomes every copy. The copies are float arrays (parameters and
 * optimizer state); one network computes all of them in turn, so which copy is computed first
 * does not change any copy. A copy exists only for a client that sent a batch this round: between
 * rounds the server holds the average alone. The optimizer state of the copies is dropped at the
 * round's end (a copy restarts from the average with a fresh state, as a FedAvg client does).
 */
public final class ServerCopies implements ServerTraining {
    private final ServerSide side;
    private float[] average;
    private final Map<Integer, Copy> copies = new TreeMap<>();

    private static final class Copy {
        float[] params;
        float[] state = new float[0];
        int iterations;
        long samples;

        Copy(float[] params) {
            this.params = params;
        }
    }

    /** @param side the network, dropout and downlink codec every copy is computed with; its parameters are the start */
    public ServerCopies(ServerSide side) {
        this.side = side;
        this.average = side.part().parameters();
    }

    @Override
    public ServerSide.Result step(int client, long round, long step, int batch, byte[] payload) {
        Copy c = copies.get(client);
        ServerPart part = side.part();
        part.setParameters(c == null ? average : c.params);
        part.setOptimizerState(c == null ? new float[0] : c.state);
        part.setIterationCount(c == null ? 0 : c.iterations);
        ServerSide.Result r = side.step(client, round, step, batch, payload); // throws before any change
        Copy now = c != null ? c : new Copy(null);
        now.params = part.parameters();
        now.state = part.optimizerState();
        now.iterations = part.iterationCount();
        now.samples += batch;
        copies.put(client, now);
        return r;
    }

    /** The sample-weighted mean of this round's copies becomes the server part (in double, in client order). */
    @Override
    public void endRound(long round) {
        long total = 0;
        for (Copy c : copies.values()) {
            total += c.samples;
        }
        if (total == 0) {
            copies.clear();
            return;
        }
        double[] sum = new double[average.length];
        for (Copy c : copies.values()) {
            double w = (double) c.samples / total;
            for (int i = 0; i < sum.length; i++) {
                sum[i] += w * c.params[i];
            }
        }
        float[] next = new float[sum.length];
        for (int i = 0; i < sum.length; i++) {
            next[i] = (float) sum[i];
        }
        average = next;
        copies.clear();
    }

    /** Copies held now (clients that trained since the last round's end). */
    public int copies() {
        return copies.size();
    }

    @Override
    public float[] parameters() {
        return average.clone();
    }

    @Override
    public long layoutFingerprint() {
        return side.layoutFingerprint();
    }

    @Override
    public boolean perClientCopies() {
        return true;
    }

    @Override
    public void close() {
        side.close();
    }
}
