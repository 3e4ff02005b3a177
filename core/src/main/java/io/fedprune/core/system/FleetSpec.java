package io.fedprune.core.system;

import java.util.List;

/**
 * How to generate a heterogeneous fleet of N devices with {@link DeviceFleet#generate}. Base values
 * describe a median device; heterogeneity comes from log-normal spreads (computeSigma, linkSigma),
 * optional speed classes, and, for {@link LinkModel#WIRELESS}, from random distances and Rayleigh
 * fading.
 *
 * <p>Fields a link model does not use are ignored and not validated: uplinkBps and downlinkBps
 * under WIRELESS, the channel fields (bandwidthHz .. downlinkToUplinkRatio) under FIXED, where
 * {@link #fixed} sets them to 0.
 *
 * @param cpuHz                 base CPU speed in cycles per second
 * @param cyclesPerSample       CPU cycles per training sample (the same on every device: same model)
 * @param linkModel             where link rates come from
 * @param uplinkBps             FIXED: base uplink rate in bit/s
 * @param downlinkBps           FIXED: base downlink rate in bit/s
 * @param computeSigma          std of ln(compute factor); 0 for identical CPUs
 * @param linkSigma             std of ln(link factor); 0 for no extra link spread
 * @param speedClasses          device classes in assignment order; empty for none; shares sum to 1
 * @param bandwidthHz           WIRELESS: uplink bandwidth per device
 * @param txPowerW              WIRELESS: device transmit power
 * @param noiseDbmPerHz         WIRELESS: noise spectral density, e.g. -174
 * @param minDistanceM          WIRELESS: nearest device distance to the base station
 * @param maxDistanceM          WIRELESS: farthest device distance; distances are uniform in [min, max]
 * @param downlinkToUplinkRatio WIRELESS: downlink rate as a multiple of the device's uplink rate
 */
public record FleetSpec(double cpuHz, double cyclesPerSample, LinkModel linkModel, double uplinkBps,
                        double downlinkBps, double computeSigma, double linkSigma, List<SpeedClass> speedClasses,
                        double bandwidthHz, double txPowerW, double noiseDbmPerHz, double minDistanceM,
                        double maxDistanceM, double downlinkToUplinkRatio) {

    /** Tolerance on the sum of class shares, so configs may write thirds as 0.333333 etc. */
    static final double SHARE_SUM_TOLERANCE = 1e-6;

    public FleetSpec {
        Checks.positiveFinite("cpuHz", cpuHz);
        Checks.positiveFinite("cyclesPerSample", cyclesPerSample);
        if (linkModel == null) {
            throw new IllegalArgumentException("linkModel must not be null (FIXED or WIRELESS)");
        }
        Checks.nonNegativeFinite("computeSigma", computeSigma);
        Checks.nonNegativeFinite("linkSigma", linkSigma);
        // null is read as "no classes" so configs may simply omit the field.
        speedClasses = speedClasses == null ? List.of() : List.copyOf(speedClasses);
        if (!speedClasses.isEmpty()) {
            double sum = 0;
            for (SpeedClass c : speedClasses) {
                sum += c.share();
            }
            if (Math.abs(sum - 1) > SHARE_SUM_TOLERANCE) {
                throw new IllegalArgumentException("speedClasses shares must sum to 1, got " + sum);
            }
        }
        switch (linkModel) {
            case FIXED -> {
                Checks.positiveFinite("uplinkBps", uplinkBps);
                Checks.positiveFinite("downlinkBps", downlinkBps);
            }
            case WIRELESS -> {
                Checks.positiveFinite("bandwidthHz", bandwidthHz);
                Checks.positiveFinite("txPowerW", txPowerW);
                Checks.finite("noiseDbmPerHz", noiseDbmPerHz);
                Checks.positiveFinite("minDistanceM", minDistanceM);
                Checks.positiveFinite("maxDistanceM", maxDistanceM);
                if (minDistanceM > maxDistanceM) {
                    throw new IllegalArgumentException("minDistanceM must be <= maxDistanceM, got minDistanceM "
                            + minDistanceM + " > maxDistanceM " + maxDistanceM);
                }
                Checks.positiveFinite("downlinkToUplinkRatio", downlinkToUplinkRatio);
            }
            default -> throw new IllegalStateException("unhandled link model " + linkModel);
        }
    }

    /** Identical devices with fixed links: no spread, no classes. Refine with the wither methods. */
    public static FleetSpec fixed(double cpuHz, double cyclesPerSample, double uplinkBps, double downlinkBps) {
        return new FleetSpec(cpuHz, cyclesPerSample, LinkModel.FIXED, uplinkBps, downlinkBps, 0, 0, List.of(),
                0, 0, 0, 0, 0, 0);
    }

    /** The same spec with log-normal spreads: std of ln(compute factor) and of ln(link factor). */
    public FleetSpec withSigmas(double computeSigma, double linkSigma) {
        return new FleetSpec(cpuHz, cyclesPerSample, linkModel, uplinkBps, downlinkBps, computeSigma, linkSigma,
                speedClasses, bandwidthHz, txPowerW, noiseDbmPerHz, minDistanceM, maxDistanceM,
                downlinkToUplinkRatio);
    }

    /** The same spec with these speed classes (an empty list removes them). */
    public FleetSpec withSpeedClasses(List<SpeedClass> speedClasses) {
        return new FleetSpec(cpuHz, cyclesPerSample, linkModel, uplinkBps, downlinkBps, computeSigma, linkSigma,
                speedClasses, bandwidthHz, txPowerW, noiseDbmPerHz, minDistanceM, maxDistanceM,
                downlinkToUplinkRatio);
    }

    /** The same spec with {@link LinkModel#WIRELESS} links over this channel. */
    public FleetSpec withWireless(double bandwidthHz, double txPowerW, double noiseDbmPerHz, double minDistanceM,
                                  double maxDistanceM, double downlinkToUplinkRatio) {
        return new FleetSpec(cpuHz, cyclesPerSample, LinkModel.WIRELESS, uplinkBps, downlinkBps, computeSigma,
                linkSigma, speedClasses, bandwidthHz, txPowerW, noiseDbmPerHz, minDistanceM, maxDistanceM,
                downlinkToUplinkRatio);
    }
}
