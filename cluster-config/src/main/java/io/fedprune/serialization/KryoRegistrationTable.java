package io.fedprune.serialization;

import com.esotericsoftware.kryo.Kryo;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.Set;

/**
 * The validated union of all {@link KryoRegistrations} providers: which class gets which Kryo id.
 *
 * <p>Validation happens once, when {@link KryoSerializer} is created (that is, while the actor
 * system starts), so a clash is a start-up failure on the node with the bad class path instead
 * of silently mis-decoded messages later.
 */
final class KryoRegistrationTable {

    /** Ids below this are left to Kryo's built-in registrations (it uses 0..8 today). */
    static final int MIN_ID_BASE = 100;

    /** One registration: Kryo id, class, and the provider that asked for it (for messages). */
    record Entry(int id, Class<?> type, String provider) {
    }

    private final List<Entry> entries;

    private KryoRegistrationTable(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /**
     * Loads every provider visible to {@code loader} through {@link ServiceLoader}.
     * {@link CoreKryoRegistrations} is always included, even if a fat-jar build dropped this
     * module's service file, because ActorRef support depends on it.
     */
    static KryoRegistrationTable discover(ClassLoader loader) {
        List<KryoRegistrations> providers = new ArrayList<>();
        Set<Class<?>> seen = new LinkedHashSet<>();
        for (KryoRegistrations provider : ServiceLoader.load(KryoRegistrations.class, loader)) {
            if (seen.add(provider.getClass())) {
                providers.add(provider);
            }
        }
        if (!seen.contains(CoreKryoRegistrations.class)) {
            providers.add(new CoreKryoRegistrations());
        }
        return of(providers);
    }

    /**
     * Validates the providers and builds the table.
     *
     * @throws IllegalStateException if an id base is below {@value #MIN_ID_BASE}, two providers'
     *         id ranges overlap, a class is registered twice (by one or by two providers), a class
     *         is already built into Kryo, or a class entry is {@code null}. The message names the
     *         provider(s) involved.
     */
    static KryoRegistrationTable of(Collection<? extends KryoRegistrations> providers) {
        record Range(String provider, long first, long end, List<Class<?>> classes) {
        }
        List<Range> ranges = new ArrayList<>();
        for (KryoRegistrations p : providers) {
            String name = p.getClass().getName();
            List<Class<?>> classes = p.classes();
            if (classes == null) {
                throw new IllegalStateException("KryoRegistrations provider " + name + " returned null classes()");
            }
            int base = p.idBase();
            if (base < MIN_ID_BASE) {
                throw new IllegalStateException("KryoRegistrations provider " + name + " uses idBase " + base
                        + "; ids below " + MIN_ID_BASE + " are reserved for Kryo's built-in registrations");
            }
            // Kryo writes id + 2 as a varint int, so the last id must stay well inside int range.
            long end = (long) base + classes.size();
            if (end > Integer.MAX_VALUE - 2) {
                throw new IllegalStateException("KryoRegistrations provider " + name + ": ids exceed int range");
            }
            ranges.add(new Range(name, base, end, classes));
        }

        ranges.sort(Comparator.comparingLong(Range::first));
        for (int i = 0; i < ranges.size(); i++) {
            Range a = ranges.get(i);
            for (int j = i + 1; j < ranges.size(); j++) {
                Range b = ranges.get(j);
                boolean bothNonEmpty = a.first() < a.end() && b.first() < b.end();
                if (bothNonEmpty && b.first() < a.end() && a.first() < b.end()) {
                    throw new IllegalStateException("Kryo id ranges overlap: " + describe(a.provider(), a.first(), a.end())
                            + " and " + describe(b.provider(), b.first(), b.end())
                            + ". Give each KryoRegistrations provider its own idBase block.");
                }
            }
        }

        Kryo builtIns = new Kryo();
        Map<Class<?>, String> owner = new HashMap<>();
        List<Entry> entries = new ArrayList<>();
        for (Range r : ranges) {
            for (int i = 0; i < r.classes().size(); i++) {
                Class<?> type = r.classes().get(i);
                if (type == null) {
                    throw new IllegalStateException("KryoRegistrations provider " + r.provider()
                            + " lists null at index " + i);
                }
                if (builtIns.getClassResolver().getRegistration(type) != null) {
                    throw new IllegalStateException("KryoRegistrations provider " + r.provider() + " registers "
                            + type.getName() + ", which Kryo registers by itself; remove it");
                }
                String previous = owner.putIfAbsent(type, r.provider());
                if (previous != null) {
                    throw new IllegalStateException("Class " + type.getName() + " is registered twice: by "
                            + previous + " and by " + r.provider() + ". Keep exactly one registration.");
                }
                entries.add(new Entry((int) r.first() + i, type, r.provider()));
            }
        }
        return new KryoRegistrationTable(entries);
    }

    private static String describe(String provider, long first, long end) {
        return provider + " [" + first + ".." + (end - 1) + "]";
    }

    List<Entry> entries() {
        return entries;
    }

    /**
     * SHA-256 over "id=class" lines. Nodes that print the same fingerprint decode each other's
     * messages identically; logged at start-up to make version skew across nodes visible.
     */
    String fingerprint() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (Entry e : entries) {
                sha.update((e.id() + "=" + e.type().getName() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }
}
