package io.fedprune.examples.cli;

import io.fedprune.actors.experiment.ExperimentSettings;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** The quick-start job: FedAvg on Fashion-MNIST, 20 non-IID clients, in virtual time. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run the 'fedavg-fmnist' preset (20 clients, Dirichlet 0.5) and write results/demo.")
public final class DemoCommand implements Callable<Integer>, FedpruneCli.UsesData {

    @ParentCommand
    FedpruneCli cli;

    @Option(names = "--out", paramLabel = "DIR", description = "output folder (default results/demo)")
    Path out = Path.of("results", "demo");

    @Option(names = "--force", description = "replace the results of an earlier demo in the output folder")
    boolean force;

    @Mixin
    UiOptions ui = new UiOptions();

    @Override
    public Integer call() {
        return RunCommand.runOne(RunJob.load("fedavg-fmnist", List.of(), out), force, false, cli.stop, ui);
    }

    @Override
    public List<ExperimentSettings> experiments() {
        return List.of(RunJob.load("fedavg-fmnist", List.of(), out).settings());
    }
}
