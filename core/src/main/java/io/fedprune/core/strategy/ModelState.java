package io.fedprune.core.strategy;

/** The global model a strategy sees: parameters (read-only by convention) and their version. */
public record ModelState(float[] params, long version) {
}
