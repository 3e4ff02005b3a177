package io.fedprune.core.model;

import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.Sgd;

/** The client-side optimiser. Its state is reset at the start of every local round. */
public record OptimizerSpec(Kind kind, double learningRate, double momentum) {

    public enum Kind { SGD, MOMENTUM, ADAM }

    public OptimizerSpec {
        if (kind == null) {
            throw new IllegalArgumentException("optimizer kind is required");
        }
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        if (!(momentum >= 0 && momentum < 1)) { // also refuses NaN
            throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
        }
    }

    public static OptimizerSpec sgd(double lr) {
        return new OptimizerSpec(Kind.SGD, lr, 0);
    }

    public static OptimizerSpec adam(double lr) {
        return new OptimizerSpec(Kind.ADAM, lr, 0);
    }

    public IUpdater toUpdater() {
        return switch (kind) {
            case SGD -> new Sgd(learningRate);
            case MOMENTUM -> new Nesterovs(learningRate, momentum);
            case ADAM -> new Adam(learningRate);
        };
    }
}
