package io.fedprune.actors.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigValueFactory;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Where a run journals its server's inputs ({@code fedprune.journal}, docs/DURABILITY.md): nowhere,
 * an embedded H2 file, or PostgreSQL.
 *
 * @param path the H2 database's folder (empty until the CLI resolves it to the output folder's)
 * @param id   the run's persistence id (empty: the experiment's name)
 */
public record JournalSettings(Store store, String path, String url, String user, String id) {

    public enum Store { OFF, H2, POSTGRESQL }

    /**
     * The algorithms whose runs the resume check (ResumeTest) covers; an algorithm added later is
     * refused with --journal until it is checked too.
     */
    public static final List<String> COVERED = List.of("fedavg", "fedasync", "fedbuff", "fedfix", "heterofl", "prfl", "tifl");

    /** The environment variable holding the PostgreSQL password. */
    public static final String PASSWORD_ENV = "FEDPRUNE_JOURNAL_PASSWORD";

    public static final JournalSettings OFF = new JournalSettings(Store.OFF, "", "", "", "");

    public JournalSettings {
        if (store == null) {
            throw new IllegalArgumentException("store is required");
        }
        if (store == Store.POSTGRESQL && !url.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("journal.store = postgresql needs journal.url = \"jdbc:postgresql://HOST:PORT/DB\", got \""
                    + url + "\"");
        }
    }

    public boolean enabled() {
        return store != Store.OFF;
    }

    /** {@code fedprune.journal} of a resolved configuration (its keys are checked with the rest). */
    public static JournalSettings fromConfig(Config root) {
        Config all = AlgorithmDefaults.under(root);
        ConfigKeys.check(all);
        ConfigReader c = new ConfigReader(all, "fedprune");
        String store = c.choice("journal.store", List.of("off", "h2", "postgresql"));
        return c.validated("journal", () -> new JournalSettings(Store.valueOf(store.toUpperCase()),
                c.string("journal.path"), c.string("journal.url"), c.string("journal.user"), c.string("journal.id")));
    }

    /** With the H2 database in {@code folder} when no path is set. */
    public JournalSettings inFolder(Path folder) {
        return store == Store.H2 && path.isBlank()
                ? new JournalSettings(store, folder.toAbsolutePath().normalize().toString(), url, user, id) : this;
    }

    /** The persistence id of a run named {@code name}. */
    public String persistenceId(String name) {
        return "fedprune-run|" + (id.isBlank() ? name : id);
    }

    /**
     * Why a run of {@code settings} cannot be journaled yet (one line naming the key), or null. The
     * resume re-runs the simulation and takes each journaled update in place of its training, so
     * what a client keeps between rounds beyond its seed must be in the journal too: error
     * feedback's residual is not (yet).
     */
    public String refusal(ExperimentSettings settings) {
        if (!enabled()) {
            return null;
        }
        if (!settings.clock().virtual()) {
            return "fedprune.journal.store = " + name() + ": journaled runs are in virtual time only (clock.mode = "
                    + "virtual); the real-time aggregator's restart is not built yet";
        }
        if (!COVERED.contains(settings.algorithm().name())) {
            return "fedprune.journal.store = " + name() + ": not yet covered for algorithm "
                    + settings.algorithm().name() + " (covered: " + String.join(", ", COVERED) + ")";
        }
        if (settings.codec().errorFeedback()) {
            return "fedprune.journal.store = " + name() + ": not with codec.error-feedback = true (a client's "
                    + "residual is not journaled yet)";
        }
        if (store == Store.H2 && path.isBlank()) {
            return "fedprune.journal.path: the H2 journal needs a folder (fedprune run --journal puts it in the "
                    + "output folder)";
        }
        return null;
    }

    /**
     * The algorithms a real-time aggregator node can journal ({@code fedprune node --role aggregator
     * --journal}): those whose whole state is the server's. PR-FL keeps state in its buffer and
     * distributor actors, TT-Fed in its tier coordinators: not journaled.
     */
    public static final List<String> REAL_TIME_JOURNALED = List.of("fedasync", "fedbuff", "fedfix", "fedavg",
            "heterofl", "tifl");

    /**
     * Of those, the ones a node restarts from a journal that holds inputs: continuous pacing. A
     * synchronous round open at the crash would have to be closed first: not built.
     */
    public static final List<String> REAL_TIME_COVERED = List.of("fedasync", "fedbuff", "fedfix");

    /** Why a real-time aggregator node of {@code settings} cannot be journaled (one line), or null. */
    public String nodeRefusal(ExperimentSettings settings) {
        if (!enabled()) {
            return null;
        }
        if (!REAL_TIME_JOURNALED.contains(settings.algorithm().name())) {
            return "--journal: a real-time aggregator node journals " + String.join(", ", REAL_TIME_JOURNALED)
                    + " (and restarts " + String.join(", ", REAL_TIME_COVERED) + "), not yet "
                    + settings.algorithm().name() + " (its buffer, distributor or tier actors hold state the "
                    + "server's journal does not)";
        }
        if (settings.codec().errorFeedback()) {
            return "--journal: not with codec.error-feedback = true (a client's residual is not journaled yet)";
        }
        if (store == Store.H2 && path.isBlank()) {
            return "fedprune.journal.path: the H2 journal needs a folder";
        }
        return null;
    }

    /** Where the journal is, for messages: "in FOLDER (H2)" or "at URL". */
    public String describe() {
        return store == Store.H2 ? "in " + path + " (H2)" : store == Store.POSTGRESQL ? "at " + url : "(none)";
    }

    private String name() {
        return store.name().toLowerCase();
    }

    /** The actor system's persistence configuration: the JDBC plugin on this store. */
    public Config pekkoConfig() {
        if (!enabled()) {
            return ConfigFactory.empty();
        }
        boolean h2 = store == Store.H2;
        String jdbcUrl = h2 ? "jdbc:h2:file:" + Path.of(path).toAbsolutePath().resolve("fedprune") : url;
        String password = h2 ? "" : System.getenv().getOrDefault(PASSWORD_ENV, "");
        Config db = ConfigFactory.parseMap(Map.of(
                "url", jdbcUrl,
                "user", h2 ? "fedprune" : user,
                "password", password,
                "driver", h2 ? "org.h2.Driver" : "org.postgresql.Driver"));
        return ConfigFactory.parseResources(JournalSettings.class.getClassLoader(), "fedprune-journal.conf")
                .withValue("pekko-persistence-jdbc.shared-databases.fedprune.profile",
                        ConfigValueFactory.fromAnyRef(h2 ? "slick.jdbc.H2Profile$" : "slick.jdbc.PostgresProfile$"))
                .withValue("pekko-persistence-jdbc.shared-databases.fedprune.db",
                        db.root().withFallback(ConfigFactory.parseResources(JournalSettings.class.getClassLoader(),
                                "fedprune-journal.conf").getObject("pekko-persistence-jdbc.shared-databases.fedprune.db")));
    }
}
