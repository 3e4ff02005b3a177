package io.fedprune.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads rounds.csv the slow, obvious way, to check the target command against. */
final class TargetCommandRows {
    private TargetCommandRows() {
    }

    static long firstVersionAt(Path run, double accuracy) throws IOException {
        List<String> lines = Files.readAllLines(run.resolve("rounds.csv"));
        for (String line : lines.subList(1, lines.size())) {
            String[] c = line.split(",");
            if (Double.parseDouble(c[3]) >= accuracy) {
                return Long.parseLong(c[0]);
            }
        }
        return -1;
    }
}
