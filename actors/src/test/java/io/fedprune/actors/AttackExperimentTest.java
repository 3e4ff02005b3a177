package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.core.attack.Attack;
import io.fedprune.core.metrics.RunSummary;
import org.junit.jupiter.api.Test;

/**
 * Malicious clients in whole runs (real local training, virtual time, every message through the
 * Kryo serializer): three of ten clients forge their uploads after training. A sign-flipped
 * update derails the plain mean and the coordinate median holds the run; a norm bound and the
 * finiteness check refuse the attackers at the door, every round, and the run is then exactly
 * the run of the seven honest clients.
 */
class AttackExperimentTest {
    static final String BASE = """
            fedprune {
              algorithm = fedavg
              data { dataset = synthetic, clients = 10, partition = iid }
              train { lr = 0.1, batch-size = 16, workers = 2 }
              stop { max-rounds = 4, target-accuracy = 0.5 }
            }""";
    static final int ROUNDS = 4;
    static final int ATTACKERS = 3;
    static final double CHANCE = 0.1;

    static ExperimentSettings settings(String overrides) {
        return ExperimentDeterminismTest.settings(BASE, overrides);
    }

    static RunSummary run(String overrides) {
        return ExperimentDeterminismTest.run(BASE, overrides);
    }

    static double rejected(RunSummary r) {
        return r.history().get(r.history().size() - 1).extra().get("rejected"); // counted over the run
    }

    @Test
    void signFlippersDerailTheMeanAndTheMedianHoldsTheRun() {
        RunSummary honest = run("");
        RunSummary mean = run("fedprune.attack { malicious-clients = 3, kind = sign-flip, factor = 10 }");
        RunSummary median = run("fedprune { attack { malicious-clients = 3, kind = sign-flip, factor = 10 }, "
                + "fedavg.rule = median }");
        assertEquals(ROUNDS + 1, mean.history().size(), "the attacked run goes on to the end");
        assertTrue(honest.finalAccuracy() > 0.8, "honest run learns: " + honest.finalAccuracy());
        assertTrue(mean.finalAccuracy() < CHANCE + 0.1, "three sign-flippers must derail the mean: "
                + mean.finalAccuracy());
        assertTrue(median.finalAccuracy() > 0.7, "the median must hold: " + median.finalAccuracy());
        // a forged update is finite and the right shape: only a robust rule or a norm bound can stop it
        assertEquals(0.0, rejected(mean));
        assertEquals(0.0, rejected(median));
    }

    @Test
    void aNormBoundAndTheFinitenessCheckRefuseTheAttackersEveryRound() {
        // honest updates move this model by less than 1 (L2) in a round; a tenfold sign-flipped one does not
        RunSummary screened = run("fedprune { attack { malicious-clients = 3, kind = sign-flip, factor = 10 }, "
                + "screen.max-update-norm = 1 }");
        RunSummary nan = run("fedprune.attack { malicious-clients = 3, kind = nan }");
        assertEquals(ATTACKERS * ROUNDS, rejected(screened), 0.0);
        assertEquals(ATTACKERS * ROUNDS, rejected(nan), 0.0);
        assertTrue(nan.finalAccuracy() > 0.8, "refused at the door, NaN changes nothing: " + nan.finalAccuracy());
        // both refuse the same three clients every round: the same run, that of the seven honest ones
        ExperimentDeterminismTest.assertSameExceptWallTime(nan, screened);
    }

    @Test
    void withoutAttackersTheRunIsTheHonestOneWhateverTheKind() {
        ExperimentDeterminismTest.assertSameExceptWallTime(run(""),
                run("fedprune.attack { malicious-clients = 0, kind = nan, factor = 3 }"));
    }

    @Test
    void theAttackersAreASeededChoiceOfIds() {
        int[] ids = Experiment.attackerIds(settings("fedprune.attack.malicious-clients = 3"));
        assertEquals(3, ids.length);
        assertArrayEquals(ids, Experiment.attackerIds(settings(
                "fedprune.attack { malicious-clients = 3, kind = scale }")), "the kind does not change who attacks");
        assertTrue(ids[0] >= 0 && ids[2] < 10 && ids[0] < ids[1] && ids[1] < ids[2]);
        assertEquals(0, Experiment.attackerIds(settings("")).length);
        assertEquals(new Attack.Scale(2.5), settings(
                "fedprune.attack { malicious-clients = 1, kind = scale, factor = 2.5 }").attackers().attack());
    }

    static String error(String hocon) {
        return assertThrows(SettingsException.class, () -> settings(hocon)).getMessage();
    }

    @Test
    void badAttackSettingsNameTheirKey() {
        assertTrue(error("fedprune.attack.malicious-client = 3")
                .contains("did you mean fedprune.attack.malicious-clients?"));
        assertEquals("fedprune.attack.kind: expected one of [sign-flip, scale, noise, nan], got 'flip'",
                error("fedprune.attack.kind = flip"));
        assertEquals("fedprune.attack.malicious-clients: expected an integer <= 10, got 11",
                error("fedprune.attack.malicious-clients = 11"));
        assertEquals("fedprune.attack.malicious-clients: expected an integer >= 0, got -1",
                error("fedprune.attack.malicious-clients = -1"));
        assertTrue(error("fedprune.attack.factor = 0").startsWith("fedprune.attack.factor: expected a number in"));
        assertTrue(error("fedprune.attack.factor = ten").startsWith("fedprune.attack.factor: "));
        assertTrue(error("fedprune { algorithm = splitfed, attack.malicious-clients = 1 }")
                .startsWith("fedprune.attack.malicious-clients: split learning's clients"));
        assertTrue(error("fedprune { attack { malicious-clients = 1, kind = nan }, codec.uplink = \"quantize(8)\" }")
                .startsWith("fedprune.attack.kind: nan needs an uplink that carries NaN"));
        // only attackers are refused such a chain: with none, nan is just a default never used
        assertEquals(0, settings("fedprune { attack.kind = nan, codec.uplink = \"quantize(8)\" }")
                .attackers().clients());
    }
}
