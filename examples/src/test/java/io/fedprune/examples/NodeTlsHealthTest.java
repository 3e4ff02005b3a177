package io.fedprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two `fedprune node`s in one JVM over mutual TLS (--tls, certificates from
 * scripts/make-certs.sh) with Pekko Management on (--management-port): both nodes answer /alive
 * and, once they are cluster members, /ready with 200 while the run goes on, and the run ends
 * cleanly on both. A node folder without its stores is a usage error before the node joins.
 */
class NodeTlsHealthTest {
    @TempDir
    static Path certs;

    @Test
    void aRunOverMutualTlsWithHealthEndpoints() throws Exception {
        Process p = new ProcessBuilder("bash", Path.of("../scripts/make-certs.sh").toAbsolutePath().toString(),
                certs.toString(), "aggregator", "client-0").redirectErrorStream(true).start();
        String made = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(180, TimeUnit.SECONDS) && p.exitValue() == 0, made);

        int clusterPort = NodeLivePageTest.freePort();
        int aggHealth = NodeLivePageTest.freePort();
        int clientHealth = NodeLivePageTest.freePort();
        CompletableFuture<CliTest.Result> aggregator = CompletableFuture.supplyAsync(() -> CliTest.cli(args("node",
                "embedded-fedavg", "--role", "aggregator", "--port", "" + clusterPort,
                "--tls", certs.resolve("aggregator").toString(), "--management-port", "" + aggHealth)));
        CompletableFuture<CliTest.Result> client = CompletableFuture.supplyAsync(() -> CliTest.cli(args("node",
                "embedded-fedavg", "--role", "client", "--id", "0", "--seed-nodes", "127.0.0.1:" + clusterPort,
                "--tls", certs.resolve("client-0").toString(), "--management-port", "" + clientHealth)));

        HttpClient http = HttpClient.newHttpClient();
        List<String> ok = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        List<String> wanted = List.of(aggHealth + "/alive", aggHealth + "/ready", clientHealth + "/alive",
                clientHealth + "/ready");
        while (ok.size() < wanted.size() && System.nanoTime() < deadline && !aggregator.isDone()) {
            for (String w : wanted) {
                if (!ok.contains(w) && status(http, "http://127.0.0.1:" + w) == 200) {
                    ok.add(w);
                }
            }
            Thread.sleep(200);
        }
        assertEquals(wanted.size(), ok.size(), "endpoints that answered 200 during the run: " + ok);
        CliTest.Result a = aggregator.get(180, TimeUnit.SECONDS);
        assertEquals(0, a.code(), a.err());
        CliTest.Result c = client.get(60, TimeUnit.SECONDS);
        assertEquals(0, c.code(), c.err());
    }

    @Test
    void aTlsFolderWithoutItsStoresIsAUsageError() {
        CliTest.Result r = CliTest.cli(args("node", "embedded-fedavg", "--role", "aggregator", "--port", "0",
                "--tls", certs.resolve("nothing-here").toString()));
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--tls") && r.err().contains("keystore.p12"), r.err());
    }

    private static int status(HttpClient http, String url) throws InterruptedException {
        try {
            return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1; // not listening yet
        }
    }

    private static String[] args(String... first) {
        List<String> all = new ArrayList<>(List.of(first));
        all.addAll(List.of("--set", "data.dataset=synthetic", "--set", "data.clients=1", "--set", "stop.max-rounds=25",
                "--set", "train.max-steps=5", "--set", "train.batch-size=20"));
        return all.toArray(String[]::new);
    }
}
