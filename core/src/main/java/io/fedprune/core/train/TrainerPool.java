package io.fedprune.core.train;

import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.ParameterLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A few {@link LocalTrainer}s shared by every client: memory does not grow with the number of
 * clients, and work runs on the pool's own threads, never on an actor's. Callers get a
 * {@link CompletableFuture} (actors pipe it to themselves).
 *
 * <p>Local rounds are {@linkplain #schedule scheduled} with the time their result is due: the
 * pool trains them earliest-due first and keeps at most {@code maxAhead} results (running or
 * finished) waiting for their due time, so a simulation with many busy clients holds a bounded
 * number of trained models, not one per client ({@link DueOrder}). A caller releases its job when
 * it no longer holds the result.
 *
 * <p>Each worker thread owns one trainer and uses one native (OpenMP) thread: parallelism comes
 * from several trainers, because OpenMP inside plus Java threads outside made small networks 2-3x
 * slower (STACK.md).
 */
public final class TrainerPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrainerPool.class);

    static {
        // JavaCPP checks the process's physical memory (reading /proc) on every native allocation
        // unless told not to: with thousands of small local rounds that check was the simulator's
        // first bottleneck (docs/BENCHMARKS.md, "fedprune scale"). The accurate heap-sized maxBytes
        // limit stays. Effective only if JavaCPP is not loaded yet; the launcher also sets it.
        if (System.getProperty("org.bytedeco.javacpp.maxPhysicalBytes") == null
                && System.getProperty("org.bytedeco.javacpp.maxphysicalbytes") == null) {
            System.setProperty("org.bytedeco.javacpp.maxPhysicalBytes", "0");
        }
    }
    /** Results (running or waiting for their due time) per worker beyond which only the earliest-due job starts. */
    public static final int AHEAD_PER_WORKER = 4;

    private final ModelSpec spec;
    private final List<LocalTrainer> all = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final DueOrder order;
    private final ParameterLayout layout;
    private final float[] initialParameters;

    /** A local round scheduled on the pool. */
    public static final class Job<R> {
        private final CompletableFuture<R> result = new CompletableFuture<>();
        private final DueOrder order;
        private DueOrder.Entry entry;

        private Job(DueOrder order) {
            this.order = order;
        }

        public CompletableFuture<R> result() {
            return result;
        }

        /**
         * The caller no longer holds the result (it used it, or the round was superseded): it stops
         * counting against the pool's bound; a job not yet started is dropped. Idempotent.
         */
        public void release() {
            order.release(entry);
        }

        /**
         * The caller waits for this result now (its due time has come): the job starts as soon as
         * a worker is free, whatever the bound. Due keys are then only hints for training ahead.
         */
        public void needNow() {
            order.urgent(entry);
        }
    }

    /**
     * @param workers     number of networks and threads (typically the number of cores)
     * @param initSeed    seeds the initial global model
     */
    public TrainerPool(ModelSpec spec, OptimizerSpec optimizer, long initSeed, int workers) {
        this(spec, optimizer, initSeed, workers, AHEAD_PER_WORKER * workers);
    }

    /** @param maxAhead held results (running or finished, not yet released) beyond which only the earliest-due job starts */
    public TrainerPool(ModelSpec spec, OptimizerSpec optimizer, long initSeed, int workers, int maxAhead) {
        if (workers < 1) {
            throw new IllegalArgumentException("trainer pool needs at least one worker, got " + workers);
        }
        Nd4j.getEnvironment().setMaxThreads(1);
        this.spec = spec;
        this.order = new DueOrder(Math.max(maxAhead, workers));
        for (int i = 0; i < workers; i++) {
            all.add(new LocalTrainer(spec, optimizer, initSeed));
        }
        this.layout = all.get(0).layout();
        this.initialParameters = all.get(0).parameters();
        for (int i = 0; i < workers; i++) {
            LocalTrainer trainer = all.get(i);
            Thread t = new Thread(() -> work(trainer), "fedprune-trainer-" + (i + 1));
            t.setDaemon(true);
            threads.add(t);
            t.start();
        }
        log.info("trainer pool: {} workers, model {} with {} parameters", workers, spec.architecture(), layout.totalLength());
    }

    private void work(LocalTrainer trainer) {
        try {
            DueOrder.Entry e;
            while ((e = order.take()) != null) {
                try {
                    e.run(trainer);
                } finally {
                    order.finished(e);
                }
            }
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
        }
    }

    public ModelSpec spec() {
        return spec;
    }

    public ParameterLayout layout() {
        return layout;
    }

    public int workers() {
        return all.size();
    }

    /** The seeded initial model (a copy). */
    public float[] initialParameters() {
        return initialParameters.clone();
    }

    /** Trains {@code task} as soon as a worker is free (not counted against the bound). */
    public CompletableFuture<TrainResult> train(TrainTask task) {
        return submit(Long.MIN_VALUE, "", 0, false, t -> t.train(task)).result();
    }

    /**
     * A local round due at {@code dueKey} (clock microseconds): built and post-processed on the
     * worker thread, so callers pass encoded bytes in and get encoded bytes out and a queued or
     * finished job holds no decoded copy of the model. {@code then} also gets the task, e.g. to
     * measure the update against its start parameters. Release the job once its result is used.
     */
    public <R> Job<R> schedule(long dueKey, Supplier<TrainTask> task, BiFunction<TrainTask, TrainResult, R> then) {
        return schedule(dueKey, "", 0, task, then);
    }

    /**
     * As {@link #schedule(long, Supplier, BiFunction)}, with equal due times ordered by
     * {@code owner} then {@code ownerSequence}: pass the order in which the clock will ask for the
     * results (a client's path and its task), so that thousands of rounds due at the same instant
     * are trained in that order and only a bounded number ahead.
     */
    public <R> Job<R> schedule(long dueKey, String owner, long ownerSequence, Supplier<TrainTask> task,
                               BiFunction<TrainTask, TrainResult, R> then) {
        return submit(dueKey, owner, ownerSequence, true, t -> {
            TrainTask built = task.get();
            return then.apply(built, t.train(built));
        });
    }

    /**
     * As {@link #schedule(long, String, long, Supplier, BiFunction)} for a local round that is not
     * one {@link TrainTask} (LocalAlt's phases): {@code work} runs on a worker's trainer.
     */
    public <R> Job<R> scheduleWork(long dueKey, String owner, long ownerSequence, Function<LocalTrainer, R> work) {
        return submit(dueKey, owner, ownerSequence, true, work);
    }

    /** Evaluates {@code params} ahead of any training: a run waits for its evaluations. */
    public CompletableFuture<EvalResult> evaluate(float[] params, Dataset data, int batchSize) {
        return evaluate(() -> params, data, batchSize);
    }

    /** As {@link #evaluate(float[], Dataset, int)}, the parameters made (decoded) on the worker thread. */
    public CompletableFuture<EvalResult> evaluate(Supplier<float[]> params, Dataset data, int batchSize) {
        return submit(Long.MIN_VALUE, "", 0, false, t -> t.evaluate(params.get(), data, batchSize)).result();
    }

    /** Jobs (training or evaluation) a worker is running right now: 0 means no computation is under way. */
    public int running() {
        return order.running();
    }

    /** Finished results not yet released (diagnostics and tests). */
    public int heldResults() {
        return order.heldResults();
    }

    private <R> Job<R> submit(long key, String owner, long ownerSequence, boolean held,
                              Function<LocalTrainer, R> work) {
        Job<R> job = new Job<>(order);
        job.entry = new DueOrder.Entry(key, owner, ownerSequence, held) {
            @Override
            void run(LocalTrainer trainer) {
                if (cancelled) {
                    job.result.cancel(false);
                    return;
                }
                try {
                    job.result.complete(work.apply(trainer));
                } catch (Throwable t) {
                    job.result.completeExceptionally(t);
                }
            }

            @Override
            void abandon() {
                job.result.cancel(false);
            }
        };
        order.add(job.entry);
        return job;
    }

    /**
     * Drops queued work, lets running tasks finish (a network must not be closed under a native
     * call), then frees the networks' off-heap memory.
     */
    @Override
    public void close() {
        order.close();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        for (Thread t : threads) {
            try {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (t.isAlive()) {
                log.warn("trainer pool: {} still running after 60 s; closing the networks anyway", t.getName());
            }
        }
        all.forEach(LocalTrainer::close);
    }
}
