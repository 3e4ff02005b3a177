package io.fedprune.examples.report;

import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.metrics.UpdatesPerClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The time-to-accuracy table of a comparison: per run, the virtual seconds (and bytes) until its
 * first evaluated version reached each target accuracy, and optionally the speed-up over a baseline
 * run to the same target. Every time is read from the runs' histories, so targets need not be the
 * ones the runs stopped at. Written as comparison.md for people and comparison.csv for machines.
 *
 * @param targets  fixed target accuracies, or empty for each run's own {@code stop.target-accuracy}
 * @param baseline the label of the run speed-ups are measured against, or null for none
 */
public record ComparisonTable(Map<String, RunSummary> runs, List<Double> targets, String baseline) {

    public ComparisonTable {
        runs = new LinkedHashMap<>(runs);
        targets = List.copyOf(targets);
    }

    /** Virtual time and bytes (up + down) at the first evaluated version with test accuracy ≥ target. */
    public record Reached(double virtualTimeS, long bytes) {
    }

    /** When {@code run} first reached {@code target}; null if never (or no target). */
    public static Reached reached(RunSummary run, Double target) {
        if (target == null) {
            return null;
        }
        for (RoundRecord r : run.history()) {
            if (r.testAccuracy() >= target) {
                return new Reached(r.virtualTimeS(), r.bytesUp() + r.bytesDown());
            }
        }
        return null;
    }

    /**
     * Baseline time over the run's time to {@code target}; null when either never reached it (or
     * there is no baseline among the runs, e.g. it was interrupted before starting).
     */
    public Double speedUp(String label, Double target) {
        RunSummary base = baseline == null ? null : runs.get(baseline);
        Reached b = base == null ? null : reached(base, target);
        Reached r = reached(runs.get(label), target);
        if (b == null || r == null) {
            return null;
        }
        return r.virtualTimeS() == 0 ? (b.virtualTimeS() == 0 ? 1.0 : Double.POSITIVE_INFINITY)
                : b.virtualTimeS() / r.virtualTimeS();
    }

    /** 0.8 as "0.80", 0.875 as "0.875": at least two decimals, as accuracies are usually written. */
    public static String label(double target) {
        BigDecimal d = BigDecimal.valueOf(target).stripTrailingZeros();
        return (d.scale() < 2 ? d.setScale(2) : d).toPlainString();
    }

    public void write(Path dir) {
        write(dir.resolve("comparison.md"), markdown());
        write(dir.resolve("comparison.csv"), csv());
    }

    /** A column of a target block: its headings, its value for a run (null: never), its text in comparison.md. */
    private record Column(String md, String csv, Function<String, Object> cell, Function<Object, String> shown) {
    }

    /** The per-target columns; with the runs' own targets, one block whose target varies by row. */
    private List<Column> targetColumns() {
        List<Column> columns = new ArrayList<>();
        if (targets.isEmpty()) {
            columns.add(new Column("target", "target_accuracy", l -> runs.get(l).targetAccuracy(),
                    v -> label((Double) v)));
            addTargetBlock(columns, "target", "target", l -> runs.get(l).targetAccuracy());
        } else {
            for (double t : targets) {
                addTargetBlock(columns, label(t), label(t), l -> t);
            }
        }
        return columns;
    }

    private void addTargetBlock(List<Column> columns, String md, String csv, Function<String, Double> target) {
        columns.add(new Column("virtual s to " + md, "virtual_s_to_" + csv, l -> {
            Reached r = reached(runs.get(l), target.apply(l));
            return r == null ? null : r.virtualTimeS();
        }, v -> String.format("%.1f", (Double) v)));
        columns.add(new Column("MB to " + md, "bytes_to_" + csv, l -> {
            Reached r = reached(runs.get(l), target.apply(l));
            return r == null ? null : r.bytes();
        }, v -> String.format("%.1f", (Long) v / 1e6)));
        if (baseline != null) {
            String suffix = targets.isEmpty() ? "" : " (" + md + ")";
            columns.add(new Column("× vs " + baseline + suffix, "speedup_vs_" + baseline + "_" + csv,
                    l -> speedUp(l, target.apply(l)), v -> String.format("%.2f×", (Double) v)));
        }
    }

