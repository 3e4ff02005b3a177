package io.fedprune.examples.cli;

import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.core.metrics.RoundRecord;
import java.io.IOError;
import java.io.IOException;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;

/**
 * A terminal progress bar over global versions (or virtual seconds when only a time limit is
 * set), showing the latest accuracy and virtual time.
 *
 * <p>The bar gets a plain console consumer of a known width: left to itself, progressbar opens a
 * JLine terminal with native signal handlers, which put SIGINT back to the OS default, so Ctrl-C
 * would kill the JVM without running its shutdown hooks and the results so far would be lost.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    private final ProgressBar bar;
    private final boolean byRounds;

    ConsoleProgress(ExperimentSettings s, boolean quiet) {
        byRounds = s.stop().maxRounds() > 0;
        long max = byRounds ? s.stop().maxRounds() : (long) Math.ceil(s.stop().maxVirtualTimeS());
        bar = quiet ? null : new ProgressBarBuilder().setTaskName(s.name()).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setUnit(byRounds ? " versions" : " s", 1).setUpdateIntervalMillis(500)
                .setConsumer(new ConsoleProgressBarConsumer(System.err, terminalWidth() - 1))
                .continuousUpdate().build();
    }

    private static int width;

    /** $COLUMNS, else the terminal's width (JLine without native signals), else 80; asked once. */
    private static synchronized int terminalWidth() {
        if (width > 0) {
            return width;
        }
        String columns = System.getenv("COLUMNS");
        if (columns != null && columns.matches("\\d{2,4}")) {
            return width = Integer.parseInt(columns);
        }
        try (Terminal t = TerminalBuilder.builder().system(true).nativeSignals(false).dumb(true).build()) {
            width = t.getWidth() >= 20 ? t.getWidth() : 80;
        } catch (IOException | IOError | RuntimeException e) {
            // JLine may run `stty`, which a Ctrl-C at that moment kills too: then a plain width
            width = 80;
        }
        return width;
    }

    @Override
    public void onRound(RoundRecord r) {
        if (bar == null) {
            return;
        }
        bar.stepTo(byRounds ? r.version() : (long) r.virtualTimeS());
        bar.setExtraMessage(String.format("acc %.3f, t=%.0fs", r.testAccuracy(), r.virtualTimeS()));
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
