package io.fedprune.examples.cli;

import io.fedprune.core.strategy.Algorithm;
import io.fedprune.core.strategy.Algorithms;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists the shipped presets and the registered algorithms. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List experiment presets and algorithms.")
public final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.println("presets (fedprune run NAME):");
        for (Map.Entry<String, String> e : Presets.all().entrySet()) {
            System.out.printf("  %-22s %s%n", e.getKey(), e.getValue());
        }
        System.out.println("algorithms (--set algorithm=NAME; settings in the block fedprune.NAME):");
        for (Algorithm<?> a : Algorithms.all()) {
            System.out.printf("  %-22s %s%n", a.name(), a.summary());
        }
        return 0;
    }
}
