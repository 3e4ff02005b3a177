package io.fedprune.core.system;

/**
 * The server side of the network, in the device table's {@link SpeedUnit}. Used only when
 * {@code shared}: then concurrent downloads share {@code upload} and concurrent uploads share
 * {@code download} ({@link SharedLink}); otherwise every transfer sees only its client's rate.
 *
 * @param upload   mean server-to-clients capacity
 * @param download mean clients-to-server capacity
 * @param sigma    per-transfer redraw of the capacity (PR-FL: 0.1), 0 = constant
 * @param shared   model the shared server link at all
 */
public record ServerLinkSpec(double upload, double download, double sigma, boolean shared) {

    public ServerLinkSpec {
        Checks.positiveFinite("server upload", upload);
        Checks.positiveFinite("server download", download);
        Checks.nonNegativeFinite("server sigma", sigma);
    }
}
