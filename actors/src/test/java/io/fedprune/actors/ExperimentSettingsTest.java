package io.fedprune.actors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.aggregator.AggregatorSettings;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ExperimentSettings.ClockSettings;
import io.fedprune.actors.experiment.ExperimentSettings.DataSettings;
import io.fedprune.actors.experiment.ExperimentSettings.EvalSettings;
import io.fedprune.actors.experiment.ExperimentSettings.StopSettings;
import io.fedprune.actors.experiment.SettingsException;
import io.fedprune.core.data.IidPartitioner;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Settings are validated once, before any work, with messages that name the key. */
class ExperimentSettingsTest {

    static ExperimentSettings parse(String hocon) {
        return ExperimentSettings.fromConfig(ConfigFactory.parseString(hocon)
                .withFallback(ConfigFactory.defaultReference()).resolve());
    }

    static String error(String hocon) {
        return assertThrows(SettingsException.class, () -> parse(hocon)).getMessage();
    }

    @Test
    void defaultsAreValid() {
        ExperimentSettings s = parse("");
        assertEquals("fedavg", s.algorithm().name());
        assertEquals(20, s.data().clients());
        assertTrue(s.devices().speedClasses().isEmpty());
    }

    @Test
    void everyRegisteredAlgorithmReadsItsOwnBlock() {
        // the shipped ones, and a test-only one registered from the test class path alone
        assertEquals(java.util.List.of("exploding", "fedasync", "fedavg", "fedbuff", "fedfix", "heterofl", "personal", "prfl", "splitfed", "tifl", "ttfed"),
                io.fedprune.core.strategy.Algorithms.names());
        ExperimentSettings buff = parse("fedprune { algorithm = fedbuff, fedbuff.buffer-size = 7 }");
        assertEquals(new io.fedprune.core.aggregate.FedBuff.Settings(7, 1.0, 0,
                io.fedprune.core.aggregate.StalenessFunction.polynomial(0.5)), buff.algorithm().settings());
        ExperimentSettings fix = parse("fedprune { algorithm = fedfix, fedfix.interval-s = 2.5 }");
        assertEquals(2_500_000, ((io.fedprune.core.aggregate.FedFix.Settings) fix.algorithm().settings()).intervalMicros());
        assertTrue(error("fedprune.algorithm = fedprox").startsWith("fedprune.algorithm: unknown algorithm 'fedprox', "
                + "expected one of [exploding, fedasync, fedavg, fedbuff, fedfix, heterofl, personal, prfl, splitfed, tifl, ttfed]"));
        // its own block is a known key, validated like the shipped ones
        assertEquals(7, ((ExplodingAlgorithm.Settings) parse("fedprune { algorithm = exploding, exploding.fail-at = 7 }")
                .algorithm().settings()).failAt());
        assertTrue(error("fedprune.exploding.fail-at = 0").startsWith("fedprune.exploding.fail-at: expected"));
        assertTrue(error("fedprune { algorithm = fedbuff, fedbuff.buffer-size = 0 }")
                .startsWith("fedprune.fedbuff.buffer-size: expected an integer >= 1"));
        assertTrue(error("fedprune { algorithm = fedfix, fedfix.interval-s = 0 }")
                .startsWith("fedprune.fedfix.interval-s: expected a number in"));
        ExperimentSettings prfl = parse(
                "fedprune { algorithm = prfl, prfl { global-lr = 0.5, staleness = \"hinge(0.5, 2)\" } }");
        io.fedprune.core.prfl.PrflSettings read = (io.fedprune.core.prfl.PrflSettings) prfl.algorithm().settings();
        assertEquals(new io.fedprune.core.prfl.PrflSettings.Aggregation(
                io.fedprune.core.aggregate.StalenessFunction.hinge(0.5, 2), 0.5, 1, 0, true, 0.6, true, false),
                read.aggregation());
        assertEquals(io.fedprune.core.prfl.PrflSettings.defaults(),
                parse("fedprune.algorithm = prfl").algorithm().settings());
        assertEquals(java.util.List.of(1.0, 1.0, 0.1), ((io.fedprune.core.prfl.PrflSettings) parse(
                "fedprune { algorithm = prfl, prfl.initial-densities = \"1.0*2, 0.1\" }").algorithm().settings()).density().initial());
        assertNull(((io.fedprune.core.prfl.PrflSettings) parse("fedprune { algorithm = prfl, prfl.recovery = none }").algorithm()
                .settings()).recovery().schedule());
        assertTrue(error("fedprune.prfl.recovery = \"sometimes\"").startsWith("fedprune.prfl.recovery: "));
        assertTrue(error("fedprune.prfl.initial-densities = \"1.0*x\"").startsWith(
                "fedprune.prfl.initial-densities: expected densities like"));
        assertTrue(error("fedprune { algorithm = prfl, prfl.aggregate-every = 0 }")
                .startsWith("fedprune.prfl.aggregate-every: expected an integer >= 1"));
        assertTrue(error("fedprune.prfl.global-lr = 1.5").startsWith("fedprune.prfl.global-lr: expected a number in"));
        assertTrue(error("fedprune.prfl.interval-s = -1").startsWith("fedprune.prfl.interval-s: expected a number in"));
        assertTrue(error("fedprune.prfl.staleness = \"cubic\"").startsWith("fedprune.prfl.staleness: unknown"));
        assertEquals("fedprune.prfl: PR-FL aggregates either every aggregate-every updates or every interval-s "
                + "seconds, not both: got aggregate-every = 3 and interval-s = 5.0",
                error("fedprune.prfl { aggregate-every = 3, interval-s = 5 }"));
        assertTrue(error("fedprune.prfl.agregate-every = 3").contains("did you mean fedprune.prfl.aggregate-every?"));
        // a block of an algorithm that is not selected is still validated only when selected
        assertEquals("fedavg", parse("fedprune.fedbuff.buffer-size = 3").algorithm().name());
    }

