package io.fedprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Two `fedprune node`s in one JVM, a real cluster over loopback: the aggregator node's live page
 * shows the versions coming in while the client node trains, and both nodes end cleanly.
 */
class NodeLivePageTest {
    static final String[] SMALL = {"--set", "data.dataset=synthetic", "--set", "data.clients=1", "--set",
        "stop.max-rounds=6", "--set", "train.max-steps=5", "--set", "train.batch-size=20"};

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String[] args(String... first) {
        String[] all = new String[first.length + SMALL.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(SMALL, 0, all, first.length, SMALL.length);
        return all;
    }

    @Test
    void theAggregatorNodesPageFollowsTheClusterRun() throws Exception {
        int clusterPort = freePort();
        int uiPort = freePort();
        CompletableFuture<CliTest.Result> aggregator = CompletableFuture.supplyAsync(() -> CliTest.cli(args("node",
                "embedded-fedavg", "--role", "aggregator", "--port", "" + clusterPort, "--ui", "" + uiPort)));
        HttpClient http = HttpClient.newHttpClient();
        URI state = URI.create("http://127.0.0.1:" + uiPort + "/api/state");
        CompletableFuture<CliTest.Result> client = CompletableFuture.supplyAsync(() -> CliTest.cli(args("node",
                "embedded-fedavg", "--role", "client", "--id", "0", "--seed-nodes", "127.0.0.1:" + clusterPort)));
        Pattern rounds = Pattern.compile("\\\"rounds\\\"\\s*:\\s*\\[(.*?)\\]", Pattern.DOTALL);
        int seen = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (seen < 2 && System.nanoTime() < deadline && !aggregator.isDone()) {
            try {
                String body = http.send(HttpRequest.newBuilder(state).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Matcher m = rounds.matcher(body);
                seen = m.find() ? (int) Pattern.compile("\\\"version\\\"").matcher(m.group(1)).results().count() : 0;
            } catch (IOException e) {
                // the page is not up yet
            }
            Thread.sleep(200);
        }
        assertTrue(seen >= 2, "the page showed versions while the run went on (saw " + seen + ")");
        CliTest.Result a = aggregator.get(120, TimeUnit.SECONDS);
        assertEquals(0, a.code(), a.err());
        CliTest.Result c = client.get(60, TimeUnit.SECONDS);
        assertEquals(0, c.code(), c.err());
    }
}
