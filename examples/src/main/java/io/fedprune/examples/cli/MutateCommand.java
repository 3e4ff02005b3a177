package io.fedprune.examples.cli;

import io.fedprune.core.compress.WireCodec;
import io.fedprune.examples.mutate.CodecMutations;
import io.fedprune.examples.mutate.KryoMutations;
import io.fedprune.examples.mutate.MutationTally;
import io.fedprune.serialization.FedpruneConfig;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Corrupts wire payloads on purpose and checks that every damaged one is rejected with the
 * documented exception: {@code PayloadFormatException} for every codec and chain,
 * {@code NotSerializableException} for every registered Kryo message type. Prints one table row
 * per target and exits 1 if any corruption was accepted or any other exception escaped.
 */
@Command(name = "mutate", mixinStandardHelpOptions = true,
        description = "Mutation test of the wire: every codec and Kryo message type must reject damaged bytes.")
public final class MutateCommand implements Callable<Integer> {

    @Option(names = "--per-codec", description = "mutated payloads per codec or chain (default: ${DEFAULT-VALUE})")
    long perCodec = 100_000;

    @Option(names = "--per-type", description = "mutated messages per Kryo message type (default: ${DEFAULT-VALUE})")
    long perType = 100_000;

    @Option(names = "--seed", description = "seed of the inputs and the mutations (default: ${DEFAULT-VALUE})")
    long seed = 1;

    @Option(names = "--only", description = "codecs or kryo (default: both)")
    String only;

    @Override
    public Integer call() {
        long start = System.nanoTime();
        List<MutationTally> tallies = new ArrayList<>();
        PrintStream out = System.out;
        out.println("| target | mutations | no-ops | rejected | accepted corruptions | other exceptions "
                + "| slowest decode µs (mutation) | p99.9 decode µs | mean decode µs | re-sealed: rejected / accepted / other |");
        out.println("|---|---|---|---|---|---|---|---|---|---|");
        if (only == null || only.equals("codecs")) {
            for (Map.Entry<String, Supplier<WireCodec>> e : CodecMutations.codecs().entrySet()) {
                MutationTally t = CodecMutations.run(e.getKey(), e.getValue().get(), perCodec, seed);
                row(out, t);
                tallies.add(t);
            }
        }
        if (only == null || only.equals("kryo")) {
            ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "fedprune-mutate", FedpruneConfig.local());
            try {
                KryoMutations kryo = new KryoMutations(system);
                SplittableRandom rng = new SplittableRandom(seed);
                for (Class<?> type : KryoMutations.registeredClasses()) {
                    MutationTally t = kryo.run("kryo:" + type.getName(), kryo.sample(type, rng), perType, seed);
                    row(out, t);
                    tallies.add(t);
                }
            } finally {
                system.terminate();
            }
        }
        double wall = (System.nanoTime() - start) / 1e9;
        long mutations = tallies.stream().mapToLong(MutationTally::mutations).sum();
        long noOps = tallies.stream().mapToLong(MutationTally::noOps).sum();
        double p999 = tallies.stream().mapToLong(t -> t.decodeNanosQuantile(0.999)).max().orElse(0) / 1e3;
        long accepted = tallies.stream().mapToLong(MutationTally::acceptedCorruptions).sum();
        long other = tallies.stream().mapToLong(MutationTally::otherExceptions).sum();
        MutationTally slowest = tallies.stream().max((a, b) -> Long.compare(a.slowestDecodeNanos(),
                b.slowestDecodeNanos())).orElse(null);
        out.printf("%n%d targets, %d mutated payloads (+%d no-ops), %d accepted corruptions, %d other exceptions;"
                + " largest per-target p99.9 decode %.1f µs; slowest decode %.1f µs (%s, %s); wall time %.1f s%n",
                tallies.size(), mutations, noOps, accepted, other, p999,
                slowest == null ? 0 : slowest.slowestDecodeNanos() / 1e3, slowest == null ? "-" : slowest.target(),
                slowest == null ? "-" : slowest.slowestKind(), wall);
        for (MutationTally t : tallies) {
            for (String p : t.problems()) {
                out.println("PROBLEM " + t.target() + ": " + p);
            }
        }
        return accepted == 0 && other == 0 ? 0 : 1;
    }

    private static void row(PrintStream out, MutationTally t) {
        out.printf("| %s | %d | %d | %d | %d | %d | %.1f (%s) | %.1f | %.2f | %d / %d / %d |%n", t.target(),
                t.mutations(), t.noOps(), t.rejected(), t.acceptedCorruptions(), t.otherExceptions(),
                t.slowestDecodeNanos() / 1e3, t.slowestKind(), t.decodeNanosQuantile(0.999) / 1e3,
                t.meanDecodeNanos() / 1e3, t.resealedRejected(), t.resealedAccepted(),
                t.resealed() - t.resealedRejected() - t.resealedAccepted());
        out.flush();
    }
}
