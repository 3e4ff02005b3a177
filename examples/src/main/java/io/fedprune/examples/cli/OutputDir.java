package io.fedprune.examples.cli;

import io.fedprune.examples.report.ResultWriter;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A run's output folder, checked before any work (DESIGN.md section 3): not a file, created if
 * needed, writable (by creating a file in it: permission bits say nothing to root or on /proc),
 * and not holding an earlier run's results unless {@code --force}, which removes them first so a
 * folder never mixes two runs.
 */
final class OutputDir {
    private final Path path;
    private final List<Path> created;

    private OutputDir(Path path, List<Path> created) {
        this.path = path;
        this.created = created;
    }

    Path path() {
        return path;
    }

    /** Checks, creates and probes {@code dir}; existing results are refused, or removed with {@code force}. */
    static OutputDir prepare(Path dir, boolean force) {
        OutputDir out = open(dir);
        List<String> found = existingResults(dir);
        if (!found.isEmpty()) {
            if (!force) {
                throw new OutputException("output folder " + dir + " already holds results of an earlier run ("
                        + String.join(", ", found) + "); add --force to replace them, or choose another --out");
            }
            removeResults(dir);
        }
        return out;
    }

    /** Checks, creates and probes {@code dir}, whatever it holds. */
    static OutputDir open(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new OutputException("output folder " + dir + " is a file; expected a folder (or a path where one "
                    + "can be created)");
        }
        List<Path> created = new ArrayList<>();
        for (Path p = dir.toAbsolutePath().normalize(); p != null && !Files.exists(p); p = p.getParent()) {
            created.add(0, p);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new OutputException("output folder " + dir + " cannot be created (" + reason(e)
                    + "); expected a writable folder or a path where one can be created", e);
        }
        try {
            Files.delete(Files.createTempFile(dir, ".fedprune-", ".probe"));
        } catch (IOException e) {
            throw new OutputException("output folder " + dir + " is not writable (creating a file in it fails: "
                    + bare(e) + "); choose another --out", e);
        }
        return new OutputDir(dir, created);
    }

    /** Which of a run's own result files (summary.json, rounds.csv) {@code dir} holds. */
    static List<String> existingResults(Path dir) {
        return List.of("summary.json", "rounds.csv").stream().filter(f -> Files.exists(dir.resolve(f))).toList();
    }

    /** Removes every file a run writes ({@link ResultWriter#RESULT_FILES}) but {@code keep}; other files stay. */
    static void removeResults(Path dir, String... keep) {
        for (String f : ResultWriter.RESULT_FILES) {
            if (java.util.Arrays.asList(keep).contains(f)) {
                continue;
            }
            try {
                Files.deleteIfExists(dir.resolve(f));
            } catch (IOException e) {
                throw new OutputException("output folder " + dir + ": cannot remove the old " + f + " (" + reason(e)
                        + ")", e);
            }
        }
    }

    /** Removes {@code dir} and everything in it (a journal that --force replaces). */
    static void removeTree(Path dir) {
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        } catch (IOException e) {
            throw new OutputException("output folder " + dir.getParent() + ": cannot remove the old journal ("
                    + reason(e) + ")", e);
        }
    }

    /**
     * After a run that failed before writing any row: removes what it wrote (config.conf) and the
     * folders this object created, when empty, so a failed start leaves nothing behind.
     */
    void discardIfUnused() {
        if (Files.exists(path.resolve("rounds.csv")) || Files.exists(path.resolve("summary.json"))) {
            return;
        }
        try {
            Files.deleteIfExists(path.resolve("config.conf"));
            for (int i = created.size() - 1; i >= 0; i--) {
                try (var entries = Files.list(created.get(i))) {
                    if (entries.findAny().isPresent()) {
                        return;
                    }
                }
                Files.delete(created.get(i));
            }
        } catch (IOException e) {
            // best effort: the run's own error is what the user needs to see
        }
    }

    /** A short reason for an I/O failure, e.g. "/proc/x: no such file or directory". */
    static String reason(IOException e) {
        return e instanceof FileSystemException f && f.getFile() != null ? f.getFile() + ": " + bare(e) : bare(e);
    }

    /** The reason alone, e.g. "permission denied". */
    static String bare(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(java.util.Locale.ROOT);
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }
}