    @Test
    void speedClassesAreReadFromTheList() {
        ExperimentSettings s = parse("""
                fedprune.devices.speed-classes = [
                  {share = 0.2, compute-scale = 4, uplink-scale = 2, downlink-scale = 2}
                  {share = 0.8, compute-scale = 1, uplink-scale = 1, downlink-scale = 1}
                ]""");
        assertEquals(2, s.devices().speedClasses().size());
        assertEquals(4.0, s.devices().speedClasses().get(0).computeScale());
    }

    @Test
    void badListEntriesAreNamedByTheirPosition() {
        String msg = error("fedprune.devices.speed-classes = [{share = 2, compute-scale = 1, uplink-scale = 1, "
                + "downlink-scale = 1}]");
        assertTrue(msg.startsWith("fedprune.devices.speed-classes[0].share: expected a number in [0.0, 1.0]"), msg);
        String missing = error("fedprune.devices.speed-classes = [{share = 1, uplink-scale = 1, downlink-scale = 1}]");
        assertTrue(missing.startsWith("fedprune.devices.speed-classes[0].compute-scale: missing"), missing);
        String sum = error("fedprune.devices.speed-classes = [{share = 0.5, compute-scale = 1, uplink-scale = 1, "
                + "downlink-scale = 1}]");
        assertTrue(sum.startsWith("fedprune.devices.speed-classes: "), sum);
    }

