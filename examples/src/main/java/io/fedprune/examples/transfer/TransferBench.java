package io.fedprune.examples.transfer;

import io.fedprune.actors.client.Client;
import io.fedprune.examples.transfer.TransferMessages.RawBytes;
import io.fedprune.examples.transfer.TransferSender.TrialResult;
import io.fedprune.serialization.ActorPaths;
import io.fedprune.serialization.FedpruneConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Props;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.cluster.MemberStatus;
import org.apache.pekko.cluster.typed.Cluster;
import org.apache.pekko.cluster.typed.Join;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;

/**
 * {@code fedprune bench-transfer}: model transfer between two cluster nodes over Artery TCP on
 * loopback, as a ratio to byte arrays of the same serialized size measured in the same run.
 *
 * <p>Per case ({@link TransferCase}) and per round, three trials, each {@code messages} messages
 * under a window of outstanding ones ({@link TransferSender}): the real model message, a byte
 * array of the same serialized size in the smallest registered Kryo message ({@link RawBytes},
 * same serializer), and a plain {@code byte[]} of that size (Pekko's own
 * {@code ByteArraySerializer}, which writes straight into Artery's buffer: raw Artery). The order
 * alternates round by round (model first, then baselines first) so drift in machine load hits all
 * kinds alike. Warm-up rounds are run and discarded.
 */
public final class TransferBench {

    /** The kinds of message compared in every round. */
    public enum Kind {
        MODEL("model message"),
        KRYO_BYTES("byte[] in a Kryo message"),
        PLAIN_BYTES("plain byte[]");

        public final String label;

        Kind(String label) {
            this.label = label;
        }
    }

    /**
     * @param pairs    measured rounds (each one trial of every kind)
     * @param warmup   rounds run first and discarded
     * @param trialMb  megabytes (10^6) per trial; at least 2 windows of messages
     * @param window   messages sent but not yet acknowledged, at most
     * @param inJvm    receiver in this JVM instead of a child JVM
     * @param timeout  deadline for the receiver to start and for each trial
     */
    public record Options(int pairs, int warmup, double trialMb, int window, boolean inJvm, Duration timeout) {
        public Options {
            if (pairs < 1 || warmup < 0 || !(trialMb > 0) || window < 1 || timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("bench-transfer needs pairs >= 1, warmup >= 0, trial-mb > 0, window >= 1"
                        + " and a positive timeout");
            }
        }
    }

    /** One trial: {@code messages} of {@code serializedBytes} each in {@code nanos}. */
    public record Trial(Kind kind, int messages, int serializedBytes, TrialResult result) {
        /** Serialized megabytes (10^6 bytes) per second, first send to last acknowledgement. */
        public double mbPerSecond() {
            return (double) messages * serializedBytes / 1e6 / (result.nanos() / 1e9);
        }

        public boolean intact() {
            return result.acked() == messages && result.corrupt() == 0;
        }
    }

    /** One round: a trial of each kind. */
    public record Round(Trial model, Trial kryoBytes, Trial plainBytes) {
        public double modelToKryo() {
            return model.mbPerSecond() / kryoBytes.mbPerSecond();
        }

        public double modelToPlain() {
            return model.mbPerSecond() / plainBytes.mbPerSecond();
        }
    }

    /**
     * A case's figures.
     *
     * @param payloadBytes    the encoded model or update inside the message
     * @param serializedBytes the model message as the serializer writes it (what every kind sends per message)
     * @param rawArrayBytes   the array inside the {@link RawBytes} baseline that gives the same serialized size
     * @param costs           what serializing and deserializing one message of each kind costs the node
     */
    public record CaseResult(String name, int payloadBytes, int serializedBytes, int rawArrayBytes, int messages,
                             List<Round> rounds, Costs costs) {
        public double medianModelToKryo() {
            return median(rounds.stream().mapToDouble(Round::modelToKryo).toArray());
        }

        public double medianModelToPlain() {
            return median(rounds.stream().mapToDouble(Round::modelToPlain).toArray());
        }

        public double medianMbPerSecond(Kind kind) {
            return median(rounds.stream().mapToDouble(r -> switch (kind) {
                case MODEL -> r.model().mbPerSecond();
                case KRYO_BYTES -> r.kryoBytes().mbPerSecond();
                case PLAIN_BYTES -> r.plainBytes().mbPerSecond();
            }).toArray());
        }

        public boolean intact() {
            return rounds.stream().allMatch(r -> r.model().intact() && r.kryoBytes().intact() && r.plainBytes().intact());
        }
    }

    /** {@link SerializerCost} of one message of each kind. */
    public record Costs(SerializerCost.Cost model, SerializerCost.Cost kryoBytes, SerializerCost.Cost plainBytes) {
    }

