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
        return mutations == 0 ? 0 : (double) decodeNanos / mutations;
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
