package io.fedprune.core.metrics;

import java.util.List;

/**
 * The outcome of one experiment (summary.json). Target fields are null when the target was not
 * reached (or none was set). Byte totals count every message sent, accepted or not;
 * {@code updatesAccepted} / {@code updatesRejected} count client updates the server used or refused;
 * {@code clockEvents} the messages the virtual clock delivered (0 in real time);
 * {@code updatesPerClient} the accepted updates of each client id; {@code traffic} the byte totals
 * split by direction and message kind, with the distinct residual bytes.
 */
public record RunSummary(String algorithm, String dataset, int clients, long seed, long rounds,
                         double finalAccuracy, double bestAccuracy, double virtualTimeS, double wallTimeS,
                         long bytesUp, long bytesDown, Double targetAccuracy, Double timeToTargetS,
                         Long bytesToTarget, String stopReason, long updatesAccepted, long updatesRejected,
                         long clockEvents, UpdatesPerClient updatesPerClient, TrafficByKind traffic,
                         List<RoundRecord> history) {

    /** As the canonical form, without the traffic by kind (summaries of older versions). */
    public RunSummary(String algorithm, String dataset, int clients, long seed, long rounds,
                      double finalAccuracy, double bestAccuracy, double virtualTimeS, double wallTimeS,
                      long bytesUp, long bytesDown, Double targetAccuracy, Double timeToTargetS,
                      Long bytesToTarget, String stopReason, long updatesAccepted, long updatesRejected,
                      long clockEvents, UpdatesPerClient updatesPerClient, List<RoundRecord> history) {
        this(algorithm, dataset, clients, seed, rounds, finalAccuracy, bestAccuracy, virtualTimeS, wallTimeS,
                bytesUp, bytesDown, targetAccuracy, timeToTargetS, bytesToTarget, stopReason, updatesAccepted,
                updatesRejected, clockEvents, updatesPerClient, TrafficByKind.none(), history);
    }

    /** As the full form, without per-client counts. */
    public static RunSummary of(String algorithm, String dataset, int clients, long seed, Double target,
                                List<RoundRecord> history, double virtualTimeS, double wallTimeS,
                                long bytesUp, long bytesDown, String stopReason, long updatesAccepted,
                                long updatesRejected, long clockEvents) {
        return of(algorithm, dataset, clients, seed, target, history, virtualTimeS, wallTimeS, bytesUp, bytesDown,
                stopReason, updatesAccepted, updatesRejected, clockEvents, UpdatesPerClient.none());
    }

    /** As the full form, without the traffic by kind. */
    public static RunSummary of(String algorithm, String dataset, int clients, long seed, Double target,
                                List<RoundRecord> history, double virtualTimeS, double wallTimeS,
                                long bytesUp, long bytesDown, String stopReason, long updatesAccepted,
                                long updatesRejected, long clockEvents, UpdatesPerClient updatesPerClient) {
        return of(algorithm, dataset, clients, seed, target, history, virtualTimeS, wallTimeS, bytesUp, bytesDown,
                stopReason, updatesAccepted, updatesRejected, clockEvents, updatesPerClient, TrafficByKind.none());
    }

    /** Builds the summary from the evaluated versions in order. */
    public static RunSummary of(String algorithm, String dataset, int clients, long seed, Double target,
                                List<RoundRecord> history, double virtualTimeS, double wallTimeS,
                                long bytesUp, long bytesDown, String stopReason, long updatesAccepted,
                                long updatesRejected, long clockEvents, UpdatesPerClient updatesPerClient,
                                TrafficByKind traffic) {
        double best = Double.NaN;
        Double timeToTarget = null;
        Long bytesToTarget = null;
        for (RoundRecord r : history) {
            if (Double.isNaN(best) || r.testAccuracy() > best) {
                best = r.testAccuracy();
            }
            if (target != null && timeToTarget == null && r.testAccuracy() >= target) {
                timeToTarget = r.virtualTimeS();
                bytesToTarget = r.bytesUp() + r.bytesDown();
            }
        }
        double last = history.isEmpty() ? Double.NaN : history.get(history.size() - 1).testAccuracy();
        long rounds = history.isEmpty() ? 0 : history.get(history.size() - 1).version();
        return new RunSummary(algorithm, dataset, clients, seed, rounds, last, best, virtualTimeS, wallTimeS,
                bytesUp, bytesDown, target, timeToTarget, bytesToTarget, stopReason, updatesAccepted, updatesRejected,
                clockEvents, updatesPerClient, traffic, List.copyOf(history));
    }
}
