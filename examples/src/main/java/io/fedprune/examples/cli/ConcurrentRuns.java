package io.fedprune.examples.cli;

import io.fedprune.core.metrics.RunSummary;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a comparison's jobs, up to {@code parallel} at once, in their order. Each run already lives
 * in its own ActorSystem, trainer pool and folder, so running several only needs threads to block
 * in. A stop (Ctrl-C) interrupts every running run and starts no new one; a run that fails stops
 * the others the same way, so the table of what finished can still be written before the error.
 */
final class ConcurrentRuns {

    /**
     * @param runs        the summaries of the runs that ran (finished or interrupted), in job order
     * @param interrupted a stop came: some run was interrupted or never started
     * @param failure     the first run's exception, or null
     */
    record Outcome(Map<String, RunSummary> runs, boolean interrupted, RuntimeException failure) {
    }

    private final int parallel;
    private final boolean quiet;
    private final StopSignal stop;

    ConcurrentRuns(int parallel, boolean quiet, StopSignal stop) {
        this.parallel = parallel;
        this.quiet = quiet;
        this.stop = stop;
    }

    Outcome run(Map<String, RunJob> jobs, Map<String, OutputDir> dirs) {
        // side by side, progress bars and per-run lines would interleave: one line per finished run
        RunJob.Console console = parallel > 1 ? RunJob.Console.SILENT
                : quiet ? RunJob.Console.LINES : RunJob.Console.PROGRESS;
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger thread = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(parallel,
                r -> new Thread(r, "fedprune-compare-" + thread.incrementAndGet()));
        Map<String, Future<RunSummary>> pending = new LinkedHashMap<>();
        try {
            jobs.forEach((label, job) -> pending.put(label, pool.submit(() -> {
                if (stop.requested()) {
                    return null; // stopped before it began
                }
                RunSummary s = job.execute(dirs.get(label), console, stop);
                if (console == RunJob.Console.SILENT) {
                    System.out.println(finishedLine(finished.incrementAndGet(), jobs.size(), label, s));
                }
                return s;
            })));
            return collect(pending);
        } finally {
            pool.shutdown();
        }
    }

    private Outcome collect(Map<String, Future<RunSummary>> pending) {
        Map<String, RunSummary> runs = new LinkedHashMap<>();
        boolean interrupted = false;
        RuntimeException failure = null;
        for (Map.Entry<String, Future<RunSummary>> e : pending.entrySet()) {
            try {
                RunSummary s = waitFor(e.getValue());
                if (s == null || RunJob.interrupted(s)) {
                    interrupted = true;
                }
                if (s != null) {
                    runs.put(e.getKey(), s);
                }
            } catch (ExecutionException x) {
                if (failure == null) {
                    failure = x.getCause() instanceof RuntimeException r ? r
                            : new IllegalStateException("run " + e.getKey() + " failed: " + x.getCause(), x.getCause());
                    stop.request();
                }
            }
        }
        // the runs a failure stopped are not "interrupted" by the user: the failure is what is reported
        return new Outcome(runs, interrupted && failure == null, failure);
    }

    /** The runs are stopped through {@link StopSignal}, never by interrupting this thread; it waits on. */
    private static RunSummary waitFor(Future<RunSummary> f) throws ExecutionException {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return f.get();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static String finishedLine(int n, int of, String label, RunSummary s) {
        String outcome = s.history().isEmpty() ? "before any version was evaluated"
                : String.format("after %d versions: final accuracy %.4f (best %.4f), virtual time %.1f s, wall %.1f s",
                s.rounds(), s.finalAccuracy(), s.bestAccuracy(), s.virtualTimeS(), s.wallTimeS());
        return String.format("fedprune: compare: %d/%d %s: %s %s", n, of, label, s.stopReason(), outcome);
    }
}
