package io.fedprune.examples.cli;

import io.fedprune.actors.experiment.SettingsException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code fedprune} command. */
@Command(name = "fedprune", mixinStandardHelpOptions = true, version = "fedprune 0.1.0",
        description = "Communication-efficient asynchronous federated learning on Pekko actors.",
        subcommands = {RunCommand.class, DemoCommand.class, ListCommand.class, CompareCommand.class,
                BenchCommand.class, CapacityCommand.class,
                SweepCommand.class, JmhCommand.class, MutateCommand.class,
                TargetCommand.class})
public final class FedpruneCli {

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns the exit code: 0 ok, 2 bad configuration or usage, 1 failure. */
    public static int execute(String... args) {
        return execute(new java.io.PrintWriter(System.err, true), args);
    }

    /** As {@link #execute(String...)}, with error output to {@code err} (tests). */
    public static int execute(java.io.PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new FedpruneCli());
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable root = e;
            while (!(root instanceof SettingsException) && root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root instanceof SettingsException) {
                cmd.getErr().println("fedprune: invalid configuration: " + root.getMessage());
                return 2;
            }
            cmd.getErr().println("fedprune: " + e);
            e.printStackTrace(cmd.getErr());
            return 1;
        });
        return cli.execute(args);
    }
}
