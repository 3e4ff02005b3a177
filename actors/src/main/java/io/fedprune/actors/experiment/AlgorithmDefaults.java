package io.fedprune.actors.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.fedprune.core.strategy.Algorithm;
import io.fedprune.core.strategy.Algorithms;

/**
 * The documented defaults of every registered algorithm ({@code fedprune.<name> { ... }}), each
 * shipped as its algorithm's own resource, merged. They sit below reference.conf's keys, so an
 * algorithm added to the class path brings its keys with it.
 */
public final class AlgorithmDefaults {
    private static final Config ALL = load();

    private AlgorithmDefaults() {
    }

    private static Config load() {
        Config merged = ConfigFactory.empty();
        for (Algorithm<?> a : Algorithms.all()) {
            Config own = ConfigFactory.parseResources(a.getClass().getClassLoader(), a.defaultsResource(),
                    ConfigParseOptions.defaults().setAllowMissing(false));
            if (!own.hasPath("fedprune." + a.name()) || own.root().size() != 1 || own.getConfig("fedprune").root().size() != 1) {
                throw new IllegalStateException(a.defaultsResource() + " must hold exactly one block, fedprune."
                        + a.name());
            }
            merged = merged.withFallback(own);
        }
        return merged;
    }

    /** Every algorithm's defaults. */
    public static Config config() {
        return ALL;
    }

    /** reference.conf with every algorithm's defaults: all the keys an experiment may set. */
    public static Config reference() {
        return under(ConfigFactory.defaultReference(AlgorithmDefaults.class.getClassLoader()));
    }

    /** {@code config} with the algorithms' defaults below it. */
    public static Config under(Config config) {
        return config.withFallback(ALL);
    }
}
