package io.fedprune.core.compress;

/**
 * What a counted message carried. Split learning adds the cut layer's traffic (activations with
 * labels up, activation gradients down) and the client parts (up for averaging, the average down).
 */
public enum MessageKind { GLOBAL_MODEL, CLIENT_UPDATE, MASK, RESIDUAL_INCREMENT, ACTIVATIONS, ACTIVATION_GRADIENTS, CLIENT_PART }
