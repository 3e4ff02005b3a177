package io.fedprune.actors.experiment;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

/**
 * The keys an experiment may set: every path under {@code fedprune} in the reference defaults,
 * so a block added to reference.conf is known at once. A key that is not there fails the run
 * before any work, naming where it was set and the closest known key; HOCON itself would ignore it.
 *
 * <p>Declared means present in reference.conf: a setting without a default is declared
 * {@code = null}; a list of objects declares its elements' keys under
 * {@value #LIST_ELEMENTS} (by the list's path below {@code fedprune}) and/or by a non-empty
 * default. {@code fedprune.serialization} is in a reference.conf too, but it configures the actor
 * system (cluster-config's FedpruneConfig), which never reads the experiment's config: a value
 * other than its default is refused rather than silently ignored.
 */
public final class ConfigKeys {
    /** Origin description the CLI gives {@code --set} values; messages then say only this. */
    public static final String COMMAND_LINE = "--set";
    /** Top-level block of reference.conf holding the element keys of list-of-object settings. */
    public static final String LIST_ELEMENTS = "fedprune-list-elements";
    private static final String ROOT = "fedprune";
    private static final Set<String> ACTOR_SYSTEM_BLOCKS = Set.of("serialization");
    private static final int MAX_SUGGESTIONS = 3;

    private final ConfigObject all;
    private final ConfigObject known;
    private final ConfigObject elements;

    ConfigKeys(Config reference) {
        this.all = reference.hasPath(ROOT) ? reference.getObject(ROOT) : ConfigFactory.empty().root();
        ConfigObject experiment = all;
        for (String block : ACTOR_SYSTEM_BLOCKS) {
            experiment = experiment.withoutKey(block);
        }
        this.known = experiment;
        this.elements = reference.hasPath(LIST_ELEMENTS) ? reference.getObject(LIST_ELEMENTS)
                : ConfigFactory.empty().root();
    }

    /**
     * The keys declared by the reference.conf files on this class's class path and by every
     * registered algorithm's own defaults ({@link AlgorithmDefaults}).
     */
    public static ConfigKeys reference() {
        return new ConfigKeys(AlgorithmDefaults.reference());
    }

    /**
     * Fails with a one-line {@link SettingsException} if {@code config}'s {@code fedprune} block
     * holds a key reference.conf does not declare, or a value where it declares a block.
     */
    public static void check(Config config) {
        reference().checkFedprune(config);
    }

    void checkFedprune(Config config) {
        if (!config.hasPathOrNull(ROOT)) {
            return; // ExperimentSettings reports the missing keys one by one
        }
        ConfigValue block = config.getValue(ROOT);
        List<Problem> problems = new ArrayList<>();
        if (block.valueType() != ConfigValueType.OBJECT) {
            problems.add(new Problem(ROOT, block.origin(), "a block of settings, not a value"));
        } else {
            ConfigObject user = (ConfigObject) block;
            for (String system : ACTOR_SYSTEM_BLOCKS) {
                if (user.containsKey(system)) {
                    changedSystemSetting(user.get(system), all.get(system), ROOT + "." + system, problems);
                    user = user.withoutKey(system);
                }
            }
            walk(user, known, new Scope(known, ROOT), List.of(), List.of(), problems);
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(message(problems));
        }
    }

    /**
     * A preset or a user's file: {@code fedprune} must be its only top-level key and must set
     * something. Pekko or other settings in it would be silently ignored by the experiment (its
     * actor system is configured by FedpruneConfig), so they are refused too.
     *
     * @param what names the layer in messages, e.g. {@code file my.conf} or {@code preset x}
     */
    public void checkLayer(Config layer, String what) {
        List<Problem> problems = new ArrayList<>();
        for (String k : new TreeSet<>(layer.root().keySet())) {
            if (k.equals(ROOT)) {
                continue;
            }
            String hint = known.containsKey(k) ? "; did you mean " + ROOT + "." + k + "?"
                    : k.equals("pekko") ? "; the actor system's settings are JVM properties (-Dpekko...=... in "
                    + "FEDPRUNE_JAVA_OPTS)" : closest(new Scope(known, ROOT), List.of(k));
            problems.add(new Problem(k, layer.root().get(k).origin(),
                    "outside " + ROOT + " { }, where every experiment setting lives" + hint));
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(message(problems));
        }
        ConfigValue block = layer.root().get(ROOT);
        if (block == null || (block instanceof ConfigObject o && o.isEmpty())) {
            throw new SettingsException(what + " sets nothing under " + ROOT + " { }; an experiment file overrides "
                    + "reference.conf keys there, e.g. " + ROOT + " { data.clients = 50 }");
        }
    }

