package io.fedprune.examples.cli;

import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.core.metrics.RoundRecord;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A terminal progress bar over global versions (or virtual seconds when only a time limit is
 * set), showing the latest accuracy and virtual time.
 */
final class ConsoleProgress implements ProgressListener, AutoCloseable {
    private final ProgressBar bar;
    private final boolean byRounds;

    ConsoleProgress(ExperimentSettings s, boolean quiet) {
        byRounds = s.stop().maxRounds() > 0;
        long max = byRounds ? s.stop().maxRounds() : (long) Math.ceil(s.stop().maxVirtualTimeS());
        bar = quiet ? null : new ProgressBarBuilder().setTaskName(s.name()).setInitialMax(max)
                .setStyle(ProgressBarStyle.ASCII).setUnit(byRounds ? " versions" : " s", 1).setUpdateIntervalMillis(500)
                .continuousUpdate().build();
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
