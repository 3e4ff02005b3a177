package io.fedprune.examples.report;

import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG plots of test accuracy against virtual time and against total bytes (headless XChart). */
public final class PlotWriter {
    static {
        // In memory, not a temp file: ImageIO's file cache registers a JVM shutdown hook, which
        // fails while the partial results of an interrupted run are being written during shutdown.
        ImageIO.setUseCache(false);
    }

    private PlotWriter() {
    }

    /** Writes both plots; nothing when no run has an evaluated version (a run stopped at once). */
    public static void write(Path dir, String title, Map<String, RunSummary> runs) {
        if (runs.values().stream().allMatch(r -> r.history().isEmpty())) {
            return;
        }
        plot(dir.resolve("accuracy_vs_time.png"), title, "virtual time (s)", runs, RoundRecord::virtualTimeS);
        plot(dir.resolve("accuracy_vs_bytes.png"), title, "bytes up + down (MB)", runs,
                r -> (r.bytesUp() + r.bytesDown()) / 1e6);
    }

    private static void plot(Path file, String title, String xLabel, Map<String, RunSummary> runs,
                             ToDoubleFunction<RoundRecord> x) {
        XYChart chart = new XYChartBuilder().width(900).height(560).title(title).xAxisTitle(xLabel)
                .yAxisTitle("test accuracy").build();
        chart.getStyler().setMarkerSize(4);
        chart.getStyler().setXAxisDecimalPattern("#,##0.#");
        chart.getStyler().setYAxisDecimalPattern("0.00");
        for (Map.Entry<String, RunSummary> e : runs.entrySet()) {
            List<RoundRecord> h = e.getValue().history();
            if (h.isEmpty()) {
                continue;
            }
            double[] xs = h.stream().mapToDouble(x).toArray();
            double[] ys = h.stream().mapToDouble(RoundRecord::testAccuracy).toArray();
            chart.addSeries(e.getKey(), xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        try {
            Files.createDirectories(file.getParent());
            BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write plot " + file, e);
        }
    }
}
