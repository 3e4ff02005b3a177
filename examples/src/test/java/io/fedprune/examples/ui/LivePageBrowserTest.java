package io.fedprune.examples.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fedprune.examples.cli.FedpruneCli;
import io.fedprune.examples.cli.StopSignal;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real browser on the live page of a real run ({@code fedprune run ... --ui PORT}): while the
 * run goes, the version and virtual time on the page move on; when it ends, the page says so and
 * shows the final accuracy of summary.json, with one point per evaluated version on each chart.
 * With {@code -Dfedprune.screenshots=DIR} the page mid-run is saved as DIR/live-page.png.
 */
class LivePageBrowserTest {
    static final Duration WAIT = Duration.ofSeconds(90);
    static final int VERSIONS = 150;

    @TempDir
    Path tmp;

    static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Polls (every 50 ms, up to {@link #WAIT}) until {@code value} is non-null; fails if {@code run} ended first. */
    static <T> T await(String what, CompletableFuture<?> run, boolean runMayEnd, Callable<T> value) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            boolean ended = run.isDone();
            T v = value.call();
            if (v != null) {
                return v;
            }
            assertTrue(runMayEnd || !ended, "the run ended before " + what);
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(50);
        }
    }

    static Long number(String text) {
        return text == null || !text.matches("\\d+") ? null : Long.parseLong(text);
    }

    @Test
    void theLivePageFollowsARunInABrowserAndEndsOnItsFinalAccuracy() throws Exception {
        int port = freePort();
        Path out = tmp.resolve("run");
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> FedpruneCli.execute(
                new PrintWriter(err, true), new StopSignal(), "run", "prfl-fmnist", "--quiet", "--out", out.toString(),
                "--set", "data.dataset=synthetic", "--set", "data.clients=10", "--set", "train.workers=1",
                "--set", "data.validation-samples=100", "--set", "prfl.recovery=none", "--set", "eval.every=2",
                "--set", "stop.max-virtual-time-s=0", "--set", "stop.max-rounds=" + VERSIONS, "--ui", "" + port));
        String url = "http://127.0.0.1:" + port + "/";
        HttpClient http = HttpClient.newHttpClient();
        await("the live page to answer", run, false, () -> {
            try {
                return http.send(HttpRequest.newBuilder(URI.create(url + "api/state")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200 ? true : null;
            } catch (java.io.IOException e) {
                return null;
            }
        });
        try (HeadlessChromium browser = new HeadlessChromium(1280, 1500)) {
            browser.open(url);
            // version and virtual time read in one go: the page may render between two reads
            String figures = "document.getElementById('version').textContent + ' ' "
                    + "+ document.getElementById('virtual-time').textContent";
            String[] first = await("a first version on the page", run, false, () -> {
                String[] f = browser.eval(figures).split(" ");
                return number(f[0]) == null ? null : f;
            });
            String[] later = await("a later version and virtual time on the page", run, false, () -> {
                String[] f = browser.eval(figures).split(" ");
                return number(f[0]) != null && number(f[0]) > number(first[0]) && !f[1].equals(first[1]) ? f : null;
            });
            assertTrue(Double.parseDouble(later[1]) > Double.parseDouble(first[1]), "virtual time moved on");
            assertEquals("running", browser.text("status"));
            assertEquals("10", browser.eval("String(document.querySelectorAll('#clients tr').length)"));
            String phases = browser.text("phases");
            assertTrue(phases.matches("training \\d+ · uploading \\d+ · idle \\d+ · dropped 0"), phases);
            assertEquals(10, java.util.Arrays.stream(phases.split("\\D+")).filter(x -> !x.isEmpty())
                    .mapToInt(Integer::parseInt).sum(), "every client in one phase: " + phases);
            String shots = System.getProperty("fedprune.screenshots");
            if (shots != null) {
                await("a third of the versions", run, false, () -> {
                    Long v = number(browser.text("version"));
                    return v != null && v >= VERSIONS / 3 ? v : null;
                });
                browser.screenshot(Path.of(shots).resolve("live-page.png"));
            }

            assertEquals(0, run.get(WAIT.toSeconds(), TimeUnit.SECONDS), err.toString());
            String status = await("the final state on the page", run, true, () -> {
                String s = browser.text("status");
                return s.startsWith("finished") ? s : null;
            });
            JsonNode summary = new ObjectMapper().readTree(out.resolve("summary.json").toFile());
            assertEquals("finished (" + summary.get("stop_reason").asText() + ")", status);
            assertEquals(String.format(Locale.ROOT, "%.4f", summary.get("final_accuracy").asDouble()),
                    browser.text("accuracy"));
            assertEquals(String.format(Locale.ROOT, "%.2f", summary.get("bytes_up").asLong() / 1e6),
                    browser.text("bytes-up"));
            long rows = Files.readAllLines(out.resolve("rounds.csv")).size() - 1;
            assertEquals(String.valueOf(rows), browser.eval("String(Chart.getChart('by-time').data.datasets[0].data.length)"),
                    "one point per evaluated version, each sent once");
            assertEquals(String.valueOf(rows), browser.eval("String(Chart.getChart('by-bytes').data.datasets[0].data.length)"));
            for (String kind : new String[] {"client_update", "mask", "residual_increment"}) {
                assertTrue(browser.text("kinds").contains(kind), browser.text("kinds"));
            }
            assertTrue(browser.eval("[...document.querySelectorAll('#clients tr td:nth-child(4)')]"
                    + ".some(td => parseFloat(td.textContent) < 1)").equals("true"), "PR-FL sub-models have density < 1");
            assertTrue(browser.text("config").contains("max-rounds=" + VERSIONS)
                    || browser.text("config").contains("max-rounds = " + VERSIONS), "the configuration is shown");
        }
    }
}
