package io.fedprune.examples.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.LinkedHashMap;
import java.util.Map;

/** The experiment presets shipped as resources, listed in {@code presets/index.conf}. */
public final class Presets {
    private Presets() {
    }

    /** Preset name to one-line description, in the index's order. */
    public static Map<String, String> all() {
        Config index = ConfigFactory.parseResources("presets/index.conf");
        Map<String, String> out = new LinkedHashMap<>();
        for (Config p : index.getConfigList("presets")) {
            out.put(p.getString("name"), p.getString("description"));
        }
        return out;
    }

    public static String names() {
        return String.join(", ", all().keySet());
    }
}
