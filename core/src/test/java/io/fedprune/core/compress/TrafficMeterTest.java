package io.fedprune.core.compress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TrafficMeterTest {

    @Test
    void sumsPerDirectionAndKindAgainstAReference() {
        SplittableRandom rng = new SplittableRandom(12);
        TrafficMeter meter = new TrafficMeter();
        Direction[] dirs = Direction.values();
        MessageKind[] kinds = MessageKind.values();
        long[][] bytes = new long[dirs.length][kinds.length];
        long[][] messages = new long[dirs.length][kinds.length];
        for (int i = 0; i < 10_000; i++) {
            int d = rng.nextInt(dirs.length);
            int k = rng.nextInt(kinds.length);
            long b = rng.nextInt(3) == 0 ? 0 : rng.nextLong(1, 10_000_000);
            meter.record(dirs[d], kinds[k], b);
            bytes[d][k] += b;
            messages[d][k]++;
        }
        for (int d = 0; d < dirs.length; d++) {
            long total = 0;
            for (int k = 0; k < kinds.length; k++) {
                assertEquals(bytes[d][k], meter.bytes(dirs[d], kinds[k]), dirs[d] + " " + kinds[k]);
                assertEquals(messages[d][k], meter.messages(dirs[d], kinds[k]), dirs[d] + " " + kinds[k]);
                total += bytes[d][k];
            }
            assertEquals(total, meter.bytes(dirs[d]), dirs[d].toString());
        }
    }

    @Test
    void startsAtZeroAndKeepsDirectionsApart() {
        TrafficMeter meter = new TrafficMeter();
        for (Direction d : Direction.values()) {
            assertEquals(0, meter.bytes(d));
        }
        meter.record(Direction.UPLINK, MessageKind.CLIENT_UPDATE, 100);
        meter.record(Direction.DOWNLINK, MessageKind.GLOBAL_MODEL, 7);
        meter.record(Direction.DOWNLINK, MessageKind.GLOBAL_MODEL, 0);
        assertEquals(100, meter.bytes(Direction.UPLINK));
        assertEquals(7, meter.bytes(Direction.DOWNLINK));
        assertEquals(0, meter.bytes(Direction.UPLINK, MessageKind.GLOBAL_MODEL));
        assertEquals(2, meter.messages(Direction.DOWNLINK, MessageKind.GLOBAL_MODEL));
        assertEquals(0, meter.messages(Direction.DOWNLINK, MessageKind.CLIENT_UPDATE));
    }

    @Test
    void negativeBytesAreRejectedAndNotCounted() {
        TrafficMeter meter = new TrafficMeter();
        meter.record(Direction.UPLINK, MessageKind.CLIENT_UPDATE, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> meter.record(Direction.UPLINK, MessageKind.CLIENT_UPDATE, -1));
        assertTrue(e.getMessage().contains("-1"), e.getMessage());
        assertEquals(10, meter.bytes(Direction.UPLINK, MessageKind.CLIENT_UPDATE));
        assertEquals(1, meter.messages(Direction.UPLINK, MessageKind.CLIENT_UPDATE));
    }
}
