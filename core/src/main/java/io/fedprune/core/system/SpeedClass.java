package io.fedprune.core.system;

/**
 * A class of devices sharing a speed tier, e.g. PR-FL's four speed classes. The scales multiply the
 * fleet's base values, so computeScale 0.5 means half the base CPU speed (twice the compute time),
 * and uplinkScale 2 means twice the base uplink rate.
 *
 * @param share         fraction of the fleet in this class, in (0, 1]; the shares of a fleet sum to 1
 * @param computeScale  multiplier on the base cpuHz
 * @param uplinkScale   multiplier on the base uplink rate
 * @param downlinkScale multiplier on the base downlink rate
 */
public record SpeedClass(double share, double computeScale, double uplinkScale, double downlinkScale) {

    public SpeedClass {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException("share must be in (0, 1], got " + share);
        }
        Checks.positiveFinite("computeScale", computeScale);
        Checks.positiveFinite("uplinkScale", uplinkScale);
        Checks.positiveFinite("downlinkScale", downlinkScale);
    }
}
