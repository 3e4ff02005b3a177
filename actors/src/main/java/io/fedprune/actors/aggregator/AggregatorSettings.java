package io.fedprune.actors.aggregator;

/**
 * What the aggregator actor needs beyond its server (strategy, model, codecs).
 *
 * @param maxVersions stop giving out work after this many published versions (0 = no cap), at
 *                    most {@link #MAX_VERSIONS}
 * @param maxIdle     give up after this many consecutive rounds (or rounds' worth of updates in
 *                    continuous pacing) that produced nothing usable
 */
public record AggregatorSettings(long maxVersions, int maxIdle) {

    public static final int DEFAULT_MAX_IDLE = 10;
    /** A cap past any run that could finish; larger values are typos (1e20) that would never end. */
    public static final long MAX_VERSIONS = 1_000_000_000L;

    public AggregatorSettings {
        if (maxVersions < 0 || maxVersions > MAX_VERSIONS) {
            throw new IllegalArgumentException("max versions must be in [0, " + MAX_VERSIONS + "], got " + maxVersions);
        }
        if (maxIdle < 1) {
            throw new IllegalArgumentException("max idle rounds must be >= 1, got " + maxIdle);
        }
    }

    public AggregatorSettings(long maxVersions) {
        this(maxVersions, DEFAULT_MAX_IDLE);
    }
}
