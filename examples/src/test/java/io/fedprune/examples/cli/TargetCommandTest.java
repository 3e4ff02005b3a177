package io.fedprune.examples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Which accuracy the target command aims at. */
class TargetCommandTest {
    // an oscillating reference: best 0.84 at version 2, final 0.78
    static final List<TargetCommand.Row> REFERENCE = List.of(
            new TargetCommand.Row(0, 0, 0.10, 0, 0),
            new TargetCommand.Row(1, 1, 0.80, 10, 10),
            new TargetCommand.Row(2, 2, 0.84, 20, 20),
            new TargetCommand.Row(3, 3, 0.78, 30, 30));

    @Test
    void finalBestOrExplicit() {
        assertEquals(0.77, TargetCommand.target(null, REFERENCE, false, 0.01), 1e-12);
        assertEquals(0.83, TargetCommand.target(null, REFERENCE, true, 0.01), 1e-12);
        assertEquals(0.5, TargetCommand.target(0.5, REFERENCE, true, 0.01), 1e-12);
        assertEquals(0.5, TargetCommand.target(0.5, null, false, 0.01), 1e-12);
    }
}
