package io.fedprune.examples.cli;

import com.typesafe.config.Config;
import io.fedprune.actors.experiment.ExperimentRunner;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.examples.report.PlotWriter;
import io.fedprune.examples.report.ResultWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fedprune run PRESET|FILE.conf [--set key=value]... [--out DIR]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run one experiment from a preset or a .conf file and write summary.json, rounds.csv and plots.")
public final class RunCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "PRESET|FILE.conf", description = "a preset name (see 'fedprune list') or a config file")
    String source;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "override a setting, e.g. --set data.clients=50")
    List<String> overrides = new ArrayList<>();

    @Option(names = "--out", paramLabel = "DIR", description = "output directory (default results/<name>)")
    Path out;

    @Option(names = "--quiet", description = "no progress bar")
    boolean quiet;

    @Override
    public Integer call() {
        runOne(source, overrides, out, quiet);
        return 0;
    }

    /** Loads, validates (before any work), runs and writes one experiment; returns its summary. */
    static RunSummary runOne(String source, List<String> overrides, Path out, boolean quiet) {
        Config config = ConfigLoader.load(source, overrides);
        ExperimentSettings settings = ExperimentSettings.fromConfig(config);
        Path dir = out != null ? out : Path.of("results", settings.name());
        System.out.printf("fedprune: %s — %s on %s, %d clients, %s, %s%n", settings.name(), settings.algorithm().name(),
                settings.data().dataset(), settings.data().clients(), settings.data().partitioner().describe(),
                settings.model().name().toLowerCase());
        RunSummary summary;
        try (ConsoleProgress progress = new ConsoleProgress(settings, quiet)) {
            summary = ExperimentRunner.run(settings, progress);
        }
        ResultWriter.write(dir, summary, config, PeakMemory.peakRssMb());
        PlotWriter.write(dir, settings.name(), Map.of(settings.algorithm().name(), summary));
        System.out.printf("fedprune: %s after %d versions: final accuracy %.4f (best %.4f), virtual time %.1f s, "
                        + "wall %.1f s, up %.1f MB, down %.1f MB%s%n", summary.stopReason(), summary.rounds(),
                summary.finalAccuracy(), summary.bestAccuracy(), summary.virtualTimeS(), summary.wallTimeS(),
                summary.bytesUp() / 1e6, summary.bytesDown() / 1e6,
                summary.timeToTargetS() == null ? "" : String.format(", target %.2f reached at %.1f s",
                        summary.targetAccuracy(), summary.timeToTargetS()));
        System.out.println("fedprune: results in " + dir.toAbsolutePath());
        return summary;
    }
}
