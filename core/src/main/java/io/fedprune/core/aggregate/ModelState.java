package io.fedprune.core.aggregate;

/** The global model a strategy sees: parameters (read-only by convention) and their version. */
public record ModelState(float[] params, long version) {
}
