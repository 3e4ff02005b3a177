package io.fedprune.actors.client;

import io.fedprune.core.compress.UplinkEncoder;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.personal.LocalAlt;
import io.fedprune.core.personal.PersonalParts;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.LocalAltRound;
import io.fedprune.core.train.LocalTrainer;

/**
 * A client's personal part (ALGORITHMS.md §3): the values of the entries outside its dispatches'
 * global mask, kept across rounds, never put in any message. It starts, like the server's copy, from
 * the run's seeded initial model (every device knows the architecture and the seed). A round's new
 * personal part is adopted only when its upload goes out ({@link #commit}), so a superseded round
 * leaves it as it was. Touched by the actor (begin, commit) and read by one trainer job at a time
 * through the array reference captured at begin: arrays are replaced, never modified.
 */
final class PersonalState {
    private final int id;
    private final ClientSetup setup;
    private PersonalParts parts;
    private float[] values;

    PersonalState(int id, ClientSetup setup) {
        this.id = id;
        this.setup = setup;
    }

    /** Bytes this client holds for its personal part (what a heap estimate must count per client). */
    long bytes() {
        return values == null ? 0 : 4L * values.length;
    }

    /**
     * The work of one LocalAlt round, to run on a trainer: the global part {@code decode} gives (on
     * the trainer thread) under {@code globalMask}, this client's personal part as it is now.
     */
    java.util.function.Function<LocalTrainer, EncodedUpdate> round(long task, java.util.function.Supplier<float[]> decode, Mask globalMask,
                                                                       LocalAltRound alt, int[] shard, long seed,
                                                                       UplinkEncoder uplink) {
        if (parts == null || !parts.global().equals(globalMask)) {
            PersonalParts next = PersonalParts.ofGlobal(globalMask);
            if (parts != null) { // another split: the old personal part no longer fits
                values = null;
            }
            parts = next;
        }
        if (values == null) {
            values = parts.personalOf(setup.pool().initialParameters());
        }
        PersonalParts p = parts;
        float[] personal = values;
        DeviceTests tests = setup.deviceTests();
        return trainer -> {
            float[] received = decode.get();
            Dataset test = tests != null && tests.has(id) ? tests.of(id) : null;
            LocalAlt.Result r = LocalAlt.run(trainer, new LocalAlt.Input(received, personal, p, setup.data(), shard,
                    setup.training().batchSize(), seed, alt, test, tests == null ? 1 : tests.batchSize()));
            return new EncodedUpdate(uplink.encode(task, received, r.upload()), r.samples(), r.meanLoss(),
                    r.personal(), r.deviceAccuracy());
        };
    }

    /** The round whose result this is went out: its personal part is now the device's. */
    void commit(float[] personal) {
        if (personal != null && values != null && personal.length == values.length) {
            values = personal;
        }
    }
}
