package io.fedprune.examples.transfer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.actors.client.Client;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.examples.cli.ConfigLoader;
import io.fedprune.examples.cli.FedpruneCli;
import io.fedprune.examples.transfer.TransferSender.TrialResult;
import io.fedprune.serialization.FedpruneConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.junit.jupiter.api.Test;

/**
 * The plumbing of {@code fedprune bench-transfer} at small sizes (no timing is asserted): every
 * kind of message arrives complete and intact on the other node, the baselines have the model
 * message's serialized size, and the report is complete. The sink and the sender's checks are
 * tested on their own with {@code serialize-messages = on}, including that damage is counted.
 */
class TransferBenchTest {
    private static final TransferBench.Options SMALL =
            new TransferBench.Options(2, 1, 1, 2, false, Duration.ofSeconds(90));

    private static List<TransferCase> mlpCases(ActorRef<Client.Response> replyTo) {
        ExperimentSettings s = ExperimentSettings.fromConfig(ConfigLoader.load("fedavg-fmnist",
                List.of("codec.uplink=\"magnitude(0.5) > quantize(8) > sparse\"", "codec.uplink-payload=update")));
        return TransferCase.of(s, List.of(ModelArchitecture.MLP), replyTo);
    }

    @Test
    void everyKindCrossesToAChildJvmIntactAndTheReportIsComplete() throws Exception {
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        TransferBench.Report report = new TransferBench(SMALL, new PrintStream(printed, true, StandardCharsets.UTF_8))
                .run(TransferBenchTest::mlpCases);
        String out = printed.toString(StandardCharsets.UTF_8);

        assertEquals("child JVM", report.receiver());
        assertEquals(2, report.cases().size(), out);
        TransferBench.CaseResult request = report.cases().get(0);
        TransferBench.CaseResult update = report.cases().get(1);
        assertTrue(request.name().startsWith("mlp train request (dense)"), request.name());
        assertTrue(update.name().startsWith("mlp update (magnitude(0.5) > quantize(8, per-tensor, deterministic) > sparse)"), update.name());
        // dense MLP 784-200-10: 159 010 float32 values plus the codec header
        assertTrue(request.payloadBytes() > 159_010 * 4 && request.payloadBytes() < 159_010 * 4 + 200, "" + request.payloadBytes());
        assertTrue(update.payloadBytes() < request.payloadBytes() / 2, "a pruned 8-bit update is far smaller");
        for (TransferBench.CaseResult c : report.cases()) {
            assertTrue(c.serializedBytes() > c.payloadBytes() && c.serializedBytes() < c.payloadBytes() + 200, c.name());
            // the Kryo baseline's array is the message minus its small envelope, so the frames match
            assertTrue(c.rawArrayBytes() < c.serializedBytes() && c.rawArrayBytes() > c.serializedBytes() - 32, c.name());
            assertEquals(Math.max(4, (int) Math.ceil(1e6 / c.serializedBytes())), c.messages(), "1 MB, at least 2 windows of 2");
            assertEquals(2, c.rounds().size(), "warm-up rounds are not reported");
            for (TransferBench.Round r : c.rounds()) {
                for (TransferBench.Trial t : List.of(r.model(), r.kryoBytes(), r.plainBytes())) {
                    assertEquals(new TrialResult(c.messages(), c.messages(), 0, t.result().nanos()), t.result(), c.name() + " " + t.kind());
                    assertTrue(t.mbPerSecond() > 0 && Double.isFinite(t.mbPerSecond()));
                }
            }
            assertTrue(c.intact());
            assertTrue(Double.isFinite(c.medianModelToKryo()) && c.medianModelToKryo() > 0);
            assertTrue(Double.isFinite(c.medianModelToPlain()) && c.medianModelToPlain() > 0);
            assertTrue(c.costs().model().sendMicros() > 0 && c.costs().model().receiveBytes() > c.payloadBytes(),
                    "receiving allocates at least the payload");
            assertTrue(out.contains(c.name() + ": median model/Kryo byte[] "), out);
        }
        assertTrue(report.intact());
        assertEquals(2 * 2, out.lines().filter(l -> l.startsWith("  round ")).count(), out);
        assertEquals(2, out.lines().filter(l -> l.startsWith("  warm-up ")).count(), out);
    }

    @Test
    void theCommandRunsWithTheReceiverInThisJvmAndPrintsTheSummary() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        int code;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            code = FedpruneCli.execute(new PrintWriter(err, true), "bench-transfer", "--models", "mlp", "--pairs", "1",
                    "--warmup", "0", "--trial-mb", "1", "--window", "2", "--in-jvm");
        } finally {
            System.setOut(stdout);
        }
        String out = captured.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, err + out);
        assertTrue(out.contains("receiver in a same JVM"), out);
        List<String> rows = out.lines().filter(l -> l.startsWith("| mlp ")).toList();
        assertEquals(2, rows.size(), out);
        for (String row : rows) {
            assertTrue(row.endsWith("| yes |"), row);
        }
        assertEquals(2, FedpruneCli.execute(new PrintWriter(new StringWriter(), true), "bench-transfer", "--models", "resnet"));
    }

    @Test
    void theSenderCountsMessagesWhoseAcknowledgementDoesNotMatch() {
        ActorTestKit kit = ActorTestKit.create("TransferSenderTest", FedpruneConfig.testing());
        try {
            ActorRef<Object> sink = kit.spawn(TransferSink.sink(), "client-0");
            ActorRef<TransferSender.Command> sender = kit.spawn(TransferSender.create(), "sender");
            TestProbe<Boolean> bound = kit.createTestProbe();
            sender.tell(new TransferSender.BindSink(sink, bound.getRef()));
            bound.expectMessage(true);

            byte[] payload = {1, 2, 3, 4, 5};
            int crc = TransferSink.crc(payload);
            TestProbe<TrialResult> results = kit.createTestProbe();
            sender.tell(new TransferSender.Trial(sink, seq -> new TransferMessages.RawBytes(seq, payload), 10, 3, crc,
                    payload.length, true, results.getRef()));
            TrialResult ok = results.expectMessageClass(TrialResult.class);
            assertEquals(new TrialResult(10, 10, 0, ok.nanos()), ok);

            // the sink reports a different checksum: every message is counted as damaged
            sender.tell(new TransferSender.Trial(sink, seq -> new TransferMessages.RawBytes(seq, payload), 5, 2, crc + 1,
                    payload.length, true, results.getRef()));
            TrialResult wrongCrc = results.expectMessageClass(TrialResult.class);
            assertEquals(new TrialResult(5, 5, 5, wrongCrc.nanos()), wrongCrc);

            // sequence numbers outside the trial (or repeated) are damage too
            sender.tell(new TransferSender.Trial(sink, seq -> new TransferMessages.RawBytes(seq % 2, payload), 4, 4, crc,
                    payload.length, true, results.getRef()));
            TrialResult repeated = results.expectMessageClass(TrialResult.class);
            assertEquals(new TrialResult(4, 4, 2, repeated.nanos()), repeated);

            // a model message: the train request's model is what the sink checks
            ActorRef<Client.Response> ignore = kit.spawn(Behaviors.ignore(), "replies");
            sender.tell(new TransferSender.Trial(sink, seq -> new Client.TrainRequest(seq, 1, payload, ignore), 3, 1, crc,
                    payload.length, true, results.getRef()));
            TrialResult model = results.expectMessageClass(TrialResult.class);
            assertEquals(new TrialResult(3, 3, 0, model.nanos()), model);
        } finally {
            kit.shutdownTestKit();
        }
    }
}
