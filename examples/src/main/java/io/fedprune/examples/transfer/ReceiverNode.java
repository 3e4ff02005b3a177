package io.fedprune.examples.transfer;

import io.fedprune.serialization.ActorPaths;
import io.fedprune.serialization.FedpruneConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The receiving node of {@code fedprune bench-transfer}: a cluster node (the real cluster profile,
 * role {@code client}) whose root {@code /user/fedprune} holds the two {@link TransferSink}s.
 * Either a child JVM ({@link #spawnProcess}, truly across nodes) or a second actor system in this
 * JVM ({@link #inThisJvm}).
 */
public interface ReceiverNode extends AutoCloseable {

    /** Printed by the child node once its sinks exist, followed by its address. */
    String READY = "transfer-sink ready ";

    /** The node's address, {@code pekko://fedprune@host:port}. */
    String address();

    @Override
    void close();

    /** The node's actor system joined to {@code seed} ({@code host:port}) as role {@code client}. */
    static ActorSystem<Void> startSystem(String seed) {
        Behavior<Void> guardian = Behaviors.setup(ctx -> {
            ctx.spawn(TransferSink.root(), ActorPaths.ROOT);
            return Behaviors.empty();
        });
        return ActorSystem.create(guardian, "fedprune",
                FedpruneConfig.cluster("127.0.0.1", 0, List.of(seed), List.of("client")));
    }

    /** A second actor system in this JVM. */
    static ReceiverNode inThisJvm(String seed) {
        ActorSystem<Void> system = startSystem(seed);
        return new ReceiverNode() {
            @Override
            public String address() {
                return system.address().toString();
            }

            @Override
            public void close() {
                system.terminate();
                system.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
            }
        };
    }

    /**
     * A child JVM on this JVM's class path running the hidden {@code transfer-sink} command, which
     * stops when its standard input closes (so it never outlives this process). Waits up to
     * {@code timeout} for its ready line.
     *
     * @throws IllegalStateException with the child's last output lines if it exits or stays silent
     */
    static ReceiverNode spawnProcess(String seed, Duration timeout) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-Xmx1g", "-cp", System.getProperty("java.class.path"),
                "io.fedprune.examples.cli.FedpruneCli", "transfer-sink", "--seed", seed)
                .redirectErrorStream(true).start();
        Deque<String> tail = new ArrayDeque<>();
        CompletableFuture<String> ready = new CompletableFuture<>();
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.startsWith(READY)) {
                        ready.complete(line.substring(READY.length()).trim());
                    }
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 20) {
                            tail.removeFirst();
                        }
                    }
                }
            } catch (IOException e) {
                // the child is gone; the exit check below reports it
            }
            ready.completeExceptionally(new IllegalStateException("the receiver JVM exited"));
        }, "transfer-sink-output");
        drain.setDaemon(true);
        drain.start();
        String address;
        try {
            address = ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException | java.util.concurrent.ExecutionException | TimeoutException e) {
            p.destroyForcibly();
            String last;
            synchronized (tail) {
                last = String.join("\n  ", tail);
            }
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("the receiver JVM did not start within " + timeout.toSeconds()
                    + " s (" + e + "); its last output:\n  " + last, e);
        }
        return new ReceiverNode() {
            @Override
            public String address() {
                return address;
            }

            @Override
            public void close() {
                try {
                    p.getOutputStream().close(); // the child's signal to stop
                    if (!p.waitFor(30, TimeUnit.SECONDS)) {
                        p.destroyForcibly();
                    }
                } catch (IOException e) {
                    p.destroyForcibly();
                } catch (InterruptedException e) {
                    p.destroyForcibly();
                    Thread.currentThread().interrupt();
                }
            }
        };
    }
}
