package io.fedprune.examples.cli;

import io.fedprune.actors.embed.VersionReport;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.examples.ui.LiveState;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The live page of an aggregator node: its version reports as the page's rows. The run is in real
 * time, so its clock time is the wall time since the aggregator started.
 */
final class NodePage {
    private final LiveState state;
    private final ExperimentSettings settings;
    private final String dataset;
    private final int clients;
    private final List<RoundRecord> history = new ArrayList<>();
    private long accepted;

    NodePage(LiveState state, ExperimentSettings settings, String dataset, int clients) {
        this.state = state;
        this.settings = settings;
        this.dataset = dataset;
        this.clients = clients;
    }

    /** Called on the aggregator's listener thread, one version at a time. */
    synchronized void onVersion(VersionReport v) {
        RoundRecord r = new RoundRecord(v.version(), v.wallSeconds(), v.wallSeconds(), v.accuracy(), v.loss(),
                v.bytesUp(), v.bytesDown(), Map.of());
        history.add(r);
        accepted += v.participants();
        state.onRound(r);
    }

    synchronized void finish(VersionReport last) {
        // rejected updates are not in the version reports: the page shows the accepted ones
        state.onFinish(RunSummary.of(settings.algorithm().name(), dataset, clients, settings.seed(),
                settings.stop().targetAccuracy(), List.copyOf(history), last.wallSeconds(), last.wallSeconds(),
                last.bytesUp(), last.bytesDown(), "max-rounds", accepted, 0, 0));
    }
}