    /** @param receiver where the receiving node ran ("child JVM" or "same JVM") */
    public record Report(String receiver, List<CaseResult> cases) {
        public boolean intact() {
            return cases.stream().allMatch(CaseResult::intact);
        }
    }

    private final Options options;
    private final PrintStream out;

    public TransferBench(Options options, PrintStream out) {
        this.options = options;
        this.out = out;
    }

    /**
     * Starts this node (role {@code aggregator}, seed of the cluster) and the receiving node, waits
     * until both are Up, builds the cases with a reply-to ref of this node, and runs them.
     */
    public Report run(Function<ActorRef<Client.Response>, List<TransferCase>> cases) throws IOException {
        ActorSystem<TransferSender.Command> system = ActorSystem.create(TransferSender.create(), "fedprune",
                FedpruneConfig.cluster("127.0.0.1", 0, List.of(), List.of("aggregator")));
        try {
            Cluster cluster = Cluster.get(system);
            cluster.manager().tell(Join.create(cluster.selfMember().address()));
            String seed = "127.0.0.1:" + cluster.selfMember().address().getPort().get();
            ActorRef<Client.Response> replies = system.systemActorOf(Behaviors.<Client.Response>ignore(), "replies",
                    Props.empty());
            List<TransferCase> built = cases.apply(replies);
            try (ReceiverNode node = options.inJvm() ? ReceiverNode.inThisJvm(seed)
                    : ReceiverNode.spawnProcess(seed, options.timeout())) {
                awaitMembersUp(cluster, 2);
                String receiver = options.inJvm() ? "same JVM" : "child JVM";
                out.printf("bench-transfer: two cluster nodes over Artery TCP on loopback, receiver in a %s (%s); "
                        + "window %d, %.0f MB per trial, %d warm-up + %d measured rounds%n", receiver, node.address(),
                        options.window(), options.trialMb(), options.warmup(), options.pairs());
                List<CaseResult> results = new ArrayList<>();
                for (TransferCase c : built) {
                    results.add(runCase(system, node, c));
                }
                return new Report(receiver, results);
            }
        } finally {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().orTimeout(30, TimeUnit.SECONDS).join();
        }
    }

