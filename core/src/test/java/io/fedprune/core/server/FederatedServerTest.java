package io.fedprune.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.aggregate.FedAsync;
import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.aggregate.StalenessFunction;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.LocalWork;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The server's model work without actors: what reaches the strategy, what is refused, what is counted. */
class FederatedServerTest {
    static final int W = 8;
    static final WireCodec CODEC = new DenseFloat32Codec(W, 42);
    static final long MAX = 100;

    /** Records what it is given; odd clients get a sub-model of the first half. */
    static final class Recording implements Strategy {
        final List<ArrivedUpdate> arrived = new ArrayList<>();
        final List<Integer> gone = new ArrayList<>();
        final Mask half = Mask.fromIndices(W, new int[] {0, 1, 2, 3});
        boolean masks;

        @Override
        public String name() {
            return "recording";
        }

        @Override
        public Pacing pacing() {
            return Pacing.continuous();
        }

        @Override
        public Dispatch configure(int clientId, ModelState global) {
            return masks && clientId % 2 == 1 ? Dispatch.masked(half).withWork(new LocalWork(2, 0)) : Dispatch.global();
        }

        @Override
        public Decision onUpdate(ArrivedUpdate update, ModelState global) {
            arrived.add(update);
            return Decision.keep();
        }

        @Override
        public void onClientGone(int clientId) {
            gone.add(clientId);
        }
    }

    static float[] filled(float v) {
        float[] p = new float[W];
        Arrays.fill(p, v);
        return p;
    }

    static FederatedServer server(Strategy s, UplinkPayload payload) {
        return new FederatedServer(s, filled(3), new FederatedServer.Codecs(CODEC, spec -> CODEC, CODEC, payload),
                (id, work) -> work == null ? MAX : MAX * work.epochs(), 1, false);
    }

    static IncomingUpdate update(int id, Assignment a, float[] model, long samples) {
        return new IncomingUpdate(id, a.version(), a.round(), CODEC.encode(model), samples, 0.5);
    }

    @Test
    void acceptedUpdatesReachTheStrategyAndEveryByteIsCounted() {
        FederatedServer server = server(new FedAsync(1.0, StalenessFunction.constant()), UplinkPayload.MODEL);
        Assignment a = server.assign(0, 0);
        assertArrayEquals(CODEC.encode(filled(3)), a.model());
        assertEquals(0, a.mask().length);
        assertEquals(a.model().length, server.bytesDown());
        Outcome o = server.onUpdate(update(0, a, filled(1), 10), 0);
        assertFalse(o.rejected());
        Publication p = o.published();
        assertEquals(1, p.version());
        assertArrayEquals(filled(1), CODEC.decode(p.model()));
        assertEquals(1, p.stats().participants());
        assertEquals(a.model().length, p.bytesUp());
        assertFalse(server.holdsWork(0), "an answered assignment is released");
    }

    @Test
    void badUpdatesAreRefusedCountedAndNeverTouchTheModel() {
        Recording rec = new Recording();
        FederatedServer server = server(rec, UplinkPayload.MODEL);
        float[] nan = filled(1);
        nan[3] = Float.NaN;
        long up = 0;
        // each bad update: the client first holds work (as it would when it answers)
        List<byte[]> bad = List.of(new DenseFloat32Codec(W + 1, 42).encode(new float[W + 1]), CODEC.encode(nan),
                Arrays.copyOf(CODEC.encode(filled(1)), 20), new byte[] {1, 2, 3});
        for (byte[] bytes : bad) {
            Assignment a = server.assign(0, 0);
            Outcome o = server.onUpdate(new IncomingUpdate(0, a.version(), a.round(), bytes, 10, 0), 0);
            assertTrue(o.rejected(), "refused: " + bytes.length + " bytes");
            assertNull(o.published());
            assertFalse(server.holdsWork(0), "a refused answer still ends the work");
            up += bytes.length;
        }
        // a lie about the sample count: at most 100 for this client and work
        Assignment a = server.assign(0, 0);
        Outcome lie = server.onUpdate(update(0, a, filled(1), 101), 0);
        assertTrue(lie.rejection().contains("claims 101 training samples, at most 100"), lie.rejection());
        up += CODEC.encode(filled(1)).length;
        // unsolicited: client 5 was never given work; a replay of an answered assignment
        Outcome unsolicited = server.onUpdate(update(5, a, filled(1), 10), 0);
        assertTrue(unsolicited.rejection().contains("client 5: an update for version 0 (round 0) but it holds no work"),
                unsolicited.rejection());
        Assignment again = server.assign(0, 0);
        assertFalse(server.onUpdate(update(0, again, filled(1), 10), 0).rejected());
        assertTrue(server.onUpdate(update(0, again, filled(1), 10), 0).rejected(), "a duplicate is refused");
        up += 3L * CODEC.encode(filled(1)).length;
        assertEquals(1, rec.arrived.size(), "only the one good update reached the strategy");
        ServerStats s = server.stats();
        assertEquals(1, s.accepted());
        assertEquals(7, s.rejected());
        assertEquals(up, server.bytesUp(), "bytes of refused uploads count too");
    }