    String markdown() {
        List<Column> columns = targetColumns();
        StringBuilder b = new StringBuilder("| run | algorithm | versions | final acc | best acc | virtual time (s) ");
        columns.forEach(c -> b.append("| ").append(c.md()).append(' '));
        boolean residual = anyResidualDownload();
        b.append(residual ? "| MB up | MB down | MB residual distinct " : "| MB up | MB down ");
        b.append("| updates/client min–max | stop |\n|");
        b.append("---|".repeat(6 + columns.size() + (residual ? 5 : 4))).append('\n');
        for (Map.Entry<String, RunSummary> e : runs.entrySet()) {
            RunSummary s = e.getValue();
            b.append(String.format("| %s | %s | %d | %s | %s | %.1f ", e.getKey(), s.algorithm(), s.rounds(),
                    accuracy(s.finalAccuracy()), accuracy(s.bestAccuracy()), s.virtualTimeS()));
            for (Column c : columns) {
                Object v = c.cell().apply(e.getKey());
                b.append("| ").append(v == null ? "—" : c.shown().apply(v)).append(' ');
            }
            UpdatesPerClient u = s.updatesPerClient();
            b.append(String.format("| %.1f | %.1f ", s.bytesUp() / 1e6, s.bytesDown() / 1e6));
            if (residual) {
                Double mb = residualDistinctMb(s);
                b.append(mb == null || mb == 0 ? "| — " : String.format("| %.1f ", mb));
            }
            b.append(String.format("| %s | %s |%n", u.max() == 0 ? "—" : u.min() + "–" + u.max(), s.stopReason()));
        }
        return b.toString();
    }

    /**
     * The residual column is shown only if some run downloaded increments: most comparisons have
     * none, and a column of dashes would only widen the table.
     */
    private boolean anyResidualDownload() {
        return runs.values().stream().anyMatch(s -> s.traffic().residualDistinct() > 0);
    }

    /** Distinct residual increment bytes in MB; null when the run's traffic was not counted. */
    private static Double residualDistinctMb(RunSummary s) {
        return s.traffic().counted() ? s.traffic().residualDistinct() / 1e6 : null;
    }

    private static String accuracy(double a) {
        return Double.isNaN(a) ? "—" : String.format("%.4f", a);
    }

    String csv() {
        List<Column> columns = targetColumns();
        List<String> header = new ArrayList<>(List.of("run", "algorithm", "versions", "final_accuracy", "best_accuracy",
                "virtual_time_s"));
        columns.forEach(c -> header.add(c.csv()));
        header.addAll(List.of("bytes_up", "bytes_down", "residual_distinct_mb", "updates_per_client_min",
                "updates_per_client_max", "stop_reason"));
        StringBuilder b = new StringBuilder(String.join(",", header.stream().map(ComparisonTable::csvField).toList()))
                .append('\n');
        for (Map.Entry<String, RunSummary> e : runs.entrySet()) {
            RunSummary s = e.getValue();
            List<Object> row = new ArrayList<>(List.of(e.getKey(), s.algorithm(), s.rounds()));
            row.add(Double.isNaN(s.finalAccuracy()) ? null : s.finalAccuracy());
            row.add(Double.isNaN(s.bestAccuracy()) ? null : s.bestAccuracy());
            row.add(s.virtualTimeS());
            columns.forEach(c -> row.add(c.cell().apply(e.getKey())));
            UpdatesPerClient u = s.updatesPerClient();
            row.addAll(List.of(s.bytesUp(), s.bytesDown()));
            row.add(residualDistinctMb(s));
            row.add(u.max() == 0 ? null : u.min());
            row.add(u.max() == 0 ? null : u.max());
            row.add(s.stopReason());
            b.append(String.join(",", row.stream().map(v -> v == null ? "" : csvField(v.toString())).toList()))
                    .append('\n');
        }
        return b.toString();
    }

    /** Labels are file names and may hold commas or quotes. */
    private static String csvField(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    private static void write(Path file, String text) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }
}
