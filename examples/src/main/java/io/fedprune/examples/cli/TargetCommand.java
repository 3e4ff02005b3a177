package io.fedprune.examples.cli;

import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvSchema;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.experiment.SettingsException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * Re-reads finished runs (their rounds.csv and config.conf) and reports, for an accuracy target
 * chosen after the fact, when each run first reached it and how many bytes it had sent by then,
 * with uplink bytes as a ratio to a reference run. Training does not depend on the target, so
 * no run has to be repeated.
 */
@Command(name = "target", mixinStandardHelpOptions = true,
        description = "Bytes and time each finished run needed to first reach an accuracy target.")
public final class TargetCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "DIR", description = "run folders, or sweep folders holding run-*")
    List<Path> dirs;

    @Option(names = "--accuracy", description = "the target test accuracy")
    Double accuracy;

    @Option(names = "--reference", paramLabel = "RUN_DIR",
            description = "run whose final accuracy minus --below is the target, and whose uplink bytes are the ratio's numerator")
    Path reference;

    @Option(names = "--below", description = "with --reference: target = its final accuracy minus this (default ${DEFAULT-VALUE})")
    double below = 0.01;

    @Option(names = "--best", description = "with --reference: start from its best accuracy, not its final one "
            + "(steadier when the final value sits low in an oscillation)")
    boolean best;

    record Row(long version, double time, double accuracy, long up, long down) {
    }

    @Override
    public Integer call() {
        if (accuracy == null && reference == null) {
            throw new SettingsException("target: give --accuracy, --reference or both");
        }
        List<Row> ref = reference == null ? null : rows(reference);
        double target = target(accuracy, ref, best, below);
        Row refHit = ref == null ? null : firstAt(ref, target);
        System.out.printf("target accuracy %.4f%s%n", target, accuracy != null ? ""
                : String.format(" (%s accuracy of %s minus %.3f)", best ? "best" : "final", reference, below));
        if (ref != null && refHit == null) {
            System.out.printf("(the reference %s never reaches it: no ratios)%n", reference);
        }
        System.out.println("| run | uplink | downlink | version | virtual s | MB up | MB down | uplink ratio |");
        System.out.println("|---|---|---|---|---|---|---|---|");
        for (Path run : runs()) {
            Row hit = firstAt(rows(run), target);
            Config c = ConfigFactory.parseFile(run.resolve("config.conf").toFile());
            String up = c.hasPath("fedprune.codec.uplink") ? c.getString("fedprune.codec.uplink") : "dense";
            String down = c.hasPath("fedprune.codec.downlink") ? c.getString("fedprune.codec.downlink") : "dense";
            if (hit == null) {
                System.out.printf("| %s | %s | %s | — | — | — | — | — |%n", run, up, down);
            } else {
                System.out.printf("| %s | %s | %s | %d | %.1f | %.2f | %.2f | %s |%n", run, up, down, hit.version(),
                        hit.time(), hit.up() / 1e6, hit.down() / 1e6,
                        refHit == null ? "—" : String.format("%.2f×", (double) refHit.up() / hit.up()));
            }
        }
        return 0;
    }

    /** {@code accuracy} if given, else the reference's final (or best) accuracy minus {@code below}. */
    static double target(Double accuracy, List<Row> reference, boolean best, double below) {
        if (accuracy != null) {
            return accuracy;
        }
        double from = best ? reference.stream().mapToDouble(Row::accuracy).max().orElseThrow()
                : last(reference).accuracy();
        return from - below;
    }

    private List<Path> runs() {
        List<Path> out = new ArrayList<>();
        for (Path d : dirs) {
            if (Files.exists(d.resolve("rounds.csv"))) {
                out.add(d);
                continue;
            }
            try (Stream<Path> s = Files.list(d)) {
                s.filter(p -> Files.exists(p.resolve("rounds.csv"))).sorted().forEach(out::add);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + d, e);
            }
        }
        if (out.isEmpty()) {
            throw new SettingsException("target: no rounds.csv under " + dirs);
        }
        return out;
    }

    static List<Row> rows(Path run) {
        CsvSchema schema = CsvSchema.emptySchema().withHeader();
        List<Row> rows = new ArrayList<>();
        try (MappingIterator<Map<String, String>> it = new CsvMapper().readerFor(Map.class).with(schema)
                .readValues(run.resolve("rounds.csv").toFile())) {
            while (it.hasNext()) {
                Map<String, String> m = it.next();
                rows.add(new Row(Long.parseLong(m.get("version")), Double.parseDouble(m.get("virtual_time_s")),
                        Double.parseDouble(m.get("test_accuracy")), Long.parseLong(m.get("bytes_up")),
                        Long.parseLong(m.get("bytes_down"))));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + run.resolve("rounds.csv"), e);
        }
        if (rows.isEmpty()) {
            throw new SettingsException("target: " + run.resolve("rounds.csv") + " has no rows");
        }
        return rows;
    }

    private static Row last(List<Row> rows) {
        return rows.get(rows.size() - 1);
    }

    private static Row firstAt(List<Row> rows, double target) {
        return rows.stream().filter(r -> r.accuracy() >= target).findFirst().orElse(null);
    }
}
