package io.fedprune.examples.cli;

import io.fedprune.examples.bench.CodecBenchmark;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs the JMH codec benchmarks and prints, per size, density and format, encode and decode
 * throughput as a ratio to copying the same float array, and the time of the payload checksum
 * alone as a share of encode and decode time, all measured in this one run.
 */
@Command(name = "jmh", mixinStandardHelpOptions = true,
        description = "JMH: codec encode/decode throughput relative to a plain array copy (same run).")
public final class JmhCommand implements Callable<Integer> {

    @Option(names = "--quick", description = "1 warm-up and 1 measurement iteration (a smoke run, not for docs)")
    boolean quick;

    @Option(names = "--size", description = "only these sizes (default: 1000000 and 10000000)")
    List<String> sizes = new ArrayList<>();

    @Option(names = "--density", description = "only these densities (default: 0.5, 0.1 and 0.01)")
    List<String> densities = new ArrayList<>();

    @Option(names = "--format", description = "only these formats: dense, sparse, q8-sparse (default: all three)")
    List<String> formats = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        ChainedOptionsBuilder opts = new OptionsBuilder().include(CodecBenchmark.class.getName() + ".*");
        if (quick) {
            opts.warmupIterations(1).measurementIterations(1).warmupTime(TimeValue.milliseconds(300))
                    .measurementTime(TimeValue.milliseconds(500));
        }
        if (!sizes.isEmpty()) {
            opts.param("size", sizes.toArray(String[]::new));
        }
        if (!densities.isEmpty()) {
            opts.param("density", densities.toArray(String[]::new));
        }
        if (!formats.isEmpty()) {
            opts.param("format", formats.toArray(String[]::new));
        }
        Collection<RunResult> results = new Runner(opts.build()).run();
        // key: size/density/format -> benchmark -> ms per operation
        Map<String, Map<String, Double>> table = new TreeMap<>();
        for (RunResult r : results) {
            Map<String, String> p = new TreeMap<>();
            for (String k : r.getParams().getParamsKeys()) {
                p.put(k, r.getParams().getParam(k));
            }
            String key = String.format("%9s %5s %-9s", p.get("size"), p.get("density"), p.get("format"));
            String bench = r.getParams().getBenchmark().substring(r.getParams().getBenchmark().lastIndexOf('.') + 1);
            table.computeIfAbsent(key, k -> new TreeMap<>()).put(bench, r.getPrimaryResult().getScore());
        }
        System.out.println();
        System.out.println("| params | density | format | copy ms | encode ms | decode ms | encode / copy | decode / copy "
                + "| checksum ms | checksum / encode | checksum / decode |");
        System.out.println("|---|---|---|---|---|---|---|---|---|---|---|");
        for (Map.Entry<String, Map<String, Double>> e : table.entrySet()) {
            String[] k = e.getKey().trim().split("\\s+");
            double copy = e.getValue().get("copy");
            double enc = e.getValue().get("encode");
            double dec = e.getValue().get("decode");
            double crc = e.getValue().getOrDefault("checksum", Double.NaN);
            System.out.printf("| %s | %s | %s | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f | %.3f |%n", k[0], k[1],
                    k[2], copy, enc, dec, copy / enc, copy / dec, crc, crc / enc, crc / dec);
        }
        System.out.println("(ratios are throughput relative to System.arraycopy of the same float[]; higher is better)");
        return 0;
    }
}
