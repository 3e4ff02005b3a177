package io.fedprune.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.compress.Direction;
import io.fedprune.core.compress.MessageKind;
import io.fedprune.core.compress.TrafficMeter;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TrafficByKindTest {

    @Test
    void everyDirectionAndKindHasItsOwnSlot() {
        Set<Integer> slots = new HashSet<>();
        for (Direction d : Direction.values()) {
            for (MessageKind k : MessageKind.values()) {
                int i = TrafficByKind.index(d, k);
                assertTrue(i >= 0 && i < TrafficByKind.SIZE);
                assertTrue(slots.add(i), d + " " + k + " shares slot " + i);
            }
        }
    }

    @Test
    void aMeterSnapshotKeepsEachCountWhereItWasRecordedAndSurvivesTheFlatArray() {
        TrafficMeter m = new TrafficMeter();
        m.record(Direction.DOWNLINK, MessageKind.GLOBAL_MODEL, 100);
        m.record(Direction.DOWNLINK, MessageKind.MASK, 7);
        m.record(Direction.DOWNLINK, MessageKind.RESIDUAL_INCREMENT, 30);
        m.record(Direction.DOWNLINK, MessageKind.RESIDUAL_INCREMENT, 30);
        m.record(Direction.UPLINK, MessageKind.CLIENT_UPDATE, 55);
        TrafficByKind t = TrafficByKind.of(m::bytes, 30);
        assertEquals(60, t.bytes(Direction.DOWNLINK, MessageKind.RESIDUAL_INCREMENT));
        assertEquals(7, t.bytes(Direction.DOWNLINK, MessageKind.MASK));
        assertEquals(0, t.bytes(Direction.UPLINK, MessageKind.GLOBAL_MODEL));
        assertEquals(m.bytes(Direction.DOWNLINK), t.total(Direction.DOWNLINK));
        assertEquals(m.bytes(Direction.UPLINK), t.total(Direction.UPLINK));
        TrafficByKind back = TrafficByKind.of(t.toArray(), t.residualDistinct());
        assertEquals(t, back);
        assertEquals(t.hashCode(), back.hashCode());
        assertNotEquals(t, TrafficByKind.of(t.toArray(), 31), "the distinct bytes are part of the value");
    }

    @Test
    void notCountedIsEmptyAndDistinctFromZeroTraffic() {
        TrafficByKind none = TrafficByKind.none();
        assertFalse(none.counted());
        assertArrayEquals(new long[0], none.toArray());
        assertEquals(0, none.total(Direction.DOWNLINK));
        TrafficByKind zero = TrafficByKind.of(new long[TrafficByKind.SIZE], 0);
        assertTrue(zero.counted());
        assertNotEquals(none, zero);
    }

    @Test
    void refusesAWrongLayoutOrNegativeCounts() {
        assertThrows(IllegalArgumentException.class, () -> TrafficByKind.of(new long[3], 0));
        long[] negative = new long[TrafficByKind.SIZE];
        negative[1] = -1;
        assertThrows(IllegalArgumentException.class, () -> TrafficByKind.of(negative, 0));
        assertThrows(IllegalArgumentException.class, () -> TrafficByKind.of(new long[TrafficByKind.SIZE], -1));
    }

    @Test
    void theArrayIsCopiedInAndOut() {
        long[] in = new long[TrafficByKind.SIZE];
        in[0] = 5;
        TrafficByKind t = TrafficByKind.of(in, 0);
        in[0] = 9;
        t.toArray()[0] = 9;
        assertEquals(5, t.toArray()[0]);
    }
}
