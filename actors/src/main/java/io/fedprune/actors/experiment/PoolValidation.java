package io.fedprune.actors.experiment;

import io.fedprune.core.data.Dataset;
import io.fedprune.core.strategy.Validation;
import io.fedprune.core.train.TrainerPool;

/**
 * Validation on the trainer pool. A strategy calls it from the aggregator's model work, which runs
 * on the blocking dispatcher, so waiting for the pool here never holds an actor thread; the pool
 * runs evaluations ahead of queued training.
 */
public record PoolValidation(TrainerPool pool, Dataset data, int batchSize) implements Validation {

    @Override
    public double accuracy(float[] params) {
        return pool.evaluate(params, data, batchSize).join().accuracy(); // joined: params stay unchanged meanwhile
    }

    @Override
    public int samples() {
        return data.size();
    }
}
