package io.fedprune.examples.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.monitor.RunEvent;
import io.fedprune.core.metrics.RoundRecord;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The live page's state from events: phases, staleness, counts, and a page for a run with no versions yet. */
class LiveStateTest {
    static LiveState state(int clients) {
        return new LiveState(ExperimentSettings.fromConfig(ConfigFactory.parseString(
                "fedprune.data { dataset = synthetic, clients = " + clients + " }")
                .withFallback(ConfigFactory.defaultReference()).resolve()));
    }

    static LiveSnapshot.Row row(LiveSnapshot s, int id) {
        return s.clients().get(id);
    }

    @Test
    void aRunWithNoVersionsYetHasAPage() throws Exception {
        LiveSnapshot s = state(3).snapshot(0);
        assertTrue(s.rounds().isEmpty());
        assertEquals(Map.of("training", 0, "uploading", 0, "idle", 3, "dropped", 0), s.phases());
        assertNull(s.finished());
        assertNull(s.finalAccuracy());
        assertTrue(new ObjectMapper().writeValueAsString(s).contains("\"rounds\":[]"));
    }

    @Test
    void clientsGoThroughTrainingUploadingIdleAndDropped() {
        LiveState st = state(3);
        st.onEvent(new RunEvent.WorkSent(0, 0, 0));
        st.onEvent(new RunEvent.RoundStarted(0, 0, 0.25, 100, 10, 0, 0, 5_000_000));
        st.onEvent(new RunEvent.WorkSent(1, 0, 0));
        st.onEvent(new RunEvent.RoundStarted(1, 0, 1.0, 100, 0, 0, 0, 9_000_000));
        st.onEvent(new RunEvent.Dropped(2, 1_000_000));
        LiveSnapshot s = st.snapshot(0);
        assertEquals("training", row(s, 0).phase());
        assertEquals(0.25, row(s, 0).density());
        assertEquals("dropped", row(s, 2).phase());

        st.onEvent(new RunEvent.ComputeScheduled(1, 0, 6_000_000, 9_000_000)); // time moves to 6 s
        s = st.snapshot(0);
        assertEquals("uploading", row(s, 0).phase(), "its compute ended at 5 s");
        assertEquals("training", row(s, 1).phase());

        st.onEvent(new RunEvent.UpdateSent(0, 0, 40, 6_000_000));
        st.onRound(new RoundRecord(1, 6.5, 0.1, 0.5, 1.0, 40, 200, Map.of()));
        st.onRound(new RoundRecord(2, 6.8, 0.1, 0.6, 1.0, 40, 200, Map.of()));
        st.onEvent(new RunEvent.Answered(0, 0, 2, true, 7_000_000));
        s = st.snapshot(1);
        assertEquals("idle", row(s, 0).phase());
        assertEquals(2L, row(s, 0).staleness(), "answered on version 0 while the server had 2");
        assertEquals(1, row(s, 0).updatesSent());
        assertEquals(1, s.rounds().size(), "only the versions from the cursor on");
        assertEquals(2, s.rounds().get(0).version());
        assertEquals(7.0, s.virtualTimeS());
        assertEquals(Map.of("global_model", 200L, "mask", 10L), s.bytesByKind().get("downlink"));
        assertEquals(Map.of("client_update", 40L), s.bytesByKind().get("uplink"));
        assertEquals("clients", s.bytesSource());

        st.onEvent(new RunEvent.WorkSent(2, 3, 8_000_000));
        assertEquals("dropped", row(st.snapshot(0), 2).phase(), "a dropout stays dropped");
    }

    @Test
    void aLateAnswerToAnOlderRoundKeepsTheNewerWork() {
        LiveState st = state(1);
        st.onEvent(new RunEvent.RoundStarted(0, 1, 1.0, 100, 0, 0, 0, 5_000_000));
        st.onEvent(new RunEvent.UpdateSent(0, 1, 40, 5_000_000));
        st.onEvent(new RunEvent.WorkSent(0, 4, 5_500_000));
        st.onEvent(new RunEvent.RoundStarted(0, 4, 1.0, 100, 0, 0, 5_500_000, 9_000_000));
        st.onEvent(new RunEvent.Answered(0, 1, 4, true, 6_000_000));
        LiveSnapshot.Row r = row(st.snapshot(0), 0);
        assertEquals("training", r.phase());
        assertEquals(4, r.version());
        assertEquals(3L, r.staleness());
    }
}
