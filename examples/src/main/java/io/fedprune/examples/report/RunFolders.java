package io.fedprune.examples.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The run folders a report covers: each argument is a run's folder (it holds summary.json) or a
 * folder of runs, as {@code compare} and {@code sweep} write (its subfolders that hold one, by name).
 * Labels are folder names, made longer (parent/name, then the whole path) only where two collide.
 */
public final class RunFolders {
    private RunFolders() {
    }

    /** Label → folder, in argument order; refuses a folder with no run in it or below it. */
    public static Map<String, Path> find(List<Path> args) {
        List<Path> runs = new ArrayList<>();
        for (Path a : args) {
            if (!Files.isDirectory(a)) {
                throw new ReportException(a + ": no such folder");
            }
            if (isRun(a)) {
                runs.add(a);
                continue;
            }
            List<Path> inside;
            try (Stream<Path> children = Files.list(a)) {
                inside = children.filter(Files::isDirectory).filter(RunFolders::isRun).sorted().toList();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + a, e);
            }
            if (inside.isEmpty()) {
                throw new ReportException(a + " is not a run folder (no summary.json) and holds none; expected the "
                        + "--out folder of fedprune run, compare or sweep");
            }
            runs.addAll(inside);
        }
        return label(runs.stream().map(p -> p.toAbsolutePath().normalize()).distinct().toList());
    }

    static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve("summary.json"));
    }

    private static Map<String, Path> label(List<Path> runs) {
        Map<String, Integer> byName = new HashMap<>();
        Map<String, Integer> byParentName = new HashMap<>();
        for (Path p : runs) {
            byName.merge(name(p), 1, Integer::sum);
            byParentName.merge(parentName(p), 1, Integer::sum);
        }
        Map<String, Path> labelled = new LinkedHashMap<>();
        for (Path p : runs) {
            String label = byName.get(name(p)) == 1 ? name(p)
                    : byParentName.get(parentName(p)) == 1 ? parentName(p) : p.toString();
            labelled.put(label, p);
        }
        return labelled;
    }

    private static String name(Path p) {
        return p.getFileName() == null ? p.toString() : p.getFileName().toString();
    }

    private static String parentName(Path p) {
        return p.getParent() == null || p.getParent().getFileName() == null ? name(p)
                : p.getParent().getFileName() + "/" + name(p);
    }
}
