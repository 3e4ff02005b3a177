package io.fedprune.core.train;

import io.fedprune.core.model.OptimizerSpec;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class TrainerPoolTest {
    static final ModelSpec SPEC = new ModelSpec(ModelArchitecture.MLP, 1, 4, 4, 3);
    static final Dataset DATA = SyntheticDataset.gaussianClusters(150, 3, 1, 4, 4, 0.1, 21);
    static final int[] SHARD = IntStream.range(0, 90).toArray();
    // generous guard against a hang; never a timing assertion
    static final long GUARD_S = 120;

    private static TrainerPool pool;

    @BeforeAll
    static void start() {
        pool = new TrainerPool(SPEC, OptimizerSpec.sgd(0.05), 5, 2);
    }

    @AfterAll
    static void stop() {
        if (pool != null) {
            pool.close();
        }
    }

    static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(GUARD_S, TimeUnit.SECONDS);
    }

    @Test
    void exposesSpecLayoutAndACopyOfTheInitialModel() {
        assertEquals(2, pool.workers());
        assertEquals(SPEC, pool.spec());
        float[] a = pool.initialParameters();
        float[] original = a.clone();
        assertEquals(pool.layout().totalLength(), a.length);
        Arrays.fill(a, 42f);
        assertNotSame(a, pool.initialParameters());
        assertArrayEquals(original, pool.initialParameters(), "callers must get a copy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TrainerPool(SPEC, OptimizerSpec.sgd(0.05), 5, 0));
        assertTrue(e.getMessage().contains("at least one worker"), e.getMessage());
    }

    @Test
    void sameTaskOnConcurrentWorkersIsBitwiseIdenticalToAStandaloneTrainer() throws Exception {
        TrainTask task = new TrainTask(pool.initialParameters(), DATA, SHARD, 2, 0, 8, 77);
        // more tasks than workers: the FIFO idle queue hands out both trainers, and they run concurrently
        List<CompletableFuture<TrainResult>> futures = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            futures.add(pool.train(task));
        }
        float[] reference;
        // a network built from another seed: only the swapped-in parameters may matter
        try (LocalTrainer standalone = new LocalTrainer(SPEC, OptimizerSpec.sgd(0.05), 999)) {
            assertFalse(Arrays.equals(pool.initialParameters(), standalone.parameters()));
            reference = standalone.train(task).params();
        }
        for (CompletableFuture<TrainResult> f : futures) {
            TrainResult r = await(f);
            assertArrayEquals(reference, r.params());
            assertEquals(task.plannedSteps(), r.steps());
            assertEquals(task.plannedSamples(), r.samples());
        }
        assertFalse(Arrays.equals(reference, pool.initialParameters()));

        TrainResult otherSeed = await(pool.train(new TrainTask(pool.initialParameters(), DATA, SHARD, 2, 0, 8, 78)));
        assertFalse(Arrays.equals(reference, otherSeed.params()));
    }

    @Test
    void manyMixedTasksAllComplete() throws Exception {
        Dataset test = DATA.subset(IntStream.range(90, 150).toArray(), "test");
        List<CompletableFuture<?>> futures = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            int[] shard = IntStream.range(i * 10, i * 10 + 10).toArray();
            futures.add(pool.train(new TrainTask(pool.initialParameters(), DATA, shard, 1, 0, 4, i)));
            futures.add(pool.evaluate(pool.initialParameters(), test, 16));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(GUARD_S, TimeUnit.SECONDS);
        EvalResult first = (EvalResult) futures.get(1).get();
        for (int i = 0; i < futures.size(); i += 2) {
            TrainResult r = (TrainResult) futures.get(i).get();
            assertEquals(3, r.steps());
            assertEquals(10, r.samples());
            EvalResult e = (EvalResult) futures.get(i + 1).get();
            assertEquals(first, e, "the same evaluation on any worker gives the same result");
        }
    }

    @Test
    void failingTasksReturnTheirTrainerToThePool() throws Exception {
        // every worker gets a failing task (more of them than workers), then good work must still run
        List<CompletableFuture<TrainResult>> bad = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            bad.add(pool.train(new TrainTask(new float[7], DATA, SHARD, 1, 0, 8, i)));
        }
        for (CompletableFuture<TrainResult> f : bad) {
            ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(GUARD_S, TimeUnit.SECONDS));
            assertInstanceOf(IllegalArgumentException.class, e.getCause());
            assertTrue(e.getCause().getMessage().contains("7"), e.getCause().getMessage());
        }
        List<CompletableFuture<TrainResult>> good = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            good.add(pool.train(new TrainTask(pool.initialParameters(), DATA, SHARD, 0, 2, 8, i)));
        }
        for (CompletableFuture<TrainResult> f : good) {
            assertEquals(2, await(f).steps());
        }
    }
}
