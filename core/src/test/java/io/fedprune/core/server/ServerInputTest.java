package io.fedprune.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.aggregate.FedBuff;
import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A server is a function of its inputs: folding what one server recorded into a fresh one built
 * the same way gives back its model, version, strategy state, random-number state, holdings, byte
 * counts and statistics; and an update it already accepted is refused after the fold.
 */
class ServerInputTest {
    static final int W = 16;
    static final WireCodec CODEC = new DenseFloat32Codec(W, 7);

    static FederatedServer server(Strategy strategy) {
        float[] initial = new float[W];
        for (int i = 0; i < W; i++) {
            initial[i] = i * 0.25f;
        }
        return new FederatedServer(strategy, initial, new FederatedServer.Codecs(CODEC, spec -> CODEC, CODEC,
                UplinkPayload.MODEL), SampleBound.atMost(100), 11, false);
    }

    static byte[] randomModel(SplittableRandom rng) {
        float[] p = new float[W];
        for (int i = 0; i < W; i++) {
            p[i] = (float) rng.nextGaussian();
        }
        return CODEC.encode(p);
    }

    /** FedBuff (state: its buffer and momentum) driven by seeded random arrivals, answers and dropouts. */
    static List<ServerInput> driveFedBuff(FederatedServer server, int steps, long seed) {
        List<ServerInput> recorded = new ArrayList<>();
        server.recordInputs(recorded::add);
        SplittableRandom rng = new SplittableRandom(seed);
        List<Assignment> held = new ArrayList<>();
        for (int c = 0; c < 5; c++) {
            held.add(server.assign(c, 0));
        }
        for (int t = 1; t <= steps; t++) {
            Assignment a = held.remove(rng.nextInt(held.size()));
            long now = t * 1000L;
            if (rng.nextInt(10) == 0) {
                server.onFailed(a.clientId(), a.version(), a.round());
            } else {
                server.onUpdate(new IncomingUpdate(a.clientId(), a.version(), a.round(), randomModel(rng),
                        1 + rng.nextInt(100), rng.nextDouble()), now);
            }
            held.add(server.assign(a.clientId(), now));
        }
        return recorded;
    }

    @Test
    void foldingTheRecordedInputsGivesBackEveryPartOfTheServer() {
        Supplier<Strategy> fedbuff = () -> new FedBuff(new FedBuff.Settings(3, 0.8, 0.5,
                StalenessFunction.polynomial(0.5)));
        FederatedServer original = server(fedbuff.get());
        List<ServerInput> journal = driveFedBuff(original, 60, 5);
        assertTrue(original.version() > 5, "the run published versions");

        FederatedServer recovered = server(fedbuff.get());
        ServerInput.fold(recovered, journal);
        assertState(original, recovered);

        // both go on identically: the momentum, the buffer and what each client holds came back too
        List<ServerInput> tail = new ArrayList<>();
        original.recordInputs(tail::add);
        for (int c = 0; c < 5; c++) {
            assertEquals(original.holdsWork(c), recovered.holdsWork(c));
        }
        for (int c = 0; c < 5; c++) {
            Assignment a = original.assign(c, 90_000);
            Assignment b = recovered.assign(c, 90_000);
            assertArrayEquals(a.model(), b.model());
            IncomingUpdate u = new IncomingUpdate(c, a.version(), a.round(), randomModel(new SplittableRandom(c)), 10, 0);
            original.onUpdate(u, 91_000 + c);
            recovered.onUpdate(u, 91_000 + c);
        }
        assertState(original, recovered);
    }

