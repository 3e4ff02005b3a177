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
}
