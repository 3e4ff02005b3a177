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
    TrainerPool.Job<EncodedUpdate> job;
    EncodedUpdate result;
    Throwable failure;
    boolean due;

    LocalRound(Client.TrainRequest request, long computeEndMicros, DeviceProfile links, long computeMicros) {
        this.request = request;
        this.computeEndMicros = computeEndMicros;
        this.links = links;
        this.computeMicros = computeMicros;
    }

    /** When a round's parts end, in microseconds from its start: download, download + compute, and its result's due time. */
    record Timing(long download, long compute, long due) {
    }

    /**
     * With a fixed upload size the round's end is the upload's arrival: the update is made just
     * before it is due there and never waits in flight (memory stays bounded however many clients
     * upload at once). Otherwise its size decides the upload time: it ends at compute. On a shared
     * link nobody knows the transfer times in advance: the round ends at compute, and the
     * uncontended download is only the pool's ordering estimate.
     */
    static Timing timing(DeviceProfile links, DeviceProfile device, long downloadBytes, long samples,
                         double computeScale, long uploadBytes, boolean shared) {
        long download = links.downloadMicros(downloadBytes);
        long compute = Math.addExact(download, (long) Math.ceil(device.computeMicros(samples) * computeScale));
        long due = uploadBytes >= 0 && !shared ? Math.addExact(compute, links.uploadMicros(uploadBytes)) : compute;
        return new Timing(download, compute, due);
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
