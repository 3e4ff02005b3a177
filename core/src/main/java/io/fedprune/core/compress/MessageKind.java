package io.fedprune.core.compress;

/** What a counted message carried; later techniques add activations, gradients, masks, residuals. */
public enum MessageKind { GLOBAL_MODEL, CLIENT_UPDATE, MASK, RESIDUAL_INCREMENT }
