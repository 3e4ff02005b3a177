package io.fedprune.core.aggregate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.strategy.UpdateBuffer.Outcome;
import io.fedprune.core.prune.Mask;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class ClientBufferTest {

    @Test
    void aNewerUpdateReplacesItsClientsSlotAndOlderOrEqualOnesAreIgnored() {
        ClientBuffer buffer = new ClientBuffer(3);
        Mask twoOfThree = Mask.fromIndices(3, new int[] {0, 2});
        float[] first = {1, 2, 3};
        assertEquals(Outcome.ADDED, buffer.offer(7, first, twoOfThree, 50, 4));
        first[0] = 100; // the buffer holds a copy
        ClientBuffer.Slot slot = buffer.slot(7);
        assertArrayEquals(new float[] {1, 0, 3}, slot.params(), "a copy, zero outside its mask");
        assertSame(twoOfThree, slot.mask());
        assertEquals(50, slot.samples());
        assertEquals(4, slot.baseVersion());

        assertEquals(Outcome.REPLACED, buffer.offer(7, new float[] {4, 5, 6}, null, 60, 6));
        assertArrayEquals(new float[] {4, 5, 6}, buffer.slot(7).params());
        assertNull(buffer.slot(7).mask());
        assertSame(slot.params(), buffer.slot(7).params(), "one array per client slot, overwritten in place");

        assertEquals(Outcome.DUPLICATE, buffer.offer(7, new float[] {9, 9, 9}, null, 70, 6));
        assertEquals(Outcome.OUT_OF_ORDER, buffer.offer(7, new float[] {8, 8, 8}, null, 80, 5));
        assertArrayEquals(new float[] {4, 5, 6}, buffer.slot(7).params(), "ignored updates change nothing");
        assertEquals(60, buffer.slot(7).samples());
        assertEquals(6, buffer.slot(7).baseVersion());
        assertEquals(1, buffer.size());
        assertEquals(2, buffer.stored());
        assertEquals(1, buffer.duplicates());
        assertEquals(1, buffer.outOfOrder());
    }

    @Test
    void everyOfferIsCountedOnceOnRandomStreams() {
        SplittableRandom rng = new SplittableRandom(9);
        for (int trial = 0; trial < 50; trial++) {
            ClientBuffer buffer = new ClientBuffer(5);
            Map<Integer, Long> latest = new TreeMap<>();
            Map<Outcome, Integer> expected = new EnumMap<>(Outcome.class);
            int offers = 1 + rng.nextInt(200);
            for (int k = 0; k < offers; k++) {
                int client = rng.nextInt(6);
                long base = rng.nextInt(12);
                Long held = latest.get(client);
                Outcome want = held == null ? Outcome.ADDED : base > held ? Outcome.REPLACED
                        : base == held ? Outcome.DUPLICATE : Outcome.OUT_OF_ORDER;
                assertEquals(want, buffer.offer(client, FedBuffTest.random(rng, 5), null, 1, base));
                expected.merge(want, 1, Integer::sum);
                if (want.stored()) {
                    latest.put(client, base);
                }
            }
            assertEquals(offers, buffer.stored() + buffer.duplicates() + buffer.outOfOrder());
            assertEquals(expected.getOrDefault(Outcome.ADDED, 0) + expected.getOrDefault(Outcome.REPLACED, 0),
                    buffer.stored());
            assertEquals((long) expected.getOrDefault(Outcome.DUPLICATE, 0), buffer.duplicates());
            assertEquals((long) expected.getOrDefault(Outcome.OUT_OF_ORDER, 0), buffer.outOfOrder());
            assertEquals(latest.size(), buffer.size());
            assertEquals(List.copyOf(latest.keySet()), buffer.slots().stream().map(ClientBuffer.Slot::clientId).toList(),
                    "slots in ascending client id");
            assertEquals(List.copyOf(latest.values()),
                    buffer.slots().stream().map(ClientBuffer.Slot::baseVersion).toList());
        }
    }

    @Test
    void stalenessWeightsAreNormalizedOverTheWholeBuffer() {
        ClientBuffer buffer = new ClientBuffer(1);
        assertEquals(0, buffer.stalenessWeights(3, StalenessFunction.constant()).length);
        assertEquals(0, buffer.meanStaleness(3));
        buffer.offer(5, new float[1], null, 1, 10);
        buffer.offer(2, new float[1], null, 1, 7);
        buffer.offer(9, new float[1], null, 1, 0);
        // version 10: staleness 3 (client 2), 0 (client 5), 10 (client 9), in client-id order
        double[] s = {Math.pow(4, -0.6), 1, Math.pow(11, -0.6)};
        double sum = s[0] + s[1] + s[2];
        double[] p = buffer.stalenessWeights(10, StalenessFunction.polynomial(0.6));
        for (int i = 0; i < 3; i++) {
            assertEquals(s[i] / sum, p[i], 1e-15);
        }
        assertEquals(13 / 3.0, buffer.meanStaleness(10), 1e-15);
        // PR-FL's hinge as coded: 1 up to staleness 2, then 1 / (a (tau - 2) + 1)
        double[] h = buffer.stalenessWeights(10, StalenessFunction.hinge(0.5, 2));
        double[] hs = {1 / (0.5 * 1 + 1), 1, 1 / (0.5 * 8 + 1)};
        double hsum = hs[0] + hs[1] + hs[2];
        for (int i = 0; i < 3; i++) {
            assertEquals(hs[i] / hsum, h[i], 1e-15);
        }
        assertTrue(assertThrows(IllegalArgumentException.class,
                () -> buffer.stalenessWeights(9, StalenessFunction.constant())).getMessage().contains("client 5"));
    }

    @Test
    void updatesThatDoNotFitAreRefused() {
        ClientBuffer buffer = new ClientBuffer(4);
        assertThrows(IllegalArgumentException.class, () -> buffer.offer(1, new float[3], null, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> buffer.offer(1, new float[4], Mask.all(5), 1, 0));
        assertThrows(IllegalArgumentException.class, () -> buffer.offer(1, new float[4], null, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> buffer.offer(1, new float[4], null, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new ClientBuffer(0));
        assertEquals(0, buffer.size());
        assertEquals(0, buffer.stored() + buffer.duplicates() + buffer.outOfOrder());
    }
}
