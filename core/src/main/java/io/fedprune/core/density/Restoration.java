package io.fedprune.core.density;

import java.util.Objects;
import java.util.Optional;

/**
 * PR-FL's recovery, stage 2 (ALGORITHMS.md §6), with FedGMR's schedules (§7): a state machine that
 * is told of each validation accuracy (and, for {@code time(T)}, of the clock) and answers what
 * the caller must do. It raises the floors of a {@link DensityController}; it never touches a
 * model, it only keeps a reference to the best one and hands it back when it must be restored.
 *
 * <p>With an early-stopping schedule ({@code legacy}, {@code fixed}, {@code ladder}), when the
 * {@link EarlyStopping} trigger fires:
 * <ul>
 *   <li>if every floor is already 1 (the last stage), the run is {@linkplain Action#FINISHED
 *       finished};</li>
 *   <li>otherwise every floor rises ({@link DensityController#raiseFloors}) and the action is
 *       {@link Action#RAISED}; once that leaves every floor at 1, the last stage begins and the
 *       patience becomes {@code patience × lastStageFactor} (PR-FL: ×5), so the full model has
 *       time to reach its best accuracy.</li>
 * </ul>
 * Both tell the caller to restore the best model so far (PR-FL reloads its best checkpoint, also
 * before stopping). The best accuracy is kept across firings: after a raise, the larger models
 * must beat it within the patience or the next raise comes.
 *
 * <p>With {@code time(T)}, evaluations only keep track of the best model; {@link #onClock} raises
 * the floors once per trigger time passed (0.2T, 0.4T, …, T), without restoring anything, and
 * reaching T finishes the run (its own raise is never trained on: as in FedGMR, T is the run's
 * length).
 *
 * @param <M> what the caller keeps of a model (e.g. its version and parameters); kept by
 *            reference, so pass a value that is not modified afterwards
 */
public final class Restoration<M> {

    /** What the caller must do. */
    public enum Action {
        /** Keep training with the current densities. */
        CONTINUE,
        /** The floors rose: recompute the densities and masks and re-split the sub-models. */
        RAISED,
        /** Stop: training is over. */
        FINISHED
    }

    /**
     * @param action  what to do
     * @param restore the best model so far, to be restored as the global model; null when nothing
     *                is to be restored
     */
    public record Step<M>(Action action, M restore) {
        public Step {
            Objects.requireNonNull(action, "action");
        }
    }

    /** PR-FL enlarges the patience fivefold when recovery reaches the full model. */
    public static final int DEFAULT_LAST_STAGE_FACTOR = 5;

    private final RestorationSchedule schedule;
    private final DensityController densities;
    private final EarlyStopping trigger;
    private final int patience;
    private final int lastStagePatience;
    private final double[] triggerTimes;
    private int timeCursor;
    private int raises;
    private boolean finished;
    private M best;

    /**
     * @param patience        evaluations without a new best before recovery steps (PR-FL: 10)
     * @param lastStageFactor the patience multiplier once every floor is 1, >= 1
     */
    public Restoration(RestorationSchedule schedule, DensityController densities, int patience, int lastStageFactor) {
        this.schedule = Objects.requireNonNull(schedule, "schedule");
        this.densities = Objects.requireNonNull(densities, "densities");
        if (lastStageFactor < 1) {
            throw new IllegalArgumentException("last-stage patience factor must be >= 1, got " + lastStageFactor);
        }
        this.trigger = new EarlyStopping(patience);
        this.patience = patience;
        try {
            this.lastStagePatience = Math.multiplyExact(patience, lastStageFactor);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("patience " + patience + " x last-stage factor " + lastStageFactor
                    + " overflows an int");
        }
        this.triggerTimes = schedule instanceof RestorationSchedule.TimeBased t ? t.triggerTimes() : new double[0];
    }

    public Restoration(RestorationSchedule schedule, DensityController densities, int patience) {
        this(schedule, densities, patience, DEFAULT_LAST_STAGE_FACTOR);
    }

    /**
     * One validation accuracy of the current global model {@code model}.
     *
     * @throws IllegalArgumentException if the accuracy is NaN
     * @throws IllegalStateException    if the run is already finished
     */
    public Step<M> onEvaluation(double accuracy, M model) {
        Objects.requireNonNull(model, "model");
        checkRunning();
        // floors only rise, so once in the last stage the run stays there
        trigger.setPatience(lastStage() ? lastStagePatience : patience);
        EarlyStopping.Signal signal = trigger.observe(accuracy);
        if (signal == EarlyStopping.Signal.IMPROVED) {
            best = model;
        }
        if (signal != EarlyStopping.Signal.FIRED || schedule.timeTriggered()) {
            return new Step<>(Action.CONTINUE, null);
        }
        if (lastStage()) {
            finished = true;
            return new Step<>(Action.FINISHED, best);
        }
        raise();
        return new Step<>(Action.RAISED, best);
    }

    /**
     * The clock now reads {@code now} (the unit of the budget): for {@code time(T)}, one raise per
     * trigger time reached since the last call.
     *
     * @throws IllegalStateException if the schedule is not time-triggered or the run is finished
     */
    public Step<M> onClock(double now) {
        if (!schedule.timeTriggered()) {
            throw new IllegalStateException(schedule.canonical() + " is triggered by early stopping, not by the clock");
        }
        checkRunning();
        if (Double.isNaN(now)) {
            throw new IllegalArgumentException("clock reads NaN");
        }
        int reached = 0;
        while (timeCursor < triggerTimes.length && now >= triggerTimes[timeCursor]) {
            timeCursor++;
            reached++;
            raise();
        }
        if (timeCursor == triggerTimes.length) {
            finished = true;
            return new Step<>(Action.FINISHED, null);
        }
        return new Step<>(reached > 0 ? Action.RAISED : Action.CONTINUE, null);
    }

    private void raise() {
        densities.raiseFloors(schedule);
        raises++;
    }

    private void checkRunning() {
        if (finished) {
            throw new IllegalStateException("recovery already finished the run");
        }
    }

    /** True once every floor is 1: every client trains the full model. */
    public boolean lastStage() {
        return densities.allFull();
    }

    public boolean finished() {
        return finished;
    }

    /** The model of the best accuracy so far (the first of equals), empty before any evaluation. */
    public Optional<M> bestModel() {
        return Optional.ofNullable(best);
    }

    /** The best accuracy so far, NaN before any evaluation. */
    public double bestAccuracy() {
        return trigger.best();
    }

    /** The patience now in effect. */
    public int patience() {
        return lastStage() ? lastStagePatience : patience;
    }

    /** How many times the floors were raised. */
    public int raises() {
        return raises;
    }

    public RestorationSchedule schedule() {
        return schedule;
    }
}
