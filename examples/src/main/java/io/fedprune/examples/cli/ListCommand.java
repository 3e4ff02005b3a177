package io.fedprune.examples.cli;

import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** Lists the shipped presets. */
@Command(name = "list", mixinStandardHelpOptions = true, description = "List experiment presets.")
public final class ListCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (Map.Entry<String, String> e : Presets.all().entrySet()) {
            System.out.printf("%-22s %s%n", e.getKey(), e.getValue());
        }
        return 0;
    }
}
