package io.fedprune.actors.client;

import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.train.TrainerPool;

/** One local round of a {@link Client}: the request, its job on the pool, and what came of it. */
final class LocalRound {
    final Client.TrainRequest request;
    final long computeEndMicros;
    // this round's draw of the device's link rates, and its compute time alone
    final DeviceProfile links;
    final long computeMicros;
    TrainerPool.Job<Client.EncodedUpdate> job;
    Client.EncodedUpdate result;
    Throwable failure;
    boolean due;

    LocalRound(Client.TrainRequest request, long computeEndMicros, DeviceProfile links, long computeMicros) {
        this.request = request;
        this.computeEndMicros = computeEndMicros;
        this.links = links;
        this.computeMicros = computeMicros;
    }

    boolean ready() {
        return result != null || failure != null;
    }

    void release() {
        if (job != null) {
            job.release();
            job = null;
        }
    }
}