    /**
     * A key named outside a config file, e.g. a sweep axis; {@code fedprune.} is optional.
     * Fails unless it names a single setting.
     */
    public void checkSetting(String key, String origin) {
        String rel = key.startsWith(ROOT + ".") ? key.substring(ROOT.length() + 1) : key;
        List<String> path = List.of(rel.split("\\.", -1));
        Scope scope = new Scope(known, ROOT);
        ConfigValue v = known;
        for (int i = 0; i < path.size(); i++) {
            ConfigValue next = v instanceof ConfigObject o ? o.get(path.get(i)) : null;
            if (next == null) {
                List<String> unknown = path.subList(0, i + 1);
                throw new SettingsException(scope.name(unknown) + " (from " + origin + "): unknown key"
                        + suggestion(scope, unknown));
            }
            v = next;
        }
        if (v instanceof ConfigObject o) {
            throw new SettingsException(scope.name(path) + " (from " + origin + "): " + notAValue(o));
        }
    }

    /** Where a value was set: {@code --set}, {@code file F, line N}, {@code preset P, line N}... */
    public static String describe(ConfigOrigin origin) {
        String line = origin.lineNumber() > 0 ? ", line " + origin.lineNumber() : "";
        if (origin.filename() != null) {
            return "file " + origin.filename() + line;
        }
        if (origin.resource() != null) {
            return "resource " + origin.resource() + line;
        }
        String d = origin.description().replaceFirst(": \\d+(-\\d+)?$", ""); // the line, said once
        return d.equals(COMMAND_LINE) ? d : d + line;
    }

    private record Problem(String key, ConfigOrigin origin, String what) {
        String line() {
            return key + " (from " + describe(origin) + "): " + what;
        }
    }

    private static String message(List<Problem> problems) {
        String first = problems.get(0).line();
        if (problems.size() == 1) {
            return first;
        }
        return first + " (and " + (problems.size() - 1) + " more: "
                + String.join(", ", problems.subList(1, problems.size()).stream().map(Problem::key).toList()) + ")";
    }

    /** What suggestions are drawn from: the whole fedprune tree or one list element's keys. */
    private record Scope(ConfigObject root, String display) {
        String name(List<String> rel) {
            return rel.isEmpty() ? display : display + "." + String.join(".", rel);
        }
    }

    /** Reports keys of {@code user} that {@code ref} lacks; {@code schema} is the path without list indices. */
    private void walk(ConfigObject user, ConfigObject ref, Scope scope, List<String> rel, List<String> schema,
                      List<Problem> out) {
        for (String k : new TreeSet<>(user.keySet())) {
            ConfigValue u = user.get(k);
            ConfigValue r = ref.get(k);
            List<String> here = append(rel, k);
            List<String> schemaHere = append(schema, k);
            String name = scope.name(here);
            if (r == null) {
                // an unknown block: name its first setting, whose own name may well be known
                // elsewhere (aggregator.fraction -> did you mean fedavg.fraction?)
                List<String> reported = here;
                ConfigValue leaf = u;
                while (leaf instanceof ConfigObject o && !o.isEmpty()) {
                    String first = new TreeSet<>(o.keySet()).first();
                    reported = append(reported, first);
                    leaf = o.get(first);
                }
                out.add(new Problem(scope.name(reported), leaf.origin(), "unknown key" + suggestion(scope, reported)));
            } else if (r.valueType() == ConfigValueType.OBJECT) {
                if (u.valueType() == ConfigValueType.OBJECT) {
                    walk((ConfigObject) u, (ConfigObject) r, scope, here, schemaHere, out);
                } else {
                    out.add(new Problem(name, u.origin(), notAValue((ConfigObject) r)));
                }
            } else if (u.valueType() == ConfigValueType.OBJECT) {
                String example = r.valueType() == ConfigValueType.NULL ? "" : ", e.g. " + name + " = " + r.render();
                out.add(new Problem(name, u.origin(), "a single value, not a block" + example));
            } else if (r.valueType() == ConfigValueType.LIST && u.valueType() == ConfigValueType.LIST) {
                checkElements((ConfigList) u, (ConfigList) r, name, schemaHere, out);
            }
            // other type mismatches are the typed reader's to report
        }
    }

    /** Reports the first value under an actor-system block that differs from its default. */
    private static boolean changedSystemSetting(ConfigValue user, ConfigValue ref, String name, List<Problem> out) {
        if (user.equals(ref)) {
            return false;
        }
        if (user instanceof ConfigObject u && ref instanceof ConfigObject r) {
            for (String k : new TreeSet<>(u.keySet())) {
                if (changedSystemSetting(u.get(k), r.get(k), name + "." + k, out)) {
                    return true;
                }
            }
            return false;
        }
        out.add(new Problem(name, user.origin(), "configures the actor system, not an experiment; set it as a JVM "
                + "property (-D" + name + "=... in FEDPRUNE_JAVA_OPTS)"));
        return true;
    }

