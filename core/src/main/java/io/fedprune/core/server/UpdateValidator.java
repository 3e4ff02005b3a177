package io.fedprune.core.server;

import io.fedprune.core.strategy.ModelState;

/**
 * Checks an update before any strategy sees it, so a broken or malicious client can never
 * corrupt the global model: the length must match the model, every value must be finite, the
 * claimed sample count must be positive and within what the server knows of the client, and the
 * base version must exist.
 */
public final class UpdateValidator {
    private UpdateValidator() {
    }

    /**
     * @param maxSamples the most samples this client can have trained on in its local round
     *                   ({@link Long#MAX_VALUE} when the server does not know)
     * @throws InvalidUpdateException naming the client and the first problem found
     */
    public static void validate(int clientId, float[] params, long samples, long maxSamples, long baseVersion,
                                ModelState global) {
        int expected = global.params().length;
        if (params.length != expected) {
            throw new InvalidUpdateException("update from client " + clientId + " has " + params.length
                    + " parameters, the model has " + expected);
        }
        for (int j = 0; j < params.length; j++) {
            if (!Float.isFinite(params[j])) {
                throw new InvalidUpdateException("update from client " + clientId + " holds " + params[j]
                        + " at parameter " + j);
            }
        }
        if (samples <= 0) {
            throw new InvalidUpdateException("update from client " + clientId + " claims " + samples
                    + " training samples");
        }
        if (samples > maxSamples) {
            throw new InvalidUpdateException("update from client " + clientId + " claims " + samples
                    + " training samples, at most " + maxSamples + " are possible for its data and local work");
        }
        if (baseVersion < 0 || baseVersion > global.version()) {
            throw new InvalidUpdateException("update from client " + clientId + " claims base version "
                    + baseVersion + ", the global model is at version " + global.version());
        }
    }
}