    @Test
    void everyKindOfMistakeNamesItsKey() {
        assertTrue(error("fedprune.train.lr = 0").startsWith("fedprune.train.lr: expected a number > 0"));
        assertTrue(error("fedprune.train.batch-size = 0").startsWith("fedprune.train.batch-size: expected an integer >= 1"));
        assertTrue(error("fedprune.fedavg.fraction = 1.5").startsWith("fedprune.fedavg.fraction:"));
        assertTrue(error("fedprune.fedasync.staleness = \"cubic\"").startsWith("fedprune.fedasync.staleness: unknown"));
        assertTrue(error("fedprune.model.architecture = resnet").startsWith("fedprune.model.architecture: unknown model"));
        assertTrue(error("fedprune.clock.mode = fast").startsWith("fedprune.clock.mode: expected one of"));
        assertTrue(error("fedprune.devices.link-model = satellite").startsWith("fedprune.devices.link-model:"));
        String payload = error("fedprune.codec.uplink-payload = weights");
        assertTrue(payload.startsWith("fedprune.codec.uplink-payload: uplink payload must be 'model' or 'update'"),
                payload);
        assertTrue(error("fedprune.stop { max-rounds = 0, max-virtual-time-s = 0, stop-at-target = false }")
                .startsWith("fedprune.stop: set max-rounds"));
        for (String key : new String[] {"uplink", "downlink"}) {
            String prune = error("fedprune.codec." + key + " = \"magnitude(1.0) > sparse\"");
            assertTrue(prune.startsWith("fedprune.codec." + key + ": magnitude fraction (the pruned share) must be in [0, 1)")
                    && prune.contains("all-zero model"), prune);
        }
    }

    @Test
    void integersMustBeIntegers() {
        assertEquals("fedprune.data.clients: expected an integer in [1, 10000000], got 5.7",
                error("fedprune.data.clients = 5.7"));
        assertEquals("fedprune.train.local-epochs: expected an integer in [1, 10000], got 1.5",
                error("fedprune.train.local-epochs = 1.5"));
        assertEquals("fedprune.seed: expected an integer, got 0.5", error("fedprune.seed = 0.5"));
        assertEquals("fedprune.seed: expected an integer, got 1.0E20", error("fedprune.seed = 1e20"));
        assertEquals("fedprune.data.train-limit: expected an integer >= 0, got 1.0E20",
                error("fedprune.data.train-limit = 1e20"));
        assertEquals(7, parse("fedprune.data.clients = \"7\"").data().clients(), "a quoted integer is still one");
        assertEquals(1000, parse("fedprune.stop.max-rounds = 1e3").stop().maxRounds(), "an integral exponent is fine");
    }

    @Test
    void limitsAreBoundedAndNamed() {
        assertEquals("fedprune.stop.max-rounds: expected an integer in [0, 1000000000], got 1.0E20",
                error("fedprune.stop.max-rounds = 1e20"));
        assertEquals("fedprune.stop.max-rounds: expected an integer <= 1000000000, got 2000000000",
                error("fedprune.stop.max-rounds = 2000000000"));
        assertEquals("fedprune.stop.max-virtual-time-s: expected a number in [0.0, 1.0E12], got 1.0E20",
                error("fedprune.stop.max-virtual-time-s = 1e20"));
        assertTrue(error("fedprune.stop.max-virtual-time-s = Infinity")
                .startsWith("fedprune.stop.max-virtual-time-s: expected a number"));
        assertEquals("fedprune.train.batch-size: expected an integer <= 1000000, got 1000001",
                error("fedprune.train.batch-size = 1000001"));
        assertEquals("fedprune.eval.batch-size: expected an integer <= 1000000, got 10000000",
                error("fedprune.eval.batch-size = 10000000"));
        assertEquals("fedprune.data.clients: expected an integer <= 10000000, got 2147483647",
                error("fedprune.data.clients = 2147483647"));
        assertEquals("fedprune.train.workers: expected an integer <= 1024, got 5000", error("fedprune.train.workers = 5000"));
        assertEquals("fedprune.train.max-steps: expected an integer <= 1000000000, got 5000000000",
                error("fedprune.train.max-steps = 5000000000"));
        assertEquals("fedprune.eval.every: expected an integer >= 1, got 0", error("fedprune.eval.every = 0"));
    }

    @Test
    void unknownKeysFailThroughFromConfigToo() {
        assertEquals("fedprune.train.lrr (from String, line 1): unknown key; did you mean fedprune.train.lr?",
                error("fedprune.train.lrr = 0.1"));
    }

