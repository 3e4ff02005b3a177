package io.fedprune.actors.client;

import io.fedprune.core.compress.UplinkEncoder;

/**
 * A {@link Client}'s trained model as it will be uploaded: only the encoded bytes (and residual)
 * are kept while waiting, with a LocalAlt round's new personal part and device accuracy (else null
 * and NaN).
 */
record EncodedUpdate(UplinkEncoder.Encoded upload, long samples, double meanLoss, float[] personal,
                     double deviceAccuracy) {

    EncodedUpdate(UplinkEncoder.Encoded upload, long samples, double meanLoss) {
        this(upload, samples, meanLoss, null, Double.NaN);
    }
}
