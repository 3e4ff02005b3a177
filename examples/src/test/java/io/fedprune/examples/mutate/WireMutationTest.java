package io.fedprune.examples.mutate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.client.Client;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.examples.cli.FedpruneCli;
import io.fedprune.serialization.FedpruneConfig;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The seeded mutation test of the wire at suite size: every codec and chain, and every registered
 * Kryo message type, must reject every damaged payload with its documented exception and never
 * decode one. The full count (100 000 per target) runs as {@code ./fedprune mutate}; its figures
 * are in docs/BENCHMARKS.md.
 */
class WireMutationTest {
    private static final long PER_CODEC = 3_000;
    private static final long PER_TYPE = 1_500;
    private static ActorSystem<Void> system;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "WireMutationTest", FedpruneConfig.local());
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    private static void assertClean(MutationTally t, long expected) {
        assertEquals(expected, t.mutations(), t.target());
        assertEquals(0, t.acceptedCorruptions(), () -> t.target() + ": " + t.problems());
        assertEquals(0, t.otherExceptions(), () -> t.target() + ": " + t.problems());
        assertEquals(t.mutations(), t.rejected(), t.target());
    }

    @Test
    void everyCodecRejectsEveryDamagedPayload() {
        Map<String, Supplier<WireCodec>> codecs = CodecMutations.codecs();
        assertTrue(codecs.size() >= 60, "codecs and chains under test: " + codecs.size());
        long resealedAccepted = 0;
        for (Map.Entry<String, Supplier<WireCodec>> e : codecs.entrySet()) {
            MutationTally t = CodecMutations.run(e.getKey(), e.getValue().get(), PER_CODEC, 42);
            assertClean(t, PER_CODEC);
            resealedAccepted += t.resealedAccepted();
        }
        // Behind the checksum, a re-sealed change of a value is a valid payload: without the
        // checksum such damage would have been accepted, which is why it is there.
        assertTrue(resealedAccepted > 0, "re-sealed value changes decode");
    }

    @Test
    void everyRegisteredKryoTypeRejectsEveryDamagedMessage() {
        List<Class<?>> types = KryoMutations.registeredClasses();
        assertTrue(types.containsAll(List.of(byte[].class, Client.TrainRequest.class, Client.Trained.class,
                Aggregator.ModelSnapshot.class, MutationProbe.class)), types.toString());
        KryoMutations kryo = new KryoMutations(system);
        SplittableRandom rng = new SplittableRandom(42);
        for (Class<?> type : types) {
            MutationTally t = kryo.run("kryo:" + type.getName(), kryo.sample(type, rng), PER_TYPE, 42);
            assertClean(t, PER_TYPE);
        }
    }

    @Test
    void theMutateCommandRunsEveryTargetAndExitsZero() {
        assertEquals(0, FedpruneCli.execute("mutate", "--per-codec", "20", "--per-type", "20", "--seed", "7"));
    }

    @Test
    void everyMutationChangesThePayloadOrItsLengthAlmostAlways() {
        SplittableRandom rng = new SplittableRandom(3);
        byte[] p = new byte[200];
        rng.nextBytes(p);
        for (Mutation kind : Mutation.values()) {
            int same = 0;
            for (int i = 0; i < 1000; i++) {
                byte[] m = kind.apply(p, rng);
                if (Arrays.equals(m, p)) {
                    same++;
                }
            }
            assertTrue(same < 10, kind + " left the payload unchanged " + same + " times in 1000");
            assertFalse(Arrays.equals(kind.apply(new byte[0], rng), new byte[0]), kind + " on an empty payload");
            assertFalse(Arrays.equals(kind.apply(new byte[] {5}, rng), new byte[] {5}), kind + " on one byte");
        }
    }
}
