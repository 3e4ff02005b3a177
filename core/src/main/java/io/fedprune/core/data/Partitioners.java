package io.fedprune.core.data;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Builds a {@link Partitioner} from the short spec used in configs and on the command line. */
public final class Partitioners {

    private static final String ACCEPTED = "accepted forms: 'iid', 'dirichlet(ALPHA)' with ALPHA > 0 (e.g. 'dirichlet(0.5)'),"
            + " 'dirichlet(ALPHA, MIN_SAMPLES_PER_CLIENT)' (default minimum " + DirichletPartitioner.DEFAULT_MIN_SAMPLES
            + "), 'shards(K)' with K >= 1 classes per client (e.g. 'shards(2)')";

    private static final Pattern CALL = Pattern.compile("([a-z]+)\\s*\\(\\s*([^()]*?)\\s*\\)");

    private Partitioners() {
    }

    /**
     * Parses {@code "iid"}, {@code "dirichlet(0.5)"}, {@code "dirichlet(0.5, 20)"} or {@code "shards(2)"};
     * case-insensitive, whitespace anywhere between tokens is ignored. The result's
     * {@link Partitioner#describe()} parses back to an equal partitioner.
     *
     * @throws IllegalArgumentException naming the accepted forms, for anything else
     */
    public static Partitioner parse(String spec) {
        if (spec == null) {
            throw new IllegalArgumentException("partitioner spec is null; " + ACCEPTED);
        }
        String s = spec.trim().toLowerCase(Locale.ROOT);
        if (s.equals("iid")) {
            return new IidPartitioner();
        }
        Matcher m = CALL.matcher(s);
        if (!m.matches()) {
            throw bad(spec, null);
        }
        String name = m.group(1);
        String[] args = m.group(2).isEmpty() ? new String[0] : m.group(2).split("\\s*,\\s*", -1);
        int maxArgs = switch (name) {
            case "dirichlet" -> 2;
            case "shards" -> 1;
            default -> throw bad(spec, "unknown partitioner '" + name + "'");
        };
        if (args.length < 1 || args.length > maxArgs) {
            throw bad(spec, name + " takes " + (maxArgs == 1 ? "1 argument" : "1 or 2 arguments") + " but got " + args.length);
        }
        try {
            return name.equals("dirichlet")
                    ? new DirichletPartitioner(Double.parseDouble(args[0]),
                            args.length == 2 ? Integer.parseInt(args[1]) : DirichletPartitioner.DEFAULT_MIN_SAMPLES)
                    : new ShardPartitioner(Integer.parseInt(args[0]));
        } catch (NumberFormatException e) {
            throw bad(spec, "not a number: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            // Constructor validation (alpha <= 0, K < 1): keep its reason, add the accepted forms.
            throw bad(spec, e.getMessage());
        }
    }

    private static IllegalArgumentException bad(String spec, String reason) {
        return new IllegalArgumentException("invalid partitioner spec '" + spec + "'"
                + (reason == null ? "" : " (" + reason + ")") + "; " + ACCEPTED);
    }
}
