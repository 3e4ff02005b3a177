package io.fedprune.examples.report;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/** The configuration keys whose values are not the same in every run (a key missing from a run counts as different). */
public final class ConfigDiff {
    /** Shown where a run's configuration lacks the key. */
    public static final String MISSING = "—";

    private ConfigDiff() {
    }

    /** The differing keys, sorted; empty when every run has the same configuration. */
    public static List<String> keys(List<ReportRun> runs) {
        Set<String> all = new TreeSet<>();
        runs.forEach(r -> all.addAll(r.config().keySet()));
        List<String> differing = new ArrayList<>();
        for (String key : all) {
            Set<String> values = new HashSet<>();
            runs.forEach(r -> values.add(r.config().getOrDefault(key, MISSING)));
            if (values.size() > 1) {
                differing.add(key);
            }
        }
        return differing;
    }
}