    @Test
    void updatePayloadsAreAddedToTheModelTheClientDecoded() {
        Recording rec = new Recording();
        FederatedServer server = server(rec, UplinkPayload.UPDATE);
        Assignment a = server.assign(2, 0);
        assertEquals(1, server.payloadsInFlight());
        server.onUpdate(update(2, a, filled(0.5f), 10), 0);
        ArrivedUpdate u = rec.arrived.get(0);
        assertArrayEquals(filled(3.5f), u.params());
        assertArrayEquals(filled(3), u.base());
        assertEquals(0, server.payloadsInFlight(), "the base is dropped once nobody holds it");
    }

    @Test
    void subModelsCarryTheirMaskAndUpdatesAreConfinedToIt() {
        Recording rec = new Recording();
        rec.masks = true;
        FederatedServer server = server(rec, UplinkPayload.MODEL);
        Assignment whole = server.assign(0, 0);
        Assignment sub1 = server.assign(1, 0);
        Assignment sub3 = server.assign(3, 0);
        assertSame(sub1.model(), sub3.model(), "one encoding per distinct sub-model and version");
        assertArrayEquals(rec.half.toBytes(), sub1.mask());
        assertArrayEquals(new float[] {3, 3, 3, 3, 0, 0, 0, 0}, CODEC.decode(sub1.model()));
        assertEquals(new LocalWork(2, 0), sub1.work());
        assertEquals(3L * whole.model().length + 2L * sub1.mask().length, server.bytesDown());
        // the client's work allows 2 x 100 samples; entries outside its mask are not its to change
        assertFalse(server.onUpdate(update(1, sub1, filled(7), 200), 0).rejected());
        ArrivedUpdate u = rec.arrived.get(0);
        assertArrayEquals(new float[] {7, 7, 7, 7, 0, 0, 0, 0}, u.params());
        assertEquals(0.5, u.dispatch().density(), 1e-12);
    }

    @Test
    void roundsSelectWithTheSeedAndCountStaleFailedStragglersAndDropouts() {
        FederatedServer server = new FederatedServer(new FedAvg(new FedAvg.Settings(0.5, 0)), filled(3),
                new FederatedServer.Codecs(CODEC, spec -> CODEC, CODEC, UplinkPayload.MODEL), SampleBound.atMost(50), 9,
                false);
        List<Integer> selected = server.startRound(List.of(0, 1, 2, 3));
        assertEquals(2, selected.size());
        assertEquals(1, server.round());
        List<Assignment> work = selected.stream().map(id -> server.assign(id, 0)).toList();
        Assignment first = work.get(0);
        Assignment second = work.get(1);
        assertFalse(server.onUpdate(update(first.clientId(), first, filled(5), 10), 0).rejected());
        server.onStraggler(second.clientId());
        Outcome end = server.onRoundEnd(new RoundOutcome(1, 2, 1, 0, 0, 1));
        assertNotNull(end.published());
        assertArrayEquals(filled(5), CODEC.decode(end.published().model()));
        // the straggler answers late: stale, counted, unused
        server.onStale(update(second.clientId(), second, filled(100), 10));
        Assignment r2 = server.startRound(List.of(0, 1, 2, 3)).stream().map(id -> server.assign(id, 0)).toList().get(0);
        server.onFailed(r2.clientId(), r2.version(), r2.round());
        server.assign(3, 0);
        server.onDropped(3);
        server.onDropped(3); // a second notice of the same stop counts once
        ServerStats s = server.stats();
        assertEquals(1, s.accepted());
        assertEquals(1, s.stale());
        assertEquals(1, s.stragglers());
        assertEquals(1, s.failed());
        assertEquals(1, s.dropped());
        assertEquals(0, s.rejected());
    }
}
