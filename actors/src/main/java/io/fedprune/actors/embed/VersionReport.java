package io.fedprune.actors.embed;

/**
 * One published global model version as an embedded aggregator reports it.
 *
 * @param accuracy     test accuracy on the aggregator's evaluation data; NaN without it
 * @param loss         test loss, NaN without evaluation data
 * @param bytesUp      bytes clients sent so far (cumulative, from the arrays sent)
 * @param bytesDown    bytes the server sent so far
 * @param participants updates behind this version
 * @param wallSeconds  seconds since the aggregator was spawned
 * @param last         no further version will follow (the round cap, or the strategy finished)
 */
public record VersionReport(long version, long round, double accuracy, double loss, long bytesUp, long bytesDown,
                            int participants, double wallSeconds, boolean last) {

    /** One console line: version, test accuracy, updates, cumulative MB each way, seconds. */
    public String describe() {
        return String.format("version %d: test accuracy %.4f, %d updates, up %.1f MB, down %.1f MB, %.1f s", version,
                accuracy, participants, bytesUp / 1e6, bytesDown / 1e6, wallSeconds);
    }
}