    private void checkElements(ConfigList user, ConfigList ref, String name, List<String> schema, List<Problem> out) {
        ConfigObject shape = elementShape(ref, schema);
        for (int i = 0; i < user.size(); i++) {
            if (user.get(i).valueType() != ConfigValueType.OBJECT) {
                continue;
            }
            Scope element = new Scope(shape, name + "[" + i + "]");
            if (shape.isEmpty()) {
                out.add(new Problem(element.display(), user.get(i).origin(),
                        "reference.conf declares no keys for this list's elements (" + LIST_ELEMENTS + ")"));
            } else {
                walk((ConfigObject) user.get(i), shape, element, List.of(), schema, out);
            }
        }
    }

    /** The declared element (LIST_ELEMENTS) merged with the object elements of the default list. */
    private ConfigObject elementShape(ConfigList ref, List<String> schema) {
        ConfigValue declared = elements;
        for (String k : schema) {
            declared = declared instanceof ConfigObject o ? o.get(k) : null;
        }
        ConfigObject shape = declared instanceof ConfigObject o ? o : ConfigFactory.empty().root();
        for (ConfigValue v : ref) {
            if (v instanceof ConfigObject o) {
                shape = shape.withFallback(o);
            }
        }
        return shape;
    }

    private static String notAValue(ConfigObject block) {
        return "a block of settings, not a value; set its keys (" + String.join(", ", new TreeSet<>(block.keySet()))
                + ")";
    }

    /** {@link #closest}, or else the keys of the block {@code rel} was written in. */
    private static String suggestion(Scope scope, List<String> rel) {
        String closest = closest(scope, rel);
        if (!closest.isEmpty()) {
            return closest;
        }
        List<String> parentPath = rel.subList(0, rel.size() - 1);
        ConfigValue enclosing = scope.root();
        for (String k : parentPath) {
            enclosing = enclosing instanceof ConfigObject o ? o.get(k) : null;
        }
        if (enclosing instanceof ConfigObject o) {
            return "; " + scope.name(parentPath) + " has: " + String.join(", ", new TreeSet<>(o.keySet()));
        }
        return "";
    }

    /**
     * "; did you mean K?" for the known keys closest to {@code rel} by edit distance, over the whole
     * path or its last segment alone (so {@code clients} finds {@code data.clients}); "" if none is close.
     */
    private static String closest(Scope scope, List<String> rel) {
        String full = String.join(".", rel).toLowerCase(Locale.ROOT);
        String last = rel.get(rel.size() - 1).toLowerCase(Locale.ROOT);
        String parent = String.join(".", rel.subList(0, rel.size() - 1)).toLowerCase(Locale.ROOT);
        int threshold = Math.max(1, Math.min(3, last.length() / 3));
        List<Candidate> candidates = new ArrayList<>();
        collect(scope.root(), List.of(), candidates, full, last, parent);
        candidates.removeIf(c -> c.score > threshold);
        candidates.sort(Comparator.comparingInt(Candidate::score).thenComparingInt(Candidate::parentDistance)
                .thenComparing(c -> String.join(".", c.path)));
        if (!candidates.isEmpty()) {
            Candidate best = candidates.get(0);
            List<String> names = candidates.stream()
                    .filter(c -> c.score == best.score && c.parentDistance == best.parentDistance)
                    .limit(MAX_SUGGESTIONS).map(c -> scope.name(c.path)).toList();
            return "; did you mean " + String.join(" or ", names) + "?";
        }
        return "";
    }

    private record Candidate(List<String> path, int score, int parentDistance) {
    }

    /** Every key (blocks and settings) under {@code block}, scored against the unknown key. */
    private static void collect(ConfigObject block, List<String> prefix, List<Candidate> out, String full, String last,
                                String parent) {
        for (String k : block.keySet()) {
            List<String> path = append(prefix, k);
            String p = String.join(".", path).toLowerCase(Locale.ROOT);
            String kParent = String.join(".", prefix).toLowerCase(Locale.ROOT);
            int score = Math.min(distance(full, p), distance(last, k.toLowerCase(Locale.ROOT)));
            // with no block written (top level) every block is as likely; otherwise prefer the same block
            out.add(new Candidate(path, score, parent.isEmpty() ? 0 : distance(parent, kParent)));
            if (block.get(k) instanceof ConfigObject o) {
                collect(o, path, out, full, last, parent);
            }
        }
    }

    /** Edit distance with adjacent transpositions (optimal string alignment): clinets -> clients is 1. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    private static List<String> append(List<String> path, String key) {
        List<String> out = new ArrayList<>(path);
        out.add(key);
        return List.copyOf(out);
    }
}
