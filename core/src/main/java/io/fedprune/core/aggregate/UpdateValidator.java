package io.fedprune.core.aggregate;

/**
 * Checks an update before any strategy sees it, so a broken or malicious client can never
 * corrupt the global model: the length must match the model and every value must be finite.
 */
public final class UpdateValidator {
    private UpdateValidator() {
    }

    /** @throws InvalidUpdateException naming the client and the first problem found */
    public static void validate(ClientUpdate update, ModelState global) {
        float[] p = update.params();
        int expected = global.params().length;
        if (p.length != expected) {
            throw new InvalidUpdateException("update from client " + update.clientId() + " has " + p.length
                    + " parameters, the model has " + expected);
        }
        for (int j = 0; j < p.length; j++) {
            if (!Float.isFinite(p[j])) {
                throw new InvalidUpdateException("update from client " + update.clientId() + " holds " + p[j]
                        + " at parameter " + j);
            }
        }
        if (update.numSamples() <= 0) {
            throw new InvalidUpdateException("update from client " + update.clientId() + " claims "
                    + update.numSamples() + " training samples");
        }
        if (update.baseVersion() < 0 || update.baseVersion() > global.version()) {
            throw new InvalidUpdateException("update from client " + update.clientId() + " claims base version "
                    + update.baseVersion() + ", the global model is at version " + global.version());
        }
    }
}
