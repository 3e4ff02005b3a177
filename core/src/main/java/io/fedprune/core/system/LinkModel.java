package io.fedprune.core.system;

/** How a {@link FleetSpec} derives each device's link rates. */
public enum LinkModel {
    /** Uplink and downlink rates are given directly in bits per second (then spread by linkSigma). */
    FIXED,
    /**
     * The uplink rate comes from a {@link WirelessChannel} (Shannon capacity with path loss over a
     * random distance and Rayleigh fading); the downlink is a fixed multiple of it.
     */
    WIRELESS
}
