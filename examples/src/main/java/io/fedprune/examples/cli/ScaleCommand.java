package io.fedprune.examples.cli;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fedprune.actors.experiment.AlgorithmDefaults;
import io.fedprune.actors.experiment.Experiment;
import io.fedprune.actors.experiment.ExperimentRunner;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.serialization.FedpruneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The simulator at scale, as a command (never a test): many registered client actors, a sample
 * of them per synchronous round, minimal local work (one step of a small model), virtual time.
 * Reports rounds and clock events per wall second, peak RSS, and where the time goes from a
 * Java Flight Recorder profile taken during the rounds.
 */
@Command(name = "scale", mixinStandardHelpOptions = true,
        description = "Benchmark the simulator with many clients (rounds/s, clock events/s, peak RSS, profile).")
public final class ScaleCommand implements Callable<Integer> {

    @Option(names = "--clients", description = "registered clients (default ${DEFAULT-VALUE})")
    int clients = 100_000;

    @Option(names = "--per-round", description = "clients sampled per round (default ${DEFAULT-VALUE})")
    int perRound = 1_000;

    @Option(names = "--rounds", description = "rounds to run (default ${DEFAULT-VALUE})")
    int rounds = 20;

    @Option(names = "--workers", description = "trainer workers (default ${DEFAULT-VALUE}; 0 = cores)")
    int workers = 0;

    @Option(names = "--profile", negatable = true, description = "record a JFR profile and print the hottest "
            + "methods and packages (default ${DEFAULT-VALUE})")
    boolean profile = true;

    @Option(names = "--top", description = "profile lines to print (default ${DEFAULT-VALUE})")
    int top = 15;

    @Override
    public Integer call() throws Exception {
        if (perRound < 1 || perRound > clients) {
            throw new IllegalArgumentException("--per-round must be in [1, --clients]");
        }
        Config config = ConfigFactory.parseString(String.format(Locale.ROOT, """
                fedprune {
                  name = scale
                  algorithm = fedavg
                  fedavg.fraction = %.9f
                  data { dataset = synthetic, clients = %d, partition = iid }
                  train { batch-size = 1, max-steps = 1, workers = %d }
                  stop { max-rounds = %d, target-accuracy = null }
                  eval { every = %d, batch-size = 1000 }
                }""", (double) perRound / clients, clients, workers, rounds, rounds))
                .withFallback(AlgorithmDefaults.reference()).resolve();
        ExperimentSettings settings = ExperimentSettings.fromConfig(config);
        // a small model (8x8 inputs, MLP 64-200-10) and one sample per client at least
        Dataset train = SyntheticDataset.gaussianClusters(Math.max(clients, 10_000), 10, 1, 8, 8, 0.4,
                settings.seed(), settings.seed() + 1);
        Dataset test = SyntheticDataset.gaussianClusters(1_000, 10, 1, 8, 8, 0.4, settings.seed(), settings.seed() + 2);
        System.out.printf("scale: %,d clients, %,d per round, %d rounds, one step of batch 1 each, virtual time%n",
                clients, perRound, rounds);
        long setupStart = System.nanoTime();
        RunSummary summary;
        Path jfr = Files.createTempFile("fedprune-scale", ".jfr");
        try (Experiment experiment = Experiment.assemble(settings, train, test);
             Recording recording = profile ? new Recording() : null) {
            double setupS = (System.nanoTime() - setupStart) / 1e9;
            long[] firstRowNanos = new long[1];
            if (recording != null) {
                recording.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
                recording.enable("jdk.NativeMethodSample").withPeriod(java.time.Duration.ofMillis(10));
                recording.start();
            }
            summary = ExperimentRunner.run(experiment, new ProgressListener() {
                @Override
                public void onRound(RoundRecord r) {
                    if (r.version() == 0) {
                        firstRowNanos[0] = System.nanoTime();
                    }
                }
            }, FedpruneConfig.local());
            if (recording != null) {
                recording.stop();
                recording.dump(jfr);
            }
            double roundsWall = (System.nanoTime() - firstRowNanos[0]) / 1e9;
            System.out.printf("scale: data, devices and trainers set up in %.1f s; the run (spawning %,d actors "
                    + "included) took %.1f s wall%n", setupS, clients, summary.wallTimeS());
            System.out.printf("scale: %d rounds in %.1f s wall after version 0: %.2f rounds/s; %,d clock events: "
                    + "%,.0f events/s over the whole run; virtual time %.1f s; stop: %s%n", summary.rounds(), roundsWall,
                    summary.rounds() / roundsWall, summary.clockEvents(), summary.clockEvents() / summary.wallTimeS(),
                    summary.virtualTimeS(), summary.stopReason());
            System.out.printf("scale: peak RSS %.0f MB (heap max %.0f MB)%n", PeakMemory.peakRssMb(),
                    Runtime.getRuntime().maxMemory() / 1e6);
        }
        if (profile) {
            printProfile(jfr);
        }
        Files.deleteIfExists(jfr);
        return 0;
    }

    /** The hottest methods (own time) and packages (own time), from execution samples of every thread. */
    private void printProfile(Path jfr) throws Exception {
        Map<String, Integer> methods = new HashMap<>();
        Map<String, Integer> packages = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(jfr)) {
            String kind = e.getEventType().getName();
            if (!(kind.equals("jdk.ExecutionSample") || kind.equals("jdk.NativeMethodSample"))
                    || e.getStackTrace() == null || e.getStackTrace().getFrames().isEmpty()) {
                continue;
            }
            samples++;
            RecordedFrame topFrame = e.getStackTrace().getFrames().get(0);
            String type = topFrame.getMethod().getType().getName();
            methods.merge(type + "." + topFrame.getMethod().getName(), 1, Integer::sum);
            int dot = type.lastIndexOf('.');
            packages.merge(dot < 0 ? type : type.substring(0, dot), 1, Integer::sum);
            String thread = e.getThread("sampledThread") == null ? "?" : e.getThread("sampledThread").getJavaName();
            if (kind.equals("jdk.NativeMethodSample")) {
                thread = thread + " (native)";
            }
            threads.merge(thread == null ? "?" : thread.replaceAll("-\\d+$", "-N"), 1, Integer::sum);
        }
        System.out.printf("scale: profile: %,d samples of running threads, in Java or native code (10 ms period; "
                + "threads waiting in Java are not sampled)%n", samples);
        print("thread", threads, samples);
        print("package (own time)", packages, samples);
        print("method (own time)", methods, samples);
    }

    private void print(String what, Map<String, Integer> counts, int total) {
        System.out.println("scale: top " + what + ":");
        List<Map.Entry<String, Integer>> sorted = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder())).limit(top).toList();
        for (Map.Entry<String, Integer> e : sorted) {
            System.out.printf("  %5.1f %%  %s%n", 100.0 * e.getValue() / Math.max(1, total), e.getKey());
        }
    }
}
