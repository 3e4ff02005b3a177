package io.fedprune.core.system;

/**
 * One client device as the simulator sees it: how fast it computes and how fast its links are.
 * Virtual time is kept in long microseconds, so the {@code *Micros} methods are what the scheduler
 * uses; the {@code *Seconds} methods are the exact model values for analysis and logs.
 *
 * @param id              client id, 0..N-1 within a fleet
 * @param cpuHz           CPU cycles per second available for local training
 * @param cyclesPerSample CPU cycles to process one training sample (one forward+backward pass)
 * @param uplinkBps       device-to-server rate in bits per second
 * @param downlinkBps     server-to-device rate in bits per second
 */
public record DeviceProfile(int id, double cpuHz, double cyclesPerSample, double uplinkBps, double downlinkBps) {

    public DeviceProfile {
        if (id < 0) {
            throw new IllegalArgumentException("id must be >= 0, got " + id);
        }
        Checks.positiveFinite("cpuHz", cpuHz);
        Checks.positiveFinite("cyclesPerSample", cyclesPerSample);
        Checks.positiveFinite("uplinkBps", uplinkBps);
        Checks.positiveFinite("downlinkBps", downlinkBps);
    }

    /** Seconds to process {@code samples} training samples (samples x epochs for several epochs). */
    public double computeSeconds(long samples) {
        Checks.nonNegative("samples", samples);
        return samples * cyclesPerSample / cpuHz;
    }

    /** Seconds to send {@code bytes} to the server. */
    public double uploadSeconds(long bytes) {
        Checks.nonNegative("bytes", bytes);
        return bytes * 8.0 / uplinkBps;
    }

    /** Seconds to receive {@code bytes} from the server. */
    public double downloadSeconds(long bytes) {
        Checks.nonNegative("bytes", bytes);
        return bytes * 8.0 / downlinkBps;
    }

    /** {@link #computeSeconds} rounded up to whole microseconds of virtual time. */
    public long computeMicros(long samples) {
        return Checks.ceilMicros(computeSeconds(samples));
    }

    /** {@link #uploadSeconds} rounded up to whole microseconds of virtual time. */
    public long uploadMicros(long bytes) {
        return Checks.ceilMicros(uploadSeconds(bytes));
    }

    /** {@link #downloadSeconds} rounded up to whole microseconds of virtual time. */
    public long downloadMicros(long bytes) {
        return Checks.ceilMicros(downloadSeconds(bytes));
    }
}