    static String invalid(Executable build) {
        return assertThrows(IllegalArgumentException.class, build).getMessage();
    }

    @Test
    void recordsBuiltInCodeValidateThemselves() {
        ExperimentSettings ok = parse("");
        assertEquals("set max-rounds, max-virtual-time-s or target-accuracy with stop-at-target, otherwise the run "
                + "never ends", invalid(() -> new StopSettings(0, 0, 0.8, false)));
        assertEquals("max rounds must be in [0, 1000000000] (0 = no cap), got 100000000000",
                invalid(() -> new StopSettings(100_000_000_000L, 0, null, false)));
        assertTrue(invalid(() -> new StopSettings(1, Double.NaN, null, false)).startsWith("max virtual time"));
        assertTrue(invalid(() -> new StopSettings(1, 0, 1.5, false)).startsWith("target accuracy"));
        assertEquals("clients must be in [1, 10000000], got 0", invalid(() -> new DataSettings("synthetic", Path.of("."),
                new IidPartitioner(), 0, 0, 0)));
        assertTrue(invalid(() -> new DataSettings("imagenet", Path.of("."), new IidPartitioner(), 1, 0, 0))
                .startsWith("dataset must be one of"));
        assertTrue(invalid(() -> new DataSettings("synthetic", Path.of("."), new IidPartitioner(), 1, -1, 0))
                .startsWith("train and test limits"));
        assertTrue(invalid(() -> new EvalSettings(0, 10, false)).startsWith("evaluation interval"));
        assertTrue(invalid(() -> new EvalSettings(1, 0, false)).startsWith("evaluation batch size"));
        assertTrue(invalid(() -> new ClockSettings(false, Double.POSITIVE_INFINITY)).startsWith("latency scale"));
        assertTrue(invalid(() -> new ExperimentSettings.CodecSettings(null, ok.codec().downlink(), ok.codec().payload(),
                false)).startsWith("uplink codec chain is required"));
        assertEquals("workers must be in [1, 1024], got 0", invalid(() -> new ExperimentSettings(ok.name(), ok.seed(),
                ok.algorithm(), ok.data(), ok.model(), ok.optimizer(), ok.training(), 0, ok.codec(), ok.devices(),
                ok.stop(), ok.eval(), ok.clock())));
        assertEquals("name must not be blank", invalid(() -> new ExperimentSettings(" ", ok.seed(), ok.algorithm(),
                ok.data(), ok.model(), ok.optimizer(), ok.training(), 1, ok.codec(), ok.devices(), ok.stop(), ok.eval(),
                ok.clock())));
        assertEquals("stop is required", invalid(() -> new ExperimentSettings(ok.name(), ok.seed(), ok.algorithm(),
                ok.data(), ok.model(), ok.optimizer(), ok.training(), 1, ok.codec(), ok.devices(), null, ok.eval(),
                ok.clock())));
        assertEquals("algorithm is required", invalid(() -> new ExperimentSettings(ok.name(), ok.seed(), null,
                ok.data(), ok.model(), ok.optimizer(), ok.training(), 1, ok.codec(), ok.devices(), ok.stop(), ok.eval(),
                ok.clock())));
        assertEquals("FedAsync mixing weight alpha must be in (0, 1], got 2.0",
                invalid(() -> new io.fedprune.core.aggregate.FedAsync.Settings(2,
                        io.fedprune.core.aggregate.StalenessFunction.constant())));
        assertEquals("max versions must be in [0, 1000000000], got 1000000001", invalid(() -> new AggregatorSettings(
                AggregatorSettings.MAX_VERSIONS + 1)));
        assertTrue(invalid(() -> new AggregatorSettings(0, 0)).startsWith("max idle rounds"));
        assertTrue(invalid(() -> new io.fedprune.core.aggregate.FedAvg.Settings(1, Long.MAX_VALUE))
                .startsWith("round deadline"));
        // the config path reports the same checks under the key
        assertEquals("fedprune: name must not be blank", error("fedprune.name = \"  \""));
    }
}
