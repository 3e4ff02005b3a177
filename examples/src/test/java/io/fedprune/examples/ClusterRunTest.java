package io.fedprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fedprune.examples.cli.FedpruneCli;
import io.fedprune.examples.cli.StopSignal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * `fedprune run PRESET --cluster`: a client node that serves (`node --role client --serve`) forms a
 * cluster over loopback; two runs, one after the other, join it as its aggregator node, train its
 * clients and write the output folder a run writes; the client node stays between them and stops
 * cleanly on a stop request (Ctrl-C).
 */
class ClusterRunTest {
    static final String[] SMALL = {"--set", "data.dataset=synthetic", "--set", "data.clients=2", "--set",
        "train.max-steps=5", "--set", "train.batch-size=20"};

    static String[] with(String... first) {
        String[] all = new String[first.length + SMALL.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(SMALL, 0, all, first.length, SMALL.length);
        return all;
    }

    static CliTest.Result run(StopSignal stop, String... args) {
        StringWriter err = new StringWriter();
        int code = FedpruneCli.execute(new PrintWriter(err, true), stop, args);
        return new CliTest.Result(code, err.toString());
    }

    @Test
    void runsOneAfterAnotherAcrossAClusterThatStays(@TempDir Path tmp) throws Exception {
        int port = NodeLivePageTest.freePort();
        StopSignal clientStop = new StopSignal();
        CompletableFuture<CliTest.Result> clients = CompletableFuture.supplyAsync(() -> run(clientStop, with("node",
                "embedded-fedavg", "--role", "client", "--id", "0,1", "--serve", "--port", "" + port, "--seed-nodes",
                "127.0.0.1:" + port)));
        try {
            for (int i = 1; i <= 2; i++) {
                Path out = tmp.resolve("run-" + i);
                CliTest.Result r = run(new StopSignal(), with("run", "embedded-fedavg", "--cluster", "--seed-nodes",
                        "127.0.0.1:" + port, "--out", out.toString(), "--set", "stop.max-rounds=" + (i + 1),
                        "--timeout-s", "240"));
                assertEquals(0, r.code(), "run " + i + ": " + r.err());
                List<String> rows = Files.readAllLines(out.resolve("rounds.csv"));
                assertEquals(i + 3, rows.size(), "header + versions 0.." + (i + 1) + ": " + rows);
                assertTrue(rows.get(0).endsWith(",participants"), rows.get(0));
                assertTrue(rows.get(rows.size() - 1).startsWith((i + 1) + ","), rows.toString());
                String summary = Files.readString(out.resolve("summary.json"));
                assertTrue(summary.contains("\"stop_reason\" : \"max-rounds\""), summary);
                assertTrue(summary.contains("\"updates_accepted\" : " + 2 * (i + 1)), "both clients every round: "
                        + summary);
                assertTrue(Files.size(out.resolve("final-model.bin")) > 0);
                assertTrue(Files.exists(out.resolve("config.conf")));
                assertTrue(!clients.isDone(), "the client node serves the next run: " + (clients.isDone()
                        ? clients.get().err() : ""));
            }
        } finally {
            clientStop.request();
        }
        CliTest.Result c = clients.get(60, TimeUnit.SECONDS);
        assertEquals(0, c.code(), c.err());
    }

    @Test
    void aClusterRunNeedsSeedNodesAndNoJournal() {
        CliTest.Result noSeeds = CliTest.cli(with("run", "embedded-fedavg", "--cluster"));
        assertEquals(2, noSeeds.code());
        assertTrue(noSeeds.err().contains("--cluster needs --seed-nodes"), noSeeds.err());
        CliTest.Result journal = CliTest.cli(with("run", "embedded-fedavg", "--cluster", "--seed-nodes", "127.0.0.1:1",
                "--journal"));
        assertEquals(2, journal.code());
        assertTrue(journal.err().contains("--role aggregator --journal DIR"), journal.err());
        CliTest.Result seedsAlone = CliTest.cli(with("run", "embedded-fedavg", "--seed-nodes", "127.0.0.1:1"));
        assertEquals(2, seedsAlone.code());
        assertTrue(seedsAlone.err().contains("(--cluster)"), seedsAlone.err());
    }
}
