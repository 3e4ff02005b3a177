package io.fedprune.core.system;

import static io.fedprune.core.system.DeviceProfileTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetSpecTest {
    private static final FleetSpec BASE = FleetSpec.fixed(1e9, 2e6, 2e6, 20e6);

    @Test
    void fixedHasNoSpreadAndNoClasses() {
        assertEquals(LinkModel.FIXED, BASE.linkModel());
        assertEquals(0, BASE.computeSigma());
        assertEquals(0, BASE.linkSigma());
        assertEquals(List.of(), BASE.speedClasses());
    }

    @Test
    void withersChangeOnlyTheirFields() {
        FleetSpec s = BASE.withSigmas(0.3, 0.7);
        assertEquals(0.3, s.computeSigma());
        assertEquals(0.7, s.linkSigma());
        assertEquals(BASE.cpuHz(), s.cpuHz());

        List<SpeedClass> classes = List.of(new SpeedClass(0.5, 1, 1, 1), new SpeedClass(0.5, 0.5, 0.5, 0.5));
        FleetSpec c = s.withSpeedClasses(classes);
        assertEquals(classes, c.speedClasses());
        assertEquals(0.7, c.linkSigma());

        FleetSpec w = c.withWireless(1e6, 0.2, -174, 50, 500, 4);
        assertEquals(LinkModel.WIRELESS, w.linkModel());
        assertEquals(classes, w.speedClasses());
        assertEquals(500, w.maxDistanceM());
        assertEquals(4, w.downlinkToUplinkRatio());
    }

    @Test
    void speedClassesAreCopiedAndNullMeansNone() {
        List<SpeedClass> classes = new ArrayList<>(List.of(new SpeedClass(1, 1, 1, 1)));
        FleetSpec s = BASE.withSpeedClasses(classes);
        classes.add(new SpeedClass(1, 1, 1, 1));
        assertEquals(1, s.speedClasses().size());
        assertEquals(List.of(), BASE.withSpeedClasses(null).speedClasses());
    }

    @Test
    void sharesWithinToleranceOfOneAreAccepted() {
        BASE.withSpeedClasses(List.of(new SpeedClass(0.333333, 1, 1, 1), new SpeedClass(0.333333, 1, 1, 1),
                new SpeedClass(0.333334, 1, 1, 1)));
    }

    @Test
    void validationNamesTheParameterAndValue() {
        assertMessage(() -> FleetSpec.fixed(0, 1, 1, 1), "cpuHz", "0.0");
        assertMessage(() -> FleetSpec.fixed(1, -2, 1, 1), "cyclesPerSample", "-2.0");
        assertMessage(() -> FleetSpec.fixed(1, 1, 0, 1), "uplinkBps", "0.0");
        assertMessage(() -> FleetSpec.fixed(1, 1, 1, Double.NaN), "downlinkBps", "NaN");
        assertMessage(() -> BASE.withSigmas(-0.1, 0), "computeSigma", "-0.1");
        assertMessage(() -> BASE.withSigmas(0, Double.NaN), "linkSigma", "NaN");
        assertMessage(() -> BASE.withSpeedClasses(List.of(new SpeedClass(0.5, 1, 1, 1), new SpeedClass(0.4, 1, 1, 1))),
                "shares", "0.9");
        assertMessage(() -> BASE.withWireless(0, 0.2, -174, 10, 100, 1), "bandwidthHz", "0.0");
        assertMessage(() -> BASE.withWireless(1e6, 0, -174, 10, 100, 1), "txPowerW", "0.0");
        assertMessage(() -> BASE.withWireless(1e6, 0.2, Double.NEGATIVE_INFINITY, 10, 100, 1), "noiseDbmPerHz");
        assertMessage(() -> BASE.withWireless(1e6, 0.2, -174, 0, 100, 1), "minDistanceM", "0.0");
        assertMessage(() -> BASE.withWireless(1e6, 0.2, -174, 200, 100, 1), "minDistanceM", "200.0", "maxDistanceM",
                "100.0");
        assertMessage(() -> BASE.withWireless(1e6, 0.2, -174, 10, 100, -1), "downlinkToUplinkRatio", "-1.0");
        assertMessage(() -> new FleetSpec(1, 1, null, 1, 1, 0, 0, List.of(), 0, 0, 0, 0, 0, 0), "linkModel");
    }

    @Test
    void speedClassValidation() {
        assertMessage(() -> new SpeedClass(0, 1, 1, 1), "share", "0.0");
        assertMessage(() -> new SpeedClass(1.5, 1, 1, 1), "share", "1.5");
        assertMessage(() -> new SpeedClass(0.5, -1, 1, 1), "computeScale", "-1.0");
        assertMessage(() -> new SpeedClass(0.5, 1, 0, 1), "uplinkScale", "0.0");
        assertMessage(() -> new SpeedClass(0.5, 1, 1, Double.NaN), "downlinkScale", "NaN");
    }
}
