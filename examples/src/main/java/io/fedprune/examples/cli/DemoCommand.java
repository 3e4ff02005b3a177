package io.fedprune.examples.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The quick-start job: FedAvg on Fashion-MNIST, 20 non-IID clients, in virtual time. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the 'fedavg-fmnist' preset (20 clients, Dirichlet 0.5) and write results/demo.")
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default results/demo)")
    Path out = Path.of("results", "demo");

    @Override
    public Integer call() {
        RunCommand.runOne("fedavg-fmnist", List.of(), out, false);
        return 0;
    }
}
