package io.fedprune.examples.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Debian's chromium, headless, driven over the DevTools protocol (a WebSocket, JSON messages):
 * open a page, evaluate JavaScript in it, take a screenshot. Every call has a deadline; the
 * browser process and its profile folder are removed on close. Tests fail (never skip) when
 * chromium is missing: CI installs it ({@code .ci/run}).
 */
public final class HeadlessChromium implements AutoCloseable {
    static final Path BINARY = Path.of("/usr/bin/chromium");
    private static final Duration DEADLINE = Duration.ofSeconds(20);
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");

    private final Process process;
    private final Path profile;
    private final WebSocket socket;
    private final ObjectMapper json = new ObjectMapper();
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

    public HeadlessChromium(int width, int height) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install -y chromium (.ci/run does)");
        }
        profile = Files.createTempDirectory("fedprune-chromium");
        process = new ProcessBuilder(BINARY.toString(), "--headless=new", "--no-sandbox", "--disable-gpu",
                "--disable-dev-shm-usage", "--no-first-run", "--user-data-dir=" + profile,
                "--remote-debugging-port=0", "--window-size=" + width + "," + height, "about:blank")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String browserWs = devToolsAddress();
        URI base = URI.create(browserWs.replace("ws://", "http://"));
        HttpClient http = HttpClient.newBuilder().connectTimeout(DEADLINE).build();
        JsonNode targets = json.readTree(http.send(HttpRequest.newBuilder(base.resolve("/json/list")).timeout(DEADLINE)
                .build(), HttpResponse.BodyHandlers.ofString()).body());
        String pageWs = null;
        for (JsonNode t : targets) {
            if ("page".equals(t.path("type").asText())) {
                pageWs = t.get("webSocketDebuggerUrl").asText();
            }
        }
        if (pageWs == null) {
            throw new IllegalStateException("chromium shows no page target: " + targets);
        }
        socket = http.newWebSocketBuilder().connectTimeout(DEADLINE).buildAsync(URI.create(pageWs), new Listener())
                .get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        call("Page.enable", json.createObjectNode());
    }

    /** chromium prints its DevTools address on stderr once it listens. */
    private String devToolsAddress() throws Exception {
        CompletableFuture<String> address = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        address.complete(m.group(1));
                    }
                }
                address.completeExceptionally(new IllegalStateException("chromium exited without a DevTools address"));
            } catch (IOException e) {
                address.completeExceptionally(e);
            }
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        return address.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
    }

    private final class Listener implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    JsonNode message = json.readTree(partial.toString());
                    CompletableFuture<JsonNode> f = message.has("id") ? pending.remove(message.get("id").asInt()) : null;
                    if (f != null) {
                        f.complete(message);
                    }
                } catch (IOException e) {
                    pending.values().forEach(f -> f.completeExceptionally(e));
                }
                partial.setLength(0);
            }
            ws.request(1);
            return null;
        }
    }

    JsonNode call(String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        CompletableFuture<JsonNode> reply = new CompletableFuture<>();
        pending.put(id, reply);
        ObjectNode message = json.createObjectNode().put("id", id).put("method", method);
        message.set("params", params);
        socket.sendText(json.writeValueAsString(message), true).get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        JsonNode r = reply.get(DEADLINE.toSeconds(), TimeUnit.SECONDS);
        if (r.has("error")) {
            throw new IllegalStateException(method + ": " + r.get("error"));
        }
        return r.get("result");
    }

    public void open(String url) throws Exception {
        call("Page.navigate", json.createObjectNode().put("url", url));
        long deadline = System.nanoTime() + DEADLINE.toNanos();
        while (!"complete".equals(eval("document.readyState"))) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(url + " did not finish loading within " + DEADLINE);
            }
            Thread.sleep(50);
        }
    }

    /** The value of {@code expression} in the page, as a string (null for undefined / null). */
    public String eval(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", json.createObjectNode().put("expression", expression)
                .put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new IllegalStateException(expression + " threw " + r.get("exceptionDetails"));
        }
        JsonNode v = r.path("result").path("value");
        return v.isMissingNode() || v.isNull() ? null : v.isTextual() ? v.asText() : v.toString();
    }

    /** Text of the element with {@code id}. */
    public String text(String id) throws Exception {
        return eval("(document.getElementById('" + id + "') || {}).textContent");
    }

    public void screenshot(Path png) throws Exception {
        JsonNode r = call("Page.captureScreenshot", json.createObjectNode().put("format", "png")
                .put("captureBeyondViewport", true));
        Files.createDirectories(png.toAbsolutePath().getParent());
        Files.write(png, Base64.getDecoder().decode(r.get("data").asText()));
    }

    @Override
    public void close() throws IOException {
        // chromium's helpers (network service, crash handler) may outlive the browser for a moment
        // and keep writing into the profile: stop them too before the folder goes
        List<ProcessHandle> helpers = process.descendants().toList();
        try {
            socket.abort();
        } finally {
            process.destroy();
            helpers.forEach(ProcessHandle::destroy);
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
                for (ProcessHandle h : helpers) {
                    h.onExit().get(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                helpers.forEach(ProcessHandle::destroyForcibly);
            }
            deleteProfile();
        }
    }

    /**
     * Removes the temporary profile. A file that vanishes while the folder is walked (a helper
     * process finishing its last write) is no error: the walk is repeated a few times, and a
     * folder that still cannot go is reported on stderr and left to the system's temp cleaning.
     */
    private void deleteProfile() {
        for (int attempt = 0; attempt < 5 && Files.exists(profile); attempt++) {
            try (Stream<Path> files = Files.walk(profile)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException | java.io.UncheckedIOException e) {
                try {
                    Thread.sleep(200);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
        if (Files.exists(profile)) {
            System.err.println("headless chromium: could not remove its profile " + profile);
        }
    }
}
