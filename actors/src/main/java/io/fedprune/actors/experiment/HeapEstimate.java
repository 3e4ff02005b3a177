package io.fedprune.actors.experiment;

import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.train.TrainerPool;

/**
 * A lower bound on the heap a run needs, from what it holds by design: the data, the client
 * actors, the trainer networks, the models in flight (results trained ahead of the clock, one
 * clock wave, and each model version some client still trains from) — so a run that cannot fit
 * says so before it starts instead of dying of OutOfMemoryError halfway.
 *
 * @param dataBytes     train and test features and labels
 * @param clientBytes   client actors (their shards are views, their state small)
 * @param trainerBytes  the trainer networks with their gradients and optimiser state
 * @param inFlightBytes models trained ahead, in one wave, and versions still held by clients
 */
public record HeapEstimate(long dataBytes, long clientBytes, long trainerBytes, long inFlightBytes) {

    /** Heap per client actor, rounded up from `fedprune capacity` (about 1 KB) plus its clock and watch entries. */
    static final long BYTES_PER_CLIENT = 2_048;

    public static HeapEstimate of(Experiment e) {
        ExperimentSettings s = e.settings();
        long data = 4L * (e.train().features().length + e.test().features().length) + 4L * (e.train().size()
                + e.test().size());
        long modelBytes = 4L * e.pool().layout().totalLength();
        int workers = e.pool().workers();
        // parameters, gradients, two optimiser buffers and activations: a few copies each
        long trainers = workers * 6L * modelBytes;
        long ahead = (TrainerPool.AHEAD_PER_WORKER + 1L) * workers + VirtualClock.DEFAULT_MAX_WAVE;
        boolean continuous = e.newStrategy().pacing() instanceof Pacing.Continuous;
        long clients = s.data().clients();
        long versions = continuous ? Math.min(clients, s.stop().maxRounds() > 0 ? s.stop().maxRounds() : clients) : 2;
        if (s.codec().payload() == UplinkPayload.UPDATE) {
            versions *= 2; // the server keeps each version some client holds, decoded once
        }
        return new HeapEstimate(data, clients * BYTES_PER_CLIENT, trainers, (ahead + versions) * modelBytes);
    }

    public long total() {
        return dataBytes + clientBytes + trainerBytes + inFlightBytes;
    }

    /** @throws SettingsException if the estimate exceeds {@code maxHeap} */
    public void check(long maxHeap) {
        if (total() > maxHeap) {
            throw new SettingsException(String.format("this run needs at least %s of heap (data %s, clients %s, "
                            + "trainers %s, models in flight %s) but the JVM may use %s; give it more "
                            + "(FEDPRUNE_JAVA_OPTS=-Xmx%dg) or lower fedprune.data.clients, stop.max-rounds or "
                            + "train.workers", mb(total()), mb(dataBytes), mb(clientBytes), mb(trainerBytes),
                    mb(inFlightBytes), mb(maxHeap), (long) Math.ceil(total() * 1.5 / (1L << 30))));
        }
    }

    private static String mb(long bytes) {
        return String.format("%.0f MB", bytes / 1e6);
    }
}
