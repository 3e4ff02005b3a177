package io.fedprune.core.split;

/**
 * One 64-bit key per (run seed, client, round, step): seeds the dropout mask and tags the step's
 * payloads, so a payload attached to another step is refused and both sides draw the same mask.
 */
public final class StepKey {
    private StepKey() {
    }

    public static long of(long seed, int client, long round, long step) {
        long h = mix(seed ^ 0x5851F42D4C957F2DL);
        h = mix(h ^ client);
        h = mix(h ^ round);
        return mix(h ^ step);
    }

    /** SplitMix64's finalizer: every input bit affects every output bit. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
