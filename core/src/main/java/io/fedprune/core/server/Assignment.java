package io.fedprune.core.server;

import io.fedprune.core.strategy.LocalAltRound;
import io.fedprune.core.compress.ResidualIncrement;
import io.fedprune.core.compress.ResidualSplit;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.LocalWork;
import java.util.List;

/**
 * Work for one client, ready to send.
 *
 * @param model the encoded (sub-)model; shared with every client sent the same bytes
 * @param mask  the sub-model's mask as little-endian bit words, empty for the whole model
 * @param codec the downlink codec chain's canonical text, empty for the configured one
 * @param work  local work, null for the configured default
 * @param computeScale the local round's compute as a fraction of the dense model's, in (0, 1]
 * @param residual when not null, the sub-model goes out as these residual increments (and
 *              {@code model} is empty): the client fetches increments {@code from..level} of the
 *              split and rebuilds its sub-model
 * @param uplink   the upload's plan (pruning ratio, rate), null for the configured uplink
 * @param localAlt when not null, the client runs this LocalAlt round (personalization) on the model
 */
public record Assignment(int clientId, long version, long round, byte[] model, byte[] mask, String codec,
                         LocalWork work, double computeScale, Residual residual, Dispatch.Uplink uplink,
                         LocalAltRound localAlt) {

    /** What a client fetches instead of a whole sub-model. */
    public record Residual(ResidualSplit split, int from, int level) {
        public List<ResidualIncrement> increments() {
            return split.needed(level, split.id(), from);
        }

        /** Bytes of those increments: what the client downloads instead of a whole sub-model. */
        public long bytes() {
            long sum = 0;
            for (ResidualIncrement i : increments()) {
                sum += i.size();
            }
            return sum;
        }
    }

    public Assignment(int clientId, long version, long round, byte[] model, byte[] mask, String codec, LocalWork work,
                      double computeScale) {
        this(clientId, version, round, model, mask, codec, work, computeScale, null, null, null);
    }

    /** Without an upload plan or a LocalAlt round. */
    public Assignment(int clientId, long version, long round, byte[] model, byte[] mask, String codec, LocalWork work,
                      double computeScale, Residual residual) {
        this(clientId, version, round, model, mask, codec, work, computeScale, residual, null, null);
    }

    /** Bytes this assignment puts on the downlink. */
    public long bytes() {
        return (long) model.length + mask.length + (residual == null ? 0 : residual.bytes());
    }
}
