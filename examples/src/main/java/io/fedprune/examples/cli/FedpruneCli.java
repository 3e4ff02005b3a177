package io.fedprune.examples.cli;

import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.core.data.DataFileNotFoundException;
import io.fedprune.core.data.DataFormatException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.ScopeType;

/** Entry point of the {@code fedprune} command. */
@Command(name = "fedprune", mixinStandardHelpOptions = true, version = "fedprune 0.1.0",
        description = "Communication-efficient asynchronous federated learning on Pekko actors.",
        footerHeading = "%nExit codes:%n",
        footer = {"  0    done",
                "  1    internal error (printed with its stack trace: please report it)",
                "  2    bad usage, configuration, data file or output folder: one message",
                "       naming the key, file or folder (--verbose adds the stack trace)",
                "  3    the run ended without learning: every client update was rejected, or",
                "       the aggregator gave up or failed (the results so far are written)",
                "  66   Fashion-MNIST needed from /usr/share/datasets/fashion-mnist and not",
                "       installed (./fedprune installs it when run as root)",
                "  130  interrupted by Ctrl-C (143: SIGTERM); the results so far are written",
                "       and summary.json has stop_reason \"interrupted\""},
        subcommands = {RunCommand.class, ResumeCommand.class, JournalCommand.class, DemoCommand.class, ListCommand.class, CompareCommand.class,
                BenchCommand.class, CapacityCommand.class,
                SweepCommand.class, JmhCommand.class, ScaleCommand.class, MutateCommand.class,
                TargetCommand.class, ReportCommand.class, NodeCommand.class, TransferCommand.class, TransferSinkCommand.class})
public final class FedpruneCli {
    public static final int OK = 0;
    public static final int FAILURE = 1;
    public static final int USAGE = 2;
    /** The run finished but learned nothing usable (every update rejected, aggregator gave up). */
    public static final int RUN_FAILED = 3;
    /** sysexits' EX_NOINPUT: the launcher installs the data set and runs again. */
    public static final int DATA_NOT_INSTALLED = 66;
    public static final int INTERRUPTED = 130;

    /** How long a Ctrl-C waits for the partial results to be written. */
    static final Duration STOP_WAIT = Duration.ofSeconds(60);

    /** Set by the launcher: only check whether the data a command needs is installed, do nothing else. */
    static final String PREFLIGHT_PROPERTY = "fedprune.preflight";

    @Option(names = "--verbose", scope = ScopeType.INHERIT,
            description = "print the stack trace with an error message")
    boolean verbose;

    final StopSignal stop;

    FedpruneCli(StopSignal stop) {
        this.stop = stop;
    }

    public static void main(String[] args) {
        StopSignal stop = new StopSignal();
        PrintWriter err = new PrintWriter(System.err, true);
        Runtime.getRuntime().addShutdownHook(stop.shutdownHook(err, STOP_WAIT));
        System.exit(execute(err, stop, args));
    }

    /** Runs the CLI and returns the exit code (see the footer of {@code fedprune --help}). */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.err, true), new StopSignal(), args);
    }

    /** As {@link #execute(String...)}, with error output to {@code err} (tests). */
    public static int execute(PrintWriter err, String... args) {
        return execute(err, new StopSignal(), args);
    }

    /** As {@link #execute(String...)}; {@code stop.request()} interrupts it as Ctrl-C does. */
    public static int execute(PrintWriter err, StopSignal stop, String... args) {
        CommandLine cli = new CommandLine(new FedpruneCli(stop));
        cli.setErr(err);
        cli.setExecutionExceptionHandler((e, cmd, parsed) -> report(e, cmd.getErr(), verbose(parsed)));
        if ("data".equals(System.getProperty(PREFLIGHT_PROPERTY))) {
            cli.setExecutionStrategy(FedpruneCli::preflight);
        }
        try {
            return cli.execute(args);
        } finally {
            stop.finished();
        }
    }

    /** One or two lines for what a user can fix (exit 2); a stack trace only for the unexpected. */
    static int report(Exception e, PrintWriter err, boolean verbose) {
        Throwable known = e;
        while (known != null && !isKnown(known)) {
            known = known.getCause() == known ? null : known.getCause();
        }
        int code;
        if (known == null) {
            err.println("fedprune: internal error: " + e);
            e.printStackTrace(err);
            return FAILURE;
        } else if (known instanceof SettingsException) {
            err.println("fedprune: invalid configuration: " + known.getMessage());
            code = USAGE;
        } else if (known instanceof RunFailedException) {
            err.println("fedprune: " + known.getMessage());
            code = RUN_FAILED;
        } else if (known instanceof DatasetNotInstalledException) {
            err.println("fedprune: " + known.getMessage());
            code = DATA_NOT_INSTALLED;
        } else if (known instanceof DataFileNotFoundException || known instanceof DataFormatException) {
            err.println("fedprune: bad data: " + known.getMessage());
            code = USAGE;
        } else if (known instanceof UncheckedIOException io) {
            err.println("fedprune: " + known.getMessage() + " (" + OutputDir.bare(io.getCause()) + ")");
            code = USAGE;
        } else {
            err.println("fedprune: " + known.getMessage());
            code = USAGE;
        }
        if (verbose) {
            e.printStackTrace(err);
        }
        return code;
    }

    private static boolean isKnown(Throwable t) {
        return t instanceof SettingsException || t instanceof DatasetNotInstalledException
                || t instanceof DataFileNotFoundException || t instanceof DataFormatException
                || t instanceof OutputException || t instanceof UncheckedIOException
                || t instanceof RunFailedException || t instanceof UsageException;
    }

    private static boolean verbose(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The launcher's question "does this command need Fashion-MNIST from the default folder, and is
     * it missing?": {@link #DATA_NOT_INSTALLED} if so, else 0. Prints nothing, runs nothing.
     */
    private static int preflight(ParseResult parsed) {
        ParseResult leaf = parsed;
        while (leaf.subcommand() != null) {
            leaf = leaf.subcommand();
        }
        if (leaf.isUsageHelpRequested() || leaf.isVersionHelpRequested()
                || !(leaf.commandSpec().userObject() instanceof UsesData command)) {
            return OK;
        }
        try {
            for (ExperimentSettings s : command.experiments()) {
                DataCheck.require(s);
            }
        } catch (DatasetNotInstalledException e) {
            return DATA_NOT_INSTALLED;
        } catch (RuntimeException e) {
            return OK; // the real run reports it
        }
        return OK;
    }

    /** A command that runs experiments: the launcher checks their data before running it. */
    interface UsesData {
        List<ExperimentSettings> experiments();
    }
}
