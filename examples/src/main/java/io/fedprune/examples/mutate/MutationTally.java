package io.fedprune.examples.mutate;

import java.util.ArrayList;
import java.util.List;

/**
 * What one target (a codec, a Kryo message type) did with its mutated payloads. A mutated payload
 * that differs from the original in any byte must be rejected with the target's documented
 * exception; one that equals it (a no-op mutation, e.g. two equal regions swapped) must decode to
 * the original. {@code resealed*}: the same damage with the checksum recomputed to match it, i.e.
 * what the decoder behind the checksum faces; there a change of a value legitimately decodes, but
 * any exception other than the documented one is still a bug.
 */
public final class MutationTally {
    private static final int EXAMPLES = 5;

    private final String target;
    long mutations;
    long noOps;
    long rejected;
    long acceptedCorruptions;
    long otherExceptions;
    long slowestDecodeNanos;
    Mutation slowestKind;
    long decodeNanos;
    private long[] times = new long[1024];
    private int timed;
    long resealed;
    long resealedRejected;
    long resealedAccepted;
    long resealedOtherExceptions;
    final List<String> problems = new ArrayList<>();

    MutationTally(String target) {
        this.target = target;
    }

    public String target() {
        return target;
    }

    /** Mutated payloads that differ from the original (no-ops come on top, see {@link #noOps}). */
    /**
     * The payload decoded without error: a corruption accepted, unless it was a no-op mutation
     * ({@code same}) that decoded to the original.
     */
    void decoded(Mutation kind, boolean same, java.util.function.BooleanSupplier asOriginal, int length,
                 int originalLength) {
        if (same) {
            noOps++;
            if (!asOriginal.getAsBoolean()) {
                acceptedCorruptions++;
                problem(kind + " no-op decoded to something else");
            }
        } else {
            acceptedCorruptions++;
            problem(kind + " accepted: " + length + " bytes (original " + originalLength + ")");
        }
    }

    /** The documented rejection: right for damage, wrong for a no-op. */
    void refused(Mutation kind, boolean same, String message) {
        if (same) {
            otherExceptions++;
            problem(kind + " no-op rejected: " + message);
        } else {
            rejected++;
        }
    }

    /** A decode that may throw the documented (checked) exception. */
    interface Decode {
        void run() throws Exception;
    }

    /** A damaged payload with a matching checksum: it may decode or be refused, but nothing else may escape. */
    void resealed(Mutation kind, Decode decode, Class<? extends Exception> documented) {
        resealed++;
        try {
            decode.run();
            resealedAccepted++;
        } catch (Exception e) {
            if (documented.isInstance(e)) {
                resealedRejected++;
            } else {
                resealedOtherExceptions++;
                problem("re-sealed " + kind + ": " + e);
            }
        } catch (Error e) {
            resealedOtherExceptions++;
            problem("re-sealed " + kind + ": " + e);
        }
    }

    /** Any other exception. */
    void failed(Mutation kind, Throwable e) {
        otherExceptions++;
        problem(kind + ": " + e);
    }

    public long mutations() {
        return mutations;
    }

    public long noOps() {
        return noOps;
    }

    public long rejected() {
        return rejected;
    }

    /** Mutated payloads (bytes differ from the original) that decoded without exception: must be 0. */
    public long acceptedCorruptions() {
        return acceptedCorruptions;
    }

    /** Exceptions other than the documented rejection type, checksum intact or re-sealed: must be 0. */
    public long otherExceptions() {
        return otherExceptions + resealedOtherExceptions;
    }

    public long slowestDecodeNanos() {
        return slowestDecodeNanos;
    }

    public Mutation slowestKind() {
        return slowestKind;
    }

    public double meanDecodeNanos() {
        return timed == 0 ? 0 : (double) decodeNanos / timed;
    }

    /** The {@code q} quantile (0..1) of the decode times, e.g. 0.999. */
    public long decodeNanosQuantile(double q) {
        if (timed == 0) {
            return 0;
        }
        long[] sorted = java.util.Arrays.copyOf(times, timed);
        java.util.Arrays.sort(sorted);
        return sorted[Math.min(timed - 1, (int) Math.ceil(q * timed) - 1)];
    }

    public long resealed() {
        return resealed;
    }

    public long resealedRejected() {
        return resealedRejected;
    }

    public long resealedAccepted() {
        return resealedAccepted;
    }

    /** The first few accepted corruptions and unexpected exceptions, for the report. */
    public List<String> problems() {
        return List.copyOf(problems);
    }

    public boolean clean() {
        return acceptedCorruptions == 0 && otherExceptions() == 0;
    }

    void timed(long nanos, Mutation kind) {
        decodeNanos += nanos;
        if (timed == times.length) {
            times = java.util.Arrays.copyOf(times, 2 * timed);
        }
        times[timed++] = nanos;
        if (nanos > slowestDecodeNanos) {
            slowestDecodeNanos = nanos;
            slowestKind = kind;
        }
    }

    void problem(String what) {
        if (problems.size() < EXAMPLES) {
            problems.add(what);
        }
    }
}
