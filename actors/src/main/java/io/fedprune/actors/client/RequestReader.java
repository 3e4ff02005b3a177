package io.fedprune.actors.client;

import io.fedprune.core.compress.CodecChainSpec;
import io.fedprune.core.compress.PayloadFormatException;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.compress.WireCodecs;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.train.LocalTrainingConfig;
import java.util.HashMap;
import java.util.Map;

/**
 * What a {@link Client.TrainRequest} asks of a client beyond its bytes: the local work (the
 * client's configured work unless the request names its own), the downlink codec (the configured
 * one unless a strategy chose another; each chain built once and kept), and the sub-model's mask.
 */
final class RequestReader {
    private final ClientSetup setup;
    // downlink codecs other than the configured one, by canonical chain text (a strategy's choice)
    private final Map<String, WireCodec> decoders = new HashMap<>();

    RequestReader(ClientSetup setup) {
        this.setup = setup;
    }

    /** @throws IllegalArgumentException if the request's work is out of range */
    LocalTrainingConfig work(Client.TrainRequest request) {
        LocalTrainingConfig cfg = setup.training();
        if (request.epochs() == 0 && request.maxSteps() == 0) {
            return cfg;
        }
        // epochs 0 = steps alone bound the round (LocalWork.steps): as many passes as they take
        int epochs = request.epochs() == 0 ? LocalTrainingConfig.MAX_EPOCHS : request.epochs();
        return new LocalTrainingConfig(epochs, request.maxSteps(), cfg.batchSize());
    }

    /** @throws IllegalArgumentException if the chain does not parse */
    WireCodec decoder(String codec) {
        if (codec.isEmpty()) {
            return setup.codec();
        }
        return decoders.computeIfAbsent(codec, c -> WireCodecs.forSpec(CodecChainSpec.parse(c), setup.pool().layout()));
    }

    /** @throws PayloadFormatException if the bytes are no mask of {@code length} entries */
    static Mask mask(int length, byte[] bytes) {
        try {
            return Mask.fromBytes(length, bytes);
        } catch (IllegalArgumentException e) {
            throw new PayloadFormatException("bad sub-model mask: " + e.getMessage());
        }
    }
}
