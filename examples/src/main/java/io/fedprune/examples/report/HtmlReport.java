package io.fedprune.examples.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.examples.ui.ChartJs;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * One self-contained HTML file comparing finished runs: the time-to-accuracy table, accuracy
 * against virtual time and against bytes for every run (Chart.js, inlined from its WebJar with
 * the data, so the file opens offline and can be mailed), and the configuration keys that differ
 * between runs. Tables are HTML (readable without JavaScript); only the charts need it.
 */
public final class HtmlReport {
    private HtmlReport() {
    }

    /**
     * The targets a report times the runs to: {@code asked} if given, else the runs' own
     * {@code stop.target-accuracy} values, else the lowest best accuracy among the runs (to two
     * decimals, rounded down), which every run reached.
     */
    public static List<Double> targets(List<ReportRun> runs, List<Double> asked) {
        if (asked != null && !asked.isEmpty()) {
            return List.copyOf(new TreeSet<>(asked));
        }
        TreeSet<Double> own = new TreeSet<>();
        runs.forEach(r -> {
            if (r.summary().targetAccuracy() != null) {
                own.add(r.summary().targetAccuracy());
            }
        });
        if (!own.isEmpty()) {
            return List.copyOf(own);
        }
        double lowestBest = runs.stream().mapToDouble(r -> r.summary().bestAccuracy()).filter(a -> !Double.isNaN(a))
                .min().orElse(Double.NaN);
        return Double.isNaN(lowestBest) ? List.of() : List.of(Math.floor(lowestBest * 100) / 100);
    }

    public static String render(List<ReportRun> runs, List<Double> targets) {
        StringBuilder h = new StringBuilder(300_000);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>fedprune report — ")
                .append(runs.size()).append(runs.size() == 1 ? " run" : " runs").append("</title>\n<style>\n")
                .append(resource("report.css")).append("</style>\n</head>\n<body>\n<h1>fedprune report: ")
                .append(runs.size()).append(runs.size() == 1 ? " run" : " runs").append("</h1>\n");
        runTable(h, runs, targets);
        h.append("<h2>Accuracy</h2>\n<div class=\"charts\"><div><canvas id=\"by-time\"></canvas></div>"
                + "<div><canvas id=\"by-bytes\"></canvas></div></div>\n");
        configTable(h, runs);
        h.append("<script type=\"application/json\" id=\"report-data\">").append(chartData(runs)).append("</script>\n")
                .append("<script>\n").append(ChartJs.bundle()).append("\n</script>\n<script>\n")
                .append(resource("report.js")).append("</script>\n</body>\n</html>\n");
        return h.toString();
    }

    private static void runTable(StringBuilder h, List<ReportRun> runs, List<Double> targets) {
        h.append("<h2>Time to accuracy</h2>\n<p class=\"note\">Virtual seconds and MB (up + down) until the first "
                + "evaluated version at or above each target; — where a run never reached it.</p>\n"
                + "<table id=\"runs\">\n<thead><tr><th>run</th><th>algorithm</th><th>dataset</th><th>clients</th>"
                + "<th>versions</th><th>final</th><th>best</th><th>virtual s</th>");
        for (double t : targets) {
            String x = ComparisonTable.label(t);
            h.append("<th>virtual s to ").append(x).append("</th><th>MB to ").append(x).append("</th>");
        }
        h.append("<th>MB up</th><th>MB down</th><th>stop</th></tr></thead>\n<tbody>\n");
        for (ReportRun r : runs) {
            RunSummary s = r.summary();
            h.append("<tr data-run=\"").append(esc(r.label())).append("\"><td class=\"text\" title=\"")
                    .append(esc(r.dir().toString())).append("\">").append(esc(r.label())).append("</td><td class=\"text\">")
                    .append(esc(s.algorithm())).append("</td><td class=\"text\">").append(esc(s.dataset()))
                    .append("</td><td>").append(s.clients()).append("</td><td>").append(s.rounds()).append("</td><td>")
                    .append(acc(s.finalAccuracy())).append("</td><td>").append(acc(s.bestAccuracy())).append("</td><td>")
                    .append(num("%.1f", s.virtualTimeS())).append("</td>");
            for (double t : targets) {
                ComparisonTable.Reached reached = ComparisonTable.reached(s, t);
                h.append("<td>").append(reached == null ? "—" : num("%.1f", reached.virtualTimeS())).append("</td><td>")
                        .append(reached == null ? "—" : num("%.2f", reached.bytes() / 1e6)).append("</td>");
            }
            h.append("<td>").append(num("%.2f", s.bytesUp() / 1e6)).append("</td><td>")
                    .append(num("%.2f", s.bytesDown() / 1e6)).append("</td><td class=\"text\">")
                    .append(esc(s.stopReason())).append("</td></tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    private static void configTable(StringBuilder h, List<ReportRun> runs) {
        h.append("<h2>Configuration differences</h2>\n");
        List<String> keys = ConfigDiff.keys(runs);
        if (keys.isEmpty()) {
            h.append("<p id=\"config-diff\">Every run has the same configuration (config.conf).</p>\n");
            return;
        }
        h.append("<p class=\"note\">The keys of config.conf (under fedprune.) whose values differ; ")
                .append(ConfigDiff.MISSING).append(" where a run does not have the key.</p>\n")
                .append("<table id=\"config-diff\">\n<thead><tr><th>key</th>");
        runs.forEach(r -> h.append("<th>").append(esc(r.label())).append("</th>"));
        h.append("</tr></thead>\n<tbody>\n");
        for (String k : keys) {
            h.append("<tr><td class=\"text\">").append(esc(k)).append("</td>");
            runs.forEach(r -> h.append("<td class=\"text\">").append(esc(r.config().getOrDefault(k, ConfigDiff.MISSING)))
                    .append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</tbody>\n</table>\n");
    }

    /** [{label, points: [[virtual s, accuracy, MB up + down], ...]}], safe inside a script element. */
    static String chartData(List<ReportRun> runs) {
        ObjectMapper json = new ObjectMapper();
        ArrayNode all = json.createArrayNode();
        for (ReportRun r : runs) {
            ObjectNode run = all.addObject().put("label", r.label());
            ArrayNode points = run.putArray("points");
            for (RoundRecord p : r.summary().history()) {
                points.addArray().add(p.virtualTimeS()).add(p.testAccuracy()).add((p.bytesUp() + p.bytesDown()) / 1e6);
            }
        }
        try {
            // "</" would end the script element early; "<\/" is the same string to JSON.parse
            return json.writeValueAsString(all).replace("</", "<\\/");
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the report's chart data", e);
        }
    }

    static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    private static String acc(double a) {
        return Double.isNaN(a) ? "—" : num("%.4f", a);
    }

    private static String num(String format, double v) {
        return String.format(Locale.ROOT, format, v);
    }

    private static String resource(String name) {
        try (InputStream in = HtmlReport.class.getClassLoader().getResourceAsStream("fedprune-ui/" + name)) {
            if (in == null) {
                throw new IllegalStateException("fedprune-ui/" + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
