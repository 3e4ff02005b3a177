package io.fedprune.examples.fuzz;

import io.fedprune.examples.mutate.KryoMutations;
import io.fedprune.serialization.ChecksumFrame;
import io.fedprune.serialization.FedpruneConfig;
import io.fedprune.serialization.WireMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes {@link KryoFuzzTest}'s seed corpus: one serialized sample of every registered class
 * (KryoMutations builds them from the protocols' record components), as the Kryo stream behind
 * input byte 1. Does nothing unless {@code -Dfedprune.fuzz.write-seeds=true}
 * ({@code scripts/fuzz.sh seeds}); the files are committed.
 */
class KryoFuzzSeeds {
    private static final Path DIR = Path.of("src/test/resources/io/fedprune/examples/fuzz/KryoFuzzTestInputs/fromBinary");

    @Test
    @EnabledIfSystemProperty(named = "fedprune.fuzz.write-seeds", matches = "true")
    void write() throws IOException {
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "kryo-seeds", FedpruneConfig.local());
        try {
            KryoMutations kryo = new KryoMutations(system);
            Files.createDirectories(DIR);
            List<Class<?>> classes = KryoMutations.registeredClasses();
            SplittableRandom rng = new SplittableRandom(11);
            for (Class<?> type : classes) {
                WireMessage sample = kryo.sample(type, rng);
                byte[] frame = kryo.toBinary(sample);
                byte[] input = new byte[1 + frame.length - ChecksumFrame.FRAME_BYTES];
                input[0] = 1;
                System.arraycopy(frame, ChecksumFrame.FRAME_BYTES, input, 1, frame.length - ChecksumFrame.FRAME_BYTES);
                String name = "seed-" + type.getName().replaceAll("[^A-Za-z0-9_.]", "_").replace("$", "_");
                Files.write(DIR.resolve(name), input);
            }
            byte[] framed = kryo.toBinary(kryo.sample(classes.get(classes.size() - 1), rng));
            byte[] raw = new byte[framed.length + 1];
            System.arraycopy(framed, 0, raw, 1, framed.length);
            Files.write(DIR.resolve("seed-whole-frame"), Arrays.copyOf(raw, raw.length));
        } finally {
            system.terminate();
        }
    }
}
