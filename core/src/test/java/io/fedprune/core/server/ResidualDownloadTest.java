package io.fedprune.core.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.Direction;
import io.fedprune.core.compress.MessageKind;
import io.fedprune.core.compress.SubModelAssembler;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.metrics.TrafficByKind;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.model.ParameterSegment;
import io.fedprune.core.model.SegmentKind;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.NestedSubModels;
import io.fedprune.core.strategy.Pacing;
import io.fedprune.core.strategy.Strategy;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sub-models sent as residual increments: only what a client lacks, each increment counted once server-side. */
class ResidualDownloadTest {
    static final int N = 64;
    static final ParameterLayout LAYOUT = new ParameterLayout(List.of(
            new ParameterSegment("0_W", 0, SegmentKind.DENSE, 0, N, new long[] {8, 8})));
    static final WireCodec CODEC = new DenseFloat32Codec(N, LAYOUT.fingerprint());

    /** Clients 0..2 get levels 0..2 of three nested masks; client 3 the whole model. */
    static class Levels implements Strategy, NestedSubModels {
        final List<Mask> masks = List.of(Mask.fromIndices(N, range(8)), Mask.fromIndices(N, range(24)),
                Mask.fromIndices(N, range(48)));
        boolean residual = true;

        static int[] range(int k) {
            int[] r = new int[k];
            for (int i = 0; i < k; i++) {
                r[i] = i;
            }
            return r;
        }

        @Override
        public String name() {
            return "levels";
        }

        @Override
        public Pacing pacing() {
            return Pacing.continuous();
        }

        @Override
        public Dispatch configure(int clientId, ModelState global) {
            return clientId < 3 ? Dispatch.masked(masks.get(clientId)) : Dispatch.global();
        }

        @Override
        public Decision onUpdate(ArrivedUpdate update, ModelState global) {
            return Decision.keep();
        }

        @Override
        public List<Mask> nestedMasks() {
            return masks;
        }

        @Override
        public boolean residualDownload() {
            return residual;
        }

        @Override
        public ParameterLayout layout() {
            return LAYOUT;
        }
    }

    static float[] random(long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[] p = new float[N];
        for (int i = 0; i < N; i++) {
            p[i] = (float) rng.nextGaussian();
        }
        return p;
    }

    static FederatedServer server(Strategy s, float[] initial) {
        return new FederatedServer(s, initial, new FederatedServer.Codecs(CODEC, spec -> CODEC, CODEC,
                UplinkPayload.MODEL), (id, work) -> 100, 1, false);
    }

    @Test
    void incrementsRebuildEachSubModelBitExactlyAndAreCountedOncePerSplit() {
        float[] w = random(7);
        Levels strategy = new Levels();
        FederatedServer server = server(strategy, w);
        long distinct = 0;
        for (int c = 0; c < 3; c++) {
            Assignment a = server.assign(c, 0);
            assertNotNull(a.residual(), "client " + c + " fetches increments");
            assertEquals(0, a.model().length, "no whole sub-model goes out");
            assertEquals(0, a.residual().from(), "a fresh client holds nothing");
            assertEquals(c, a.residual().level());
            float[] rebuilt = SubModelAssembler.rebuild(LAYOUT, a.residual().increments());
            float[] expected = w.clone();
            strategy.masks.get(c).applyTo(expected);
            assertArrayEquals(expected, rebuilt, "level " + c + " rebuilt bit for bit");
            distinct += a.residual().split().increment(c).size();
            assertEquals(distinct, server.residualDistinctBytes(), "each increment counted once, however many fetch it");
        }
        // every client downloaded all increments up to its level: more in total than the distinct bytes
        long perClient = 0;
        for (int c = 0; c < 3; c++) {
            perClient += server.assign(c, 0).residual().split().bytes(c);
        }
        assertTrue(perClient > server.residualDistinctBytes());
        assertNull(server.assign(3, 0).residual(), "the whole model goes out as the global model");
    }

    @Test
    void aClientFetchesOnlyWhatItLacksWithinOneSplitAndEverythingOfANewOne() {
        Levels strategy = new Levels();
        FederatedServer server = server(strategy, random(3));
        assertEquals(0, server.assign(0, 0).residual().from());
        // the same client, same version, now at a higher level: only increments 1..2 are new
        Strategy moved = new Levels() {
            @Override
            public Dispatch configure(int clientId, ModelState global) {
                return Dispatch.masked(masks.get(2));
            }

            @Override
            public List<Mask> nestedMasks() {
                return strategy.masks;
            }
        };
        FederatedServer two = server(moved, random(3));
        Assignment first = two.assign(5, 0);
        assertEquals(0, first.residual().from());
        Assignment again = two.assign(5, 0);
        assertEquals(3, again.residual().from(), "it holds every increment up to its level already");
        assertTrue(again.residual().increments().isEmpty());
        two.onFailed(5, 0, 0);
        assertEquals(0, two.assign(5, 0).residual().from(), "after a failure nothing is assumed held");
    }

    @Test
    void bytesByKindAddUpToTheDirectionTotalsAndKeepTheDistinctResidualBytes() {
        FederatedServer server = server(new Levels(), random(5));
        long residualFetched = 0;
        long splitBytes = 0;
        for (int round = 0; round < 2; round++) {
            for (int c = 0; c < 3; c++) {
                Assignment a = server.assign(c, 0);
                residualFetched += a.residual().increments().stream().mapToLong(i -> i.size()).sum();
                splitBytes = a.residual().split().bytes(2);
                server.onFailed(c, 0, 0); // forgets what c holds: the second round fetches everything again
            }
        }
        Assignment whole = server.assign(3, 0);
        server.onUpdate(new IncomingUpdate(3, whole.version(), whole.round(), CODEC.encode(random(6)), 10, 0.5), 0);

        TrafficByKind t = server.trafficByKind();
        assertEquals(server.bytesDown(), t.total(Direction.DOWNLINK));
        assertEquals(server.bytesUp(), t.total(Direction.UPLINK));
        assertEquals(server.bytesDown(), t.bytes(Direction.DOWNLINK, MessageKind.GLOBAL_MODEL)
                + t.bytes(Direction.DOWNLINK, MessageKind.MASK) + t.bytes(Direction.DOWNLINK, MessageKind.RESIDUAL_INCREMENT));
        assertEquals(residualFetched, t.bytes(Direction.DOWNLINK, MessageKind.RESIDUAL_INCREMENT),
                "every fetch counted, also the repeated ones");
        assertEquals(CODEC.encode(random(5)).length, t.bytes(Direction.DOWNLINK, MessageKind.GLOBAL_MODEL),
                "only client 3 got the whole model");
        assertTrue(t.bytes(Direction.DOWNLINK, MessageKind.MASK) > 0, "masked clients get their masks");
        assertEquals(CODEC.encode(random(6)).length, t.bytes(Direction.UPLINK, MessageKind.CLIENT_UPDATE));
        assertEquals(server.residualDistinctBytes(), t.residualDistinct());
        assertEquals(splitBytes, t.residualDistinct(),
                "six fetches of one split's levels 0..2: each of its three increments counted once");
        assertTrue(t.residualDistinct() < t.bytes(Direction.DOWNLINK, MessageKind.RESIDUAL_INCREMENT));
    }

    @Test
    void withoutResidualDownloadTheSubModelGoesOutWhole() {
        Levels strategy = new Levels();
        strategy.residual = false;
        FederatedServer server = server(strategy, random(1));
        Assignment a = server.assign(1, 0);
        assertNull(a.residual());
        assertTrue(a.model().length > 0);
        assertEquals(0, server.residualDistinctBytes());
    }
}
