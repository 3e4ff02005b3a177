package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.actors.experiment.RunHandle;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.core.compress.CutLayerCodec;
import io.fedprune.core.compress.Direction;
import io.fedprune.core.compress.MessageKind;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.metrics.TrafficByKind;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * A splitfed run through the experiment runner: the same summary as any run, with one row per
 * round that averaged the client parts, the bytes of every message kind adding up to the totals
 * and equal to the cut-layer formula times the server's steps, the same result for the same seed,
 * and client-side pruning shrinking both the part's upload and the clients' modelled compute.
 * Bad split settings are refused before any work, naming the key.
 */
class SplitExperimentTest {
    static final int CLIENTS = 6;
    static final int STEPS = 3;
    static final int BATCH = 16;
    static final int ROUNDS = 4;

    static ExperimentSettings split(String overrides) {
        return ExperimentDeterminismTest.settings("fedprune { algorithm = splitfed, data.clients = " + CLIENTS
                + ", train.batch-size = " + BATCH + ", stop.max-rounds = " + ROUNDS
                + ", splitfed { steps-per-round = " + STEPS + ", fed-interval = 2, gradient-bits = 8 } } \n" + overrides);
    }

    @ParameterizedTest(name = "variant {0}")
    @ValueSource(strings = {"v1", "v2"})
    void aSplitRunWritesTheUsualSummaryWithEveryMessageKindCounted(String variant) {
        ExperimentSettings s = split("fedprune.splitfed.variant = " + variant);
        RunSummary r = ExperimentDeterminismTest.run(s);
        assertEquals("splitfed", r.algorithm());
        assertEquals("max-rounds", r.stopReason());
        assertEquals(List.of(2L, 4L), r.history().stream().map(RoundRecord::version).toList(),
                "rows only where the client parts were averaged (I = 2)");
        assertTrue(r.finalAccuracy() > 0.3, "it learned: " + r.finalAccuracy()); // 10 classes: chance is 0.1
        TrafficByKind t = r.traffic();
        assertEquals(r.bytesUp(), t.total(Direction.UPLINK), t.toString());
        assertEquals(r.bytesDown(), t.total(Direction.DOWNLINK), t.toString());
        long steps = (long) CLIENTS * STEPS * ROUNDS;
        RoundRecord last = r.history().get(1);
        assertEquals(steps, last.extra().get("server_steps").longValue());
        int kept = BATCH * 200; // MLP cut after its 200-unit hidden layer, no dropout: everything travels
        assertEquals(steps * CutLayerCodec.activationBytes(kept, BATCH, 10, 32), t.bytes(Direction.UPLINK,
                MessageKind.ACTIVATIONS), "activations: the formula per step");
        assertEquals(steps * CutLayerCodec.gradientBytes(kept, 8), t.bytes(Direction.DOWNLINK,
                MessageKind.ACTIVATION_GRADIENTS), "8-bit gradients: the formula per step");
        long part = 20 + 4L * (64 * 200 + 200); // a dense float32 payload of the client part (8x8 inputs)
        assertEquals((long) CLIENTS * ROUNDS * part, t.bytes(Direction.UPLINK, MessageKind.CLIENT_PART),
                "every round's parts go up");
        assertEquals(2L * CLIENTS * part, t.bytes(Direction.DOWNLINK, MessageKind.CLIENT_PART),
                "the initial part and the average of round 2 go down");
        assertEquals(last.bytesUp(), r.bytesUp(), "nothing moved after the last scored round");
        ExperimentDeterminismTest.assertSameExceptWallTime(r, ExperimentDeterminismTest.run(s));
    }

