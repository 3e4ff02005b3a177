package io.fedprune.core.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class LinkRedrawTest {

    @Test
    void sameSeedClientAndRoundGiveTheSameFactorAndOthersDiffer() {
        LinkRedraw r = new LinkRedraw(0.3, 20, 42);
        assertEquals(r.factor(3, 7, 1), new LinkRedraw(0.3, 20, 42).factor(3, 7, 1));
        assertNotEquals(r.factor(3, 7, 1), r.factor(3, 8, 1));
        assertNotEquals(r.factor(3, 7, 1), r.factor(4, 7, 1));
        assertNotEquals(r.factor(3, 7, 0), r.factor(3, 7, 1));
        assertNotEquals(r.factor(3, 7, 1), new LinkRedraw(0.3, 20, 43).factor(3, 7, 1));
    }

    @Test
    void theMeanOfTwentyDrawsStaysNearExpSigmaSquaredOverTwoWithASmallSpread() {
        LinkRedraw r = new LinkRedraw(0.3, 20, 1);
        int n = 20_000;
        double sum = 0;
        double sq = 0;
        for (int round = 0; round < n; round++) {
            double f = r.factor(0, round, 0);
            sum += f;
            sq += f * f;
        }
        double mean = sum / n;
        double sd = Math.sqrt(sq / n - mean * mean);
        double expected = Math.exp(0.3 * 0.3 / 2);
        assertEquals(expected, mean, 0.005);
        // one LogNormal(0, 0.3) has sd ~0.31; the mean of 20 ~0.31 / sqrt(20)
        assertEquals(Math.sqrt((Math.exp(0.09) - 1) * Math.exp(0.09)) / Math.sqrt(20), sd, 0.005);
    }

    @Test
    void noVariationLeavesTheProfileUntouched() {
        DeviceProfile d = new DeviceProfile(2, 1e9, 1e6, 5e6, 2e7);
        assertSame(d, LinkRedraw.NONE.apply(d, 9));
        DeviceProfile drawn = new LinkRedraw(0.3, 20, 5).apply(d, 9);
        assertEquals(d.cpuHz(), drawn.cpuHz());
        assertNotEquals(d.uplinkBps(), drawn.uplinkBps());
    }

    @Test
    void aPaperTableScalesToModelTransfersPerSecond() {
        long model = 640_000;
        NetworkSpec spec = new NetworkSpec(SpeedUnit.PAPER_MB, List.of(new ClientLink(37, 3.7, 2)), 0.3, 20,
                new ServerLinkSpec(10, 50, 0.1, true));
        DeviceProfile d = spec.devices(FleetSpec.fixed(1e9, 1e6, 1, 1), 1, 0, model).get(0);
        assertEquals(1.0, d.downloadSeconds(model), 1e-12); // 37 "MB/s" moves one 37 MB model a second
        assertEquals(10.0, d.uploadSeconds(model), 1e-12);
        assertEquals(2e9, d.cpuHz());
        assertEquals(50.0 / 37 * model, spec.serverDownloadBytesPerSecond(model), 1e-6);
        assertEquals(8e6, SpeedUnit.MBPS.toBps(8, model));
        assertEquals("2 entries for 3 clients; expected one per client", assertThrows(IllegalArgumentException.class,
                () -> new NetworkSpec(SpeedUnit.MBPS, List.of(new ClientLink(1, 1, 1), new ClientLink(1, 1, 1)), 0, 20,
                        spec.server()).devices(FleetSpec.fixed(1e9, 1e6, 1, 1), 3, 0, model)).getMessage());
        assertEquals("expected mbps or paper-mb, got MB", assertThrows(IllegalArgumentException.class,
                () -> SpeedUnit.parse("MB")).getMessage());
    }
}
