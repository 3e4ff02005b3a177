package io.fedprune.examples.service;

import io.fedprune.actors.embed.ClientData;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.FashionMnist;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * Gives each client of the example services its own data folder: splits the Fashion-MNIST training
 * set as an experiment with the same {@code --partition}, {@code --clients} and {@code --seed} would
 * (so the services train on the CLI's shards) and writes {@code OUT/client-<i>} as IDX files.
 */
public final class PrepareFolders {
    private PrepareFolders() {
    }

    public static void main(String[] args) {
        ServiceArgs a = ServiceArgs.parse(args, Set.of("data", "clients", "partition", "seed", "out"));
        Dataset train = FashionMnist.train(Path.of(a.get("data", FashionMnist.DEFAULT_DIR.toString())));
        Path out = Path.of(a.required("out"));
        List<ClientData> parts = ClientData.partition(train, a.get("partition", "iid"), a.integer("clients", 3),
                a.integer("seed", 1));
        for (int i = 0; i < parts.size(); i++) {
            Path dir = out.resolve("client-" + i);
            parts.get(i).saveAsIdx(dir);
            System.out.printf("%s: %d samples%n", dir, parts.get(i).size());
        }
    }
}