    @Test
    void clientPruningShrinksThePartUploadAndTheClientsComputeTime() {
        RunSummary dense = ExperimentDeterminismTest.run(split("fedprune.codec.uplink = sparse"));
        RunSummary pruned = ExperimentDeterminismTest.run(split("fedprune { codec.uplink = sparse, "
                + "splitfed { client-prune-rate = 0.5, prune-every = 2 } }"));
        long densePart = dense.traffic().bytes(Direction.UPLINK, MessageKind.CLIENT_PART);
        long prunedPart = pruned.traffic().bytes(Direction.UPLINK, MessageKind.CLIENT_PART);
        assertTrue(prunedPart < 0.55 * densePart, "half the weights travel: " + prunedPart + " vs " + densePart);
        assertEquals(dense.traffic().bytes(Direction.UPLINK, MessageKind.ACTIVATIONS),
                pruned.traffic().bytes(Direction.UPLINK, MessageKind.ACTIVATIONS), "the cut layer's traffic is the same");
        assertTrue(pruned.virtualTimeS() < dense.virtualTimeS(), "the clients compute half: " + pruned.virtualTimeS()
                + " s vs " + dense.virtualTimeS() + " s");
        assertTrue(pruned.finalAccuracy() > 0.3, "it still learned: " + pruned.finalAccuracy());
    }

    @Test
    void activationBitsQuantizeTheActivationsGoingUp() {
        RunSummary r = ExperimentDeterminismTest.run(split("fedprune.splitfed { activation-bits = 8, dropout = 0.5 }"));
        long steps = (long) CLIENTS * STEPS * ROUNDS;
        // dropout 0.5 keeps a random count per step: bound by the formula at the extremes, and well under float32's
        long measured = r.traffic().bytes(Direction.UPLINK, MessageKind.ACTIVATIONS);
        long atMost = steps * CutLayerCodec.activationBytes(BATCH * 200, BATCH, 10, 8);
        assertTrue(measured < atMost && measured > steps * CutLayerCodec.activationBytes(0, BATCH, 10, 8),
                measured + " vs at most " + atMost);
        double perValue = (double) (measured - steps * CutLayerCodec.activationBytes(0, BATCH, 10, 8))
                / (steps * BATCH * 200 * 0.5);
        assertEquals(1.0, perValue, 0.02, "one byte per kept value (half of them kept)");
        assertTrue(r.finalAccuracy() > 0.3, "it learned: " + r.finalAccuracy());
    }

    @Test
    void anInterruptedSplitRunEndsWithTheRoundsSoFar() {
        RunHandle handle = new RunHandle();
        RunSummary r = ExperimentInterruptTest.run(split("fedprune.stop.max-rounds = 100000"), new ProgressListener() {
            @Override
            public void onRound(RoundRecord row) {
                if (row.version() == 4) {
                    handle.interrupt();
                }
            }
        }, handle);
        assertEquals("interrupted", r.stopReason());
        assertTrue(r.history().size() >= 2 && r.history().size() < 10, "rows: " + r.history().size());
        assertTrue(r.traffic().bytes(Direction.UPLINK, MessageKind.ACTIVATIONS) > 0, "bytes so far are reported");
    }

    @Test
    void badSplitSettingsAreRefusedBeforeAnyWorkNamingTheKey() {
        SettingsException cut = assertThrows(SettingsException.class, () -> {
            try (Experiment e = Experiment.assemble(split("fedprune.splitfed.cut-layer = 2"))) {
                e.settings();
            }
        });
        assertTrue(cut.getMessage().startsWith("fedprune.splitfed.cut-layer"), cut.getMessage());
        SettingsException typo = assertThrows(SettingsException.class, () -> split("fedprune.splitfed.cut-layr = 1"));
        assertTrue(typo.getMessage().contains("fedprune.splitfed.cut-layr"), typo.getMessage());
        SettingsException bits = assertThrows(SettingsException.class, () -> split("fedprune.splitfed.gradient-bits = 20"));
        assertTrue(bits.getMessage().contains("fedprune.splitfed.gradient-bits"), bits.getMessage());
        SettingsException variant = assertThrows(SettingsException.class, () -> split("fedprune.splitfed.variant = v3"));
        assertTrue(variant.getMessage().contains("fedprune.splitfed.variant"), variant.getMessage());
    }
}
