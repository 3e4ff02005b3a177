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
 * @param clientBytes   client actors (their shards are views), the state a strategy has them keep
 *                      (a personal part each) and their own test splits' indices
 * @param trainerBytes  the trainer networks with their gradients and optimiser state
 * @param inFlightBytes models trained ahead, in one wave, versions still held by clients, and what
 *                      the strategy keeps (a buffer of one model per client for PR-FL)
 */
public record HeapEstimate(long dataBytes, long clientBytes, long trainerBytes, long inFlightBytes) {

    /** Heap per client actor, rounded up from `fedprune capacity` (about 1 KB) plus its clock and watch entries. */
    static final long BYTES_PER_CLIENT = 2_048;

    public static HeapEstimate of(Experiment e) {
        return of(e, g1RegionBytes());
    }

    /**
     * @param regionBytes the G1 heap region size (0 if another collector): an array of half a region
     *                    or more is "humongous" and occupies whole regions, so a 636 KB model takes
     *                    1 MB in a 1 GB heap (1 MB regions) but only its size in a 4 GB one
     */
    public static HeapEstimate of(Experiment e, long regionBytes) {
        ExperimentSettings s = e.settings();
        long data = 4L * (e.train().features().length + e.test().features().length) + 4L * (e.train().size()
                + e.test().size());
        long modelBytes = heapSize(4L * e.pool().layout().totalLength(), regionBytes);
        int workers = e.pool().workers();
        // parameters, gradients, two optimiser buffers and activations: a few copies each
        long trainers = workers * 6L * modelBytes;
        long ahead = (TrainerPool.AHEAD_PER_WORKER + 1L) * workers + VirtualClock.DEFAULT_MAX_WAVE;
        io.fedprune.core.strategy.Strategy strategy = e.newStrategy();
        boolean continuous = strategy.pacing() instanceof Pacing.Continuous;
        long clients = s.data().clients();
        long versions = continuous ? Math.min(clients, s.stop().maxRounds() > 0 ? s.stop().maxRounds() : clients) : 2;
        if (s.codec().payload() == UplinkPayload.UPDATE) {
            versions *= 2; // the server keeps each version some client holds, decoded once
        }
        long strategyModels = strategy.modelsHeld(s.data().clients());
        long perClient = BYTES_PER_CLIENT + 4L * strategy.clientStateParams() + 4L * s.eval().deviceTestSamples();
        // a worker scoring a device's split holds a copy of it while it does
        long deviceTestCopies = workers * 4L * s.eval().deviceTestSamples() * (e.test().featureSize() + 1);
        return new HeapEstimate(data, clients * perClient, trainers,
                (ahead + versions + strategyModels) * modelBytes + deviceTestCopies);
    }

    static long heapSize(long arrayBytes, long regionBytes) {
        if (regionBytes <= 0 || arrayBytes < regionBytes / 2) {
            return arrayBytes;
        }
        return (arrayBytes + regionBytes - 1) / regionBytes * regionBytes;
    }

    /** G1's region size in this JVM, or 0. */
    static long g1RegionBytes() {
        try {
            com.sun.management.HotSpotDiagnosticMXBean vm = java.lang.management.ManagementFactory
                    .getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            if (!Boolean.parseBoolean(vm.getVMOption("UseG1GC").getValue())) {
                return 0;
            }
            return Long.parseLong(vm.getVMOption("G1HeapRegionSize").getValue());
        } catch (RuntimeException e) {
            return 0; // not HotSpot: no region rounding known
        }
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