    @Test
    void roundsStragglersStaleUpdatesAndDropoutsFoldToo() {
        Supplier<Strategy> fedavg = () -> new FedAvg(new FedAvg.Settings(0.6, 0));
        FederatedServer original = server(fedavg.get());
        List<ServerInput> journal = new ArrayList<>();
        original.recordInputs(journal::add);
        SplittableRandom rng = new SplittableRandom(3);
        for (int r = 0; r < 6; r++) {
            List<Integer> selected = original.startRound(List.of(0, 1, 2, 3, 4, 5));
            List<Assignment> work = selected.stream().map(id -> original.assign(id, 0)).toList();
            Assignment late = work.get(work.size() - 1);
            for (Assignment a : work.subList(0, work.size() - 1)) {
                original.onUpdate(new IncomingUpdate(a.clientId(), a.version(), a.round(), randomModel(rng), 50, 0.1), 5);
            }
            original.onStraggler(late.clientId());
            original.onRoundEnd(new RoundOutcome(original.round(), work.size(), work.size() - 1, 0, 0, 1));
            original.onStale(new IncomingUpdate(late.clientId(), late.version(), late.round(), randomModel(rng), 50, 0.1));
        }
        original.assign(5, 7);
        original.onDropped(5);
        FederatedServer recovered = server(fedavg.get());
        ServerInput.fold(recovered, journal);
        assertState(original, recovered);
        // the selector's random-number state came back: the next rounds pick the same clients
        assertEquals(original.startRound(List.of(0, 1, 2, 3, 4, 5)), recovered.startRound(List.of(0, 1, 2, 3, 4, 5)));
    }

    @Test
    void anUpdateAcceptedBeforeTheCrashIsRefusedAndCountedAfterRecovery() {
        Supplier<Strategy> fedbuff = () -> new FedBuff(new FedBuff.Settings(1, 1.0, 0, StalenessFunction.constant()));
        FederatedServer original = server(fedbuff.get());
        List<ServerInput> journal = driveFedBuff(original, 20, 9);
        ServerInput.Update last = null;
        for (ServerInput i : journal) {
            if (i instanceof ServerInput.Update u && !u.stale()) {
                last = u;
            }
        }
        FederatedServer recovered = server(fedbuff.get());
        ServerInput.fold(recovered, journal);
        long version = recovered.version();
        long rejected = recovered.stats().rejected();
        long accepted = recovered.stats().accepted();
        byte[] model = recovered.initial().model();

        Outcome again = recovered.onUpdate(last.incoming(), last.nowMicros() + 1); // the client sends it once more
        assertTrue(again.rejected(), "a duplicate (client, version) update after recovery is refused");
        assertNull(again.published());
        assertEquals(rejected + 1, recovered.stats().rejected(), "and counted");
        assertEquals(accepted, recovered.stats().accepted());
        assertEquals(version, recovered.version());
        assertArrayEquals(model, recovered.initial().model(), "the model is untouched");
    }

    @Test
    void sameAsComparesUpdateBytesByContent() {
        ServerInput.Update a = new ServerInput.Update(1, 2, 0, new byte[] {1, 2, 3}, 10, 0.5, 7, false);
        ServerInput.Update b = new ServerInput.Update(1, 2, 0, new byte[] {1, 2, 3}, 10, 0.5, 7, false);
        ServerInput.Update c = new ServerInput.Update(1, 2, 0, new byte[] {1, 2, 4}, 10, 0.5, 7, false);
        assertTrue(a.sameAs(b));
        assertFalse(a.sameAs(c));
        assertTrue(new ServerInput.Assign(3, 4).sameAs(new ServerInput.Assign(3, 4)));
        assertFalse(new ServerInput.Assign(3, 4).sameAs(new ServerInput.Assign(3, 5)));
    }

    static void assertState(FederatedServer a, FederatedServer b) {
        assertEquals(a.version(), b.version());
        assertEquals(a.round(), b.round());
        assertArrayEquals(a.initial().model(), b.initial().model(), "the global model, bit for bit");
        assertEquals(a.stats(), b.stats());
        assertEquals(a.bytesUp(), b.bytesUp());
        assertEquals(a.bytesDown(), b.bytesDown());
        assertArrayEquals(a.updatesPerClient(), b.updatesPerClient());
        assertEquals(a.initial().metrics(), b.initial().metrics());
    }
}
