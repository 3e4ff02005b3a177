package io.fedprune.core.train;

/** Accuracy and mean negative log-likelihood of a model on a dataset. */
public record EvalResult(double accuracy, double loss, int samples) {
}
