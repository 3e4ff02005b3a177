package io.fedprune.examples.cli;

import io.fedprune.examples.transfer.ReceiverNode;
import java.io.IOException;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The receiving node of {@code bench-transfer} in its own JVM (started by it, hidden from help):
 * joins the cluster at {@code --seed}, prints {@link ReceiverNode#READY} and its address, and runs
 * until its standard input closes.
 */
@Command(name = "transfer-sink", hidden = true, description = "bench-transfer's receiving node (started by bench-transfer).")
public final class TransferSinkCommand implements Callable<Integer> {

    @Option(names = "--seed", required = true, description = "host:port of the sending node")
    String seed;

    @Override
    public Integer call() throws IOException {
        ActorSystem<Void> system = ReceiverNode.startSystem(seed);
        try {
            System.out.println(ReceiverNode.READY + system.address());
            System.out.flush();
            while (System.in.read() >= 0) {
                // nothing to read; EOF means the benchmark is done (or gone)
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
        }
        return FedpruneCli.OK;
    }
}
