package io.fedprune.examples.cli;

import io.fedprune.examples.report.HtmlReport;
import io.fedprune.examples.report.ReportException;
import io.fedprune.examples.report.ReportRun;
import io.fedprune.examples.report.RunFolders;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code fedprune report DIR... [--out FILE] [--targets ACC,...]}: one HTML file comparing finished runs. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Write one self-contained HTML file comparing finished runs: time to accuracy, accuracy "
                + "against virtual time and against bytes for every run, and the configuration keys that differ.",
                "Each DIR is a run's output folder (it holds summary.json) or a folder of runs, as compare and "
                        + "sweep write. The file needs no network to open (Chart.js is inlined)."})
public final class ReportCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "run folders, or folders of runs")
    List<Path> dirs;

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "report.html",
            description = "the HTML file to write (default report.html; replaced if it exists)")
    Path out;

    @Option(names = "--targets", split = ",", paramLabel = "ACC[,ACC...]",
            description = "accuracies to time every run to (default: the runs' stop.target-accuracy, else the "
                    + "lowest best accuracy among them)")
    List<Double> targets;

    @Override
    public Integer call() {
        if (targets != null) {
            for (double t : targets) {
                if (!(t > 0 && t <= 1)) {
                    throw new UsageException("--targets: " + t + " is not an accuracy; expected values in (0, 1]");
                }
            }
        }
        if (Files.isDirectory(out)) {
            throw new UsageException("--out " + out + " is a folder; expected the HTML file to write, e.g. "
                    + out.resolve("report.html"));
        }
        List<ReportRun> runs = new ArrayList<>();
        try {
            for (Map.Entry<String, Path> e : RunFolders.find(dirs).entrySet()) {
                runs.add(ReportRun.read(e.getKey(), e.getValue()));
            }
        } catch (ReportException e) {
            throw new UsageException("report: " + e.getMessage());
        }
        String html = HtmlReport.render(runs, HtmlReport.targets(runs, targets));
        Path file = out.toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, html, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the report " + out, e);
        }
        System.out.printf("fedprune: report of %d run%s in %s%n", runs.size(), runs.size() == 1 ? "" : "s", file);
        return FedpruneCli.OK;
    }
}
