package io.fedprune.examples.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fedprune.core.metrics.RoundRecord;
import java.util.List;

/**
 * summary.json's per-device block for runs whose strategy reports the devices' own accuracies
 * (algorithm personal): the last row that has them — mean, std, min and max over devices of the
 * accuracy each measured on its own test split, for the global version it received with its
 * personal part (the row of version v scores version v - 1's personalized models) — and the mean
 * over rounds of the measured round latency and of the pruning ratio.
 */
final class DeviceAccuracyJson {
    private DeviceAccuracyJson() {
    }

    static void write(ObjectNode n, List<RoundRecord> history) {
        RoundRecord last = null;
        double latencySum = 0;
        double rhoSum = 0;
        int rounds = 0;
        for (RoundRecord r : history) {
            Double acc = r.extra().get("device_acc_mean");
            if (acc != null && Double.isFinite(acc)) {
                last = r;
            }
            Double latency = r.extra().get("round_latency_s");
            Double rho = r.extra().get("rho_mean");
            if (latency != null && Double.isFinite(latency) && rho != null && Double.isFinite(rho)) {
                latencySum += latency;
                rhoSum += rho;
                rounds++;
            }
        }
        if (last == null) {
            return;
        }
        ObjectNode d = n.putObject("device_accuracy");
        d.put("of_version", last.version() - 1);
        for (String k : List.of("mean", "std", "min", "max")) {
            d.put(k, last.extra().get("device_acc_" + k));
        }
        d.put("devices", last.extra().get("devices_measured"));
        if (rounds > 0) {
            n.put("round_latency_s_mean", latencySum / rounds);
            n.put("rho_mean", rhoSum / rounds);
        }
    }
}
