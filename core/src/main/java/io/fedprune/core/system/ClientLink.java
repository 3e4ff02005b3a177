package io.fedprune.core.system;

/**
 * One client's mean link speeds and compute scale in an explicit device table (PR-FL's per-client
 * speeds), in the table's {@link SpeedUnit}.
 *
 * @param download     mean server-to-client rate
 * @param upload       mean client-to-server rate
 * @param computeScale multiplier on the fleet's base cpu-hz (2 = twice as fast)
 */
public record ClientLink(double download, double upload, double computeScale) {

    public ClientLink {
        Checks.positiveFinite("download", download);
        Checks.positiveFinite("upload", upload);
        Checks.positiveFinite("computeScale", computeScale);
    }
}
