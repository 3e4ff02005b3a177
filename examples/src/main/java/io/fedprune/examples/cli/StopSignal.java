package io.fedprune.examples.cli;

import io.fedprune.actors.experiment.RunHandle;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C / SIGTERM for one CLI invocation. {@link #request()} interrupts every run in progress (their
 * {@link RunHandle}s: a parallel compare has several) and marks every later one interrupted, so a
 * sweep stops after the current run.
 * {@link #shutdownHook} is the JVM hook {@code main} installs: it requests the stop and then holds
 * the JVM up, for a bounded time, until the command has written its partial results; the JVM then
 * exits with 130 (SIGINT) or 143 (SIGTERM). Tests call {@link #request()} directly.
 */
public final class StopSignal {
    private volatile boolean requested;
    private final Set<RunHandle> running = ConcurrentHashMap.newKeySet();
    private final CountDownLatch finished = new CountDownLatch(1);

    /**
     * A handle for a run about to start, until {@link #ended}; already interrupted if a stop was
     * requested. Added before {@code requested} is read, while {@link #request()} sets it before
     * reading the set: a run starting during a stop is always seen by one side or the other.
     */
    RunHandle newRun() {
        RunHandle h = new RunHandle();
        running.add(h);
        if (requested) {
            h.interrupt();
        }
        return h;
    }

    /** The run of {@code h} has returned: a later stop need not reach it. */
    void ended(RunHandle h) {
        running.remove(h);
    }

    private final CompletableFuture<Void> requestedFuture = new CompletableFuture<>();

    /** Stops the runs in progress (their summaries say "interrupted") and any run not yet started. */
    public void request() {
        requested = true;
        for (RunHandle h : running) {
            h.interrupt();
        }
        requestedFuture.complete(null);
    }

    /** Completes when a stop is requested: what a command that is not a run (a node) waits on. */
    CompletableFuture<Void> whenRequested() {
        return requestedFuture;
    }

    public boolean requested() {
        return requested;
    }

    /** The command has returned (its outputs are written). */
    void finished() {
        finished.countDown();
    }

    /** The hook {@code main} installs: stop, then wait up to {@code wait} for the outputs. */
    Thread shutdownHook(PrintWriter err, Duration wait) {
        return new Thread(() -> {
            if (finished.getCount() == 0) {
                return; // a normal exit
            }
            err.println();
            err.println("fedprune: stopping: writing the results so far (waiting up to " + wait.toSeconds() + " s)...");
            request();
            try {
                if (!finished.await(wait.toMillis(), TimeUnit.MILLISECONDS)) {
                    err.println("fedprune: gave up waiting; rounds.csv holds the rows written so far, "
                            + "summary.json may be missing");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fedprune-stop");
    }
}
