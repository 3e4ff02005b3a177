package io.fedprune.core.strategy;

/**
 * A client's decoded and validated update, as a strategy sees it.
 *
 * @param clientId    who sent it
 * @param params      the client's trained model, full length (zero outside {@code dispatch}'s mask)
 * @param samples     samples it trained on (checked against what the server knows of the client)
 * @param baseVersion the global version it started from
 * @param staleness   global versions published since then ({@code current - base}, &gt;= 0)
 * @param base        the model it started from, as it decoded it; null unless the strategy
 *                    {@linkplain Strategy#needsBaseModels() asked for it} or clients upload updates
 * @param dispatch    what it had been sent (its mask, work and codec)
 * @param trainLoss   its mean training loss
 * @param sentAtMicros clock time its work was assigned (so {@code atMicros - sentAtMicros} is the
 *                    client's whole round: download, compute, upload)
 * @param atMicros    clock time of arrival
 * @param deviceAccuracy the accuracy the client reported for the model it received, with its
 *                    personal part, on its own test split; NaN when it measured none (a claim,
 *                    like the training loss: a strategy reports it, never trusts it for the model)
 */
public record ArrivedUpdate(int clientId, float[] params, long samples, long baseVersion, long staleness, float[] base,
                            Dispatch dispatch, double trainLoss, long sentAtMicros, long atMicros,
                            double deviceAccuracy) {

    public ArrivedUpdate {
        if (staleness < 0) {
            throw new IllegalArgumentException("staleness must be >= 0, got " + staleness);
        }
        if (sentAtMicros > atMicros) {
            throw new IllegalArgumentException("arrived at " + atMicros + " us before it was sent at " + sentAtMicros);
        }
    }

    /** Without a device-side measurement. */
    public ArrivedUpdate(int clientId, float[] params, long samples, long baseVersion, long staleness, float[] base,
                         Dispatch dispatch, double trainLoss, long sentAtMicros, long atMicros) {
        this(clientId, params, samples, baseVersion, staleness, base, dispatch, trainLoss, sentAtMicros, atMicros,
                Double.NaN);
    }

    /** Clock time from assignment to arrival, in microseconds. */
    public long roundMicros() {
        return atMicros - sentAtMicros;
    }
}
