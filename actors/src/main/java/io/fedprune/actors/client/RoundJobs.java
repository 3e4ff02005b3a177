package io.fedprune.actors.client;

import io.fedprune.core.compress.UplinkEncoder;
import io.fedprune.core.data.Shard;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.train.TrainTask;
import io.fedprune.core.train.TrainerPool;
import java.util.function.Supplier;

/** A {@link Client}'s plain local round as a job on the trainer pool. */
final class RoundJobs {
    private RoundJobs() {
    }

    /**
     * Decoding and encoding happen on the trainer thread when a worker is free: a client waiting in
     * the queue holds only the shared broadcast bytes, a finished one only its encoded update, and
     * the pool trains in the order the clock will ask for results (due time, then the client's
     * path, then its task), a bounded number ahead of the clock. Seeded by client and task so reruns
     * train identically on any thread. The trainer copies the start parameters into its network, so
     * the task's array stays the start model the upload is measured against. A request's upload
     * plan (TT-Prune) prunes the trained model before it is encoded.
     */
    static TrainerPool.Job<EncodedUpdate> plain(ClientSetup setup, UplinkEncoder uplink, Client.TrainRequest request,
                                                       long dueKey,
                                                       String path, long task, Shard shard, long seed,
                                                       LocalTrainingConfig cfg, Supplier<float[]> start,
                                                       byte[] maskBytes) {
        int length = setup.pool().layout().totalLength();
        return setup.pool().schedule(dueKey, path, task,
                () -> new TrainTask(start.get(), setup.data(), shard.indices(), cfg.epochs(), cfg.maxSteps(),
                        cfg.batchSize(), seed, maskBytes.length == 0 ? null : RequestReader.mask(length, maskBytes)),
                (t, r) -> new EncodedUpdate(uplink.encode(task, t.params(), UploadPlan.prune(request, length,
                        setup.pool().layout(), uplink.payload(), t.params(), r.params())), r.samples(), r.meanLoss()));
    }
}
