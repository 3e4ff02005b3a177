package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentRunner;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.actors.monitor.RunEvent;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.serialization.FedpruneConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * A watched run publishes what each client does (work sent, local round started with its density,
 * update sent, answer received) and is the same run as an unwatched one.
 */
class RunMonitorExperimentTest {

    @Test
    void aWatchedPrflRunTellsWhatEveryClientDoesAndIsTheSameRun() {
        ExperimentSettings s = ExperimentDeterminismTest.settings("fedprune { algorithm = prfl, "
                + "data.validation-samples = 200, prfl { adjust-interval = 3, initial-densities = \"1.0*2, 0.5*2, 0.2*2\" }, "
                + "train.max-steps = 4, stop.max-rounds = 24, eval.every = 3 }");
        RunSummary plain = ExperimentDeterminismTest.run(s);
        ConcurrentLinkedQueue<RunEvent> events = new ConcurrentLinkedQueue<>();
        RunSummary watched;
        try (Experiment e = Experiment.assemble(s, ExperimentDeterminismTest.TRAIN, ExperimentDeterminismTest.TEST)) {
            watched = ExperimentRunner.run(e, new ProgressListener() {
                @Override
                public Consumer<RunEvent> runEvents() {
                    return events::add;
                }
            }, FedpruneConfig.testing());
        }
        ExperimentDeterminismTest.assertSameExceptWallTime(plain, watched);

        Map<Class<?>, Set<Integer>> clientsByKind = events.stream().collect(Collectors.groupingBy(Object::getClass,
                Collectors.mapping(RunEvent::clientId, Collectors.toSet())));
        Set<Integer> all = Set.of(0, 1, 2, 3, 4, 5);
        for (Class<?> kind : List.of(RunEvent.WorkSent.class, RunEvent.RoundStarted.class, RunEvent.UpdateSent.class,
                RunEvent.Answered.class)) {
            assertEquals(all, clientsByKind.get(kind), kind.getSimpleName() + " for every client");
        }
        assertFalse(clientsByKind.containsKey(RunEvent.Dropped.class), "nobody dropped out");
        List<RunEvent.RoundStarted> starts = events.stream().filter(RunEvent.RoundStarted.class::isInstance)
                .map(RunEvent.RoundStarted.class::cast).toList();
        assertTrue(starts.stream().anyMatch(r -> r.density() < 0.3 && r.maskBytes() > 0),
                "clients sent a 0.2 sub-model say so");
        assertTrue(starts.stream().allMatch(r -> r.computeEndMicros() > r.atMicros()
                && r.modelBytes() + r.incrementBytes() > 0), "each round downloads a model or increments");
        long trainedAnswers = events.stream().filter(ev -> ev instanceof RunEvent.Answered a && a.trained()
                && a.serverVersion() >= a.baseVersion()).count();
        assertTrue(trainedAnswers >= watched.updatesAccepted(), trainedAnswers + " answers, "
                + watched.updatesAccepted() + " accepted");
    }
}
