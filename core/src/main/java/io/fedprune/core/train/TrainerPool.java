package io.fedprune.core.train;

import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.ParameterLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
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
 * <p>Each worker thread uses one native (OpenMP) thread: parallelism comes from several trainers,
 * because OpenMP inside plus Java threads outside made small networks 2-3x slower (STACK.md).
 */
public final class TrainerPool implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TrainerPool.class);

    private final ModelSpec spec;
    private final BlockingQueue<LocalTrainer> idle;
    private final List<LocalTrainer> all = new ArrayList<>();
    private final ExecutorService executor;
    private final ParameterLayout layout;
    private final float[] initialParameters;

    /**
     * @param workers     number of networks and threads (typically the number of cores)
     * @param initSeed    seeds the initial global model
     */
    public TrainerPool(ModelSpec spec, OptimizerSpec optimizer, long initSeed, int workers) {
        if (workers < 1) {
            throw new IllegalArgumentException("trainer pool needs at least one worker, got " + workers);
        }
        Nd4j.getEnvironment().setMaxThreads(1);
        this.spec = spec;
        this.idle = new ArrayBlockingQueue<>(workers);
        for (int i = 0; i < workers; i++) {
            LocalTrainer t = new LocalTrainer(spec, optimizer, initSeed);
            all.add(t);
            idle.add(t);
        }
        this.layout = all.get(0).layout();
        this.initialParameters = all.get(0).parameters();
        AtomicInteger n = new AtomicInteger();
        this.executor = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "fedprune-trainer-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        log.info("trainer pool: {} workers, model {} with {} parameters", workers, spec.architecture(), layout.totalLength());
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

    public CompletableFuture<TrainResult> train(TrainTask task) {
        return submit(t -> t.train(task));
    }

    /**
     * Builds the task and post-processes its result on the worker thread. Callers pass encoded
     * bytes in and get encoded bytes out, so a queued or finished task holds no decoded copy of
     * the model: memory stays flat however many clients wait for a trainer. {@code then} also
     * gets the task, e.g. to measure the update against its start parameters.
     */
    public <R> CompletableFuture<R> train(Supplier<TrainTask> task, BiFunction<TrainTask, TrainResult, R> then) {
        return submit(t -> {
            TrainTask built = task.get();
            return then.apply(built, t.train(built));
        });
    }

    public CompletableFuture<EvalResult> evaluate(float[] params, Dataset data, int batchSize) {
        return submit(t -> t.evaluate(params, data, batchSize));
    }

    private <R> CompletableFuture<R> submit(Function<LocalTrainer, R> work) {
        return CompletableFuture.supplyAsync(() -> {
            LocalTrainer trainer = idle.poll();
            if (trainer == null) {
                throw new IllegalStateException("no idle trainer although a worker thread is free");
            }
            try {
                return work.apply(trainer);
            } finally {
                idle.add(trainer);
            }
        }, executor);
    }

    /**
     * Drops queued work, lets running tasks finish (a network must not be closed under a native
     * call), then frees the networks' off-heap memory.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(60, TimeUnit.SECONDS)) {
                log.warn("trainer pool: tasks still running after 60 s; closing the networks anyway");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        all.forEach(LocalTrainer::close);
    }
}