    private CaseResult runCase(ActorSystem<TransferSender.Command> system, ReceiverNode node, TransferCase c) {
        ActorRef<Object> sink = ActorRefResolver.get(system).resolveActorRef(
                node.address() + "/user/" + ActorPaths.ROOT + "/" + c.sink());
        this.<Boolean>ask(system, reply -> new TransferSender.BindSink(sink, reply));

        Serialization serialization = SerializationExtension.get(Adapter.toClassic(system));
        int size = serializedSize(serialization, c.message().apply(0));
        byte[] plain = new byte[size];
        new SplittableRandom(size).nextBytes(plain);
        byte[] raw = rawArrayFor(serialization, size);
        int messages = (int) Math.max(2L * options.window(), (long) Math.ceil(options.trialMb() * 1e6 / size));

        out.printf("%n%s: payload %d bytes, message %d bytes serialized (Kryo byte[] baseline: %d-byte array), "
                + "%d messages per trial%n", c.name(), c.payload().length, size, raw.length, messages);
        List<Round> rounds = new ArrayList<>();
        for (int r = 0; r < options.warmup() + options.pairs(); r++) {
            boolean modelFirst = r % 2 == 0;
            Trial model = null;
            Trial kryo = null;
            Trial plainTrial = null;
            for (Kind kind : modelFirst ? List.of(Kind.MODEL, Kind.KRYO_BYTES, Kind.PLAIN_BYTES)
                    : List.of(Kind.PLAIN_BYTES, Kind.KRYO_BYTES, Kind.MODEL)) {
                Trial t = switch (kind) {
                    case MODEL -> trial(system, sink, kind, c.message(), c.payload(), messages, size, true);
                    case KRYO_BYTES -> trial(system, sink, kind, seq -> new RawBytes(seq, raw), raw, messages, size, true);
                    case PLAIN_BYTES -> trial(system, sink, kind, seq -> plain, plain, messages, size, false);
                };
                switch (kind) {
                    case MODEL -> model = t;
                    case KRYO_BYTES -> kryo = t;
                    case PLAIN_BYTES -> plainTrial = t;
                }
            }
            Round round = new Round(model, kryo, plainTrial);
            boolean warm = r < options.warmup();
            out.printf("  %s %d: model %.1f MB/s, Kryo byte[] %.1f MB/s, plain byte[] %.1f MB/s; "
                            + "model/Kryo byte[] %.3f, model/plain byte[] %.3f%s%n",
                    warm ? "warm-up" : "round", warm ? r + 1 : r - options.warmup() + 1, model.mbPerSecond(),
                    kryo.mbPerSecond(), plainTrial.mbPerSecond(), round.modelToKryo(), round.modelToPlain(),
                    modelFirst ? "" : " (baselines first)");
            for (Trial t : List.of(model, kryo, plainTrial)) {
                if (!t.intact()) {
                    out.printf("  ! %s: %d of %d acknowledged, %d with a wrong checksum, size or sequence number%n",
                            t.kind().label, t.result().acked(), t.messages(), t.result().corrupt());
                }
            }
            if (!warm) {
                rounds.add(round);
            }
        }
        // after the rounds, so the JIT has compiled every path being timed
        int costRuns = Math.max(20, Math.min(200, messages));
        Costs costs = new Costs(SerializerCost.of(serialization, c.message().apply(1), costRuns),
                SerializerCost.of(serialization, new RawBytes(1, raw), costRuns),
                SerializerCost.of(serialization, plain, costRuns));
        out.printf("  serializer per message on this node (CPU us, heap bytes allocated), Artery's buffer path: "
                        + "model send %s, receive %s; Kryo byte[] send %s, receive %s; plain byte[] send %s, receive %s; "
                        + "model through the byte-array path (toBinary + copy) %s%n",
                cost(costs.model().sendMicros(), costs.model().sendBytes()),
                cost(costs.model().receiveMicros(), costs.model().receiveBytes()),
                cost(costs.kryoBytes().sendMicros(), costs.kryoBytes().sendBytes()),
                cost(costs.kryoBytes().receiveMicros(), costs.kryoBytes().receiveBytes()),
                cost(costs.plainBytes().sendMicros(), costs.plainBytes().sendBytes()),
                cost(costs.plainBytes().receiveMicros(), costs.plainBytes().receiveBytes()),
                cost(costs.model().arraySendMicros(), costs.model().arraySendBytes()));
        CaseResult result = new CaseResult(c.name(), c.payload().length, size, raw.length, messages, rounds, costs);
        out.printf("%s: median model/Kryo byte[] %.3f, model/plain byte[] %.3f over %d rounds; medians %.1f / %.1f / "
                        + "%.1f MB/s (model / Kryo byte[] / plain byte[]); %s%n", c.name(), result.medianModelToKryo(),
                result.medianModelToPlain(), rounds.size(), result.medianMbPerSecond(Kind.MODEL),
                result.medianMbPerSecond(Kind.KRYO_BYTES), result.medianMbPerSecond(Kind.PLAIN_BYTES),
                result.intact() ? "every message acknowledged intact" : "SOME MESSAGES LOST OR DAMAGED");
        return result;
    }

    private Trial trial(ActorSystem<TransferSender.Command> system, ActorRef<Object> sink, Kind kind,
                        LongFunction<Object> message, byte[] payload, int messages, int size, boolean sequenced) {
        TrialResult r = ask(system, reply -> new TransferSender.Trial(sink, message, messages, options.window(),
                TransferSink.crc(payload), payload.length, sequenced, reply));
        return new Trial(kind, messages, size, r);
    }

    private <T> T ask(ActorSystem<TransferSender.Command> system,
                      org.apache.pekko.japi.function.Function<ActorRef<T>, TransferSender.Command> message) {
        try {
            return AskPattern.ask(system, message, options.timeout(), system.scheduler())
                    .toCompletableFuture().get(options.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("the receiving node did not acknowledge within "
                    + options.timeout().toSeconds() + " s: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void awaitMembersUp(Cluster cluster, int n) {
        long deadline = System.nanoTime() + options.timeout().toNanos();
        while (upMembers(cluster) < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the receiving node did not join the cluster within "
                        + options.timeout().toSeconds() + " s");
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }

    private static int upMembers(Cluster cluster) {
        int up = 0;
        for (var m : cluster.state().getMembers()) {
            if (m.status() == MemberStatus.up()) {
                up++;
            }
        }
        return up;
    }

    private static String cost(double micros, long bytes) {
        return String.format("%.1f us / %d B", micros, bytes);
    }

    static int serializedSize(Serialization serialization, Object message) {
        return serialization.serialize(message).get().length;
    }

    /** A seeded random array whose {@link RawBytes} serializes to exactly {@code size} bytes (or as near as varints allow). */
    static byte[] rawArrayFor(Serialization serialization, int size) {
        int n = size;
        for (int i = 0; i < 8; i++) {
            int got = serializedSize(serialization, new RawBytes(0, new byte[n]));
            if (got == size) {
                break;
            }
            n = Math.max(0, n + size - got);
        }
        byte[] raw = new byte[n];
        new SplittableRandom(n).nextBytes(raw);
        return raw;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int m = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[m] : (sorted[m - 1] + sorted[m]) / 2;
    }
}
