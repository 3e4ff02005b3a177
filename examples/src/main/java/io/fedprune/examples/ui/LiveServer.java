package io.fedprune.examples.ui;

import static org.apache.pekko.http.javadsl.server.Directives.complete;
import static org.apache.pekko.http.javadsl.server.Directives.completeOK;
import static org.apache.pekko.http.javadsl.server.Directives.concat;
import static org.apache.pekko.http.javadsl.server.Directives.extractRequest;
import static org.apache.pekko.http.javadsl.server.Directives.get;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResource;
import static org.apache.pekko.http.javadsl.server.Directives.getFromResourceDirectory;
import static org.apache.pekko.http.javadsl.server.Directives.path;
import static org.apache.pekko.http.javadsl.server.Directives.pathPrefix;
import static org.apache.pekko.http.javadsl.server.Directives.pathSingleSlash;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.NotUsed;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;

/**
 * The live page of one run, served with Pekko HTTP from an ActorSystem of its own (so the page
 * neither shares the run's dispatchers nor outlives a run that ends). {@code /} is the page,
 * {@code /webjars/...} Chart.js from its WebJar, {@code /api/state} one snapshot as JSON,
 * {@code /api/config} the resolved configuration, and {@code /api/events} a server-sent event
 * stream: a snapshot at most every {@link #PERIOD}, only when something changed, each evaluated
 * version sent once per stream, then an {@code end} event after the run's final snapshot.
 */
public final class LiveServer implements AutoCloseable {
    /** The fastest a stream updates: a virtual-time run can publish far faster than anyone reads. */
    static final Duration PERIOD = Duration.ofMillis(250);
    private static final ContentType JAVASCRIPT = ContentTypes.create(MediaTypes.APPLICATION_JAVASCRIPT,
            HttpCharsets.UTF_8);

    private final ActorSystem<Void> system;
    private final ServerBinding binding;
    private final AtomicInteger openStreams;
    private static final ObjectMapper JSON = new ObjectMapper();

    private LiveServer(ActorSystem<Void> system, ServerBinding binding, AtomicInteger openStreams) {
        this.system = system;
        this.binding = binding;
        this.openStreams = openStreams;
    }

    /**
     * Binds {@code host:port} (0: any free port) and serves {@code state}.
     *
     * @throws PortUnavailableException naming the address when it cannot be bound
     */
    public static LiveServer start(LiveState state, String configText, String host, int port) {
        Config config = ConfigFactory.parseString("""
                pekko.coordinated-shutdown.run-by-jvm-shutdown-hook = off
                pekko.http.server.idle-timeout = infinite
                pekko.loglevel = WARNING
                """).withFallback(ConfigFactory.load());
        // logging set up on this thread first: otherwise the run's and the server's first log calls
        // race through SLF4J's initialisation and it prints a warning about replayed calls
        org.slf4j.LoggerFactory.getILoggerFactory();
        ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "fedprune-ui", config);
        AtomicInteger openStreams = new AtomicInteger();
        try {
            ServerBinding b = Http.get(system).newServerAt(host, port)
                    .bind(routes(state, configText, openStreams)).toCompletableFuture().get(20, TimeUnit.SECONDS);
            return new LiveServer(system, b, openStreams);
        } catch (ExecutionException | TimeoutException e) {
            system.terminate();
            Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new PortUnavailableException(host, port, cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            system.terminate();
            throw new IllegalStateException("interrupted while binding the live page", e);
        }
    }

    /** The port bound (the one chosen when 0 was asked for). */
    public int port() {
        return binding.localAddress().getPort();
    }

    public String url() {
        String host = binding.localAddress().getHostString();
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/";
    }

    private static Route routes(LiveState state, String configText, AtomicInteger openStreams) {
        return get(() -> concat(
                pathSingleSlash(() -> getFromResource("fedprune-ui/live.html", ContentTypes.TEXT_HTML_UTF8)),
                path("live.js", () -> getFromResource("fedprune-ui/live.js", JAVASCRIPT)),
                path("chart.js", () -> getFromResource(ChartJs.WEBJARS + "/" + ChartJs.bundlePath(), JAVASCRIPT)),
                pathPrefix("webjars", () -> getFromResourceDirectory(ChartJs.WEBJARS)),
                pathPrefix("api", () -> concat(
                        path("state", () -> extractRequest(request -> complete(HttpEntities.create(
                                ContentTypes.APPLICATION_JSON, toJson(state.snapshot(0)))))),
                        path("config", () -> complete(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, configText))),
                        path("events", () -> completeOK(events(state, openStreams),
                                EventStreamMarshalling.toEventStream()))))));
    }

    /** Each stream (each materialization) has its own cursor over the rounds, its own idea of what changed. */
    private static Source<ServerSentEvent, NotUsed> events(LiveState state, AtomicInteger openStreams) {
        return Source.tick(Duration.ZERO, PERIOD, "tick")
                .statefulMapConcat(() -> {
                    Cursor cursor = new Cursor(state);
                    return tick -> cursor.next();
                })
                .takeWhile(e -> !"end".equals(e.getEventType().orElse("")), true)
                .keepAlive(Duration.ofSeconds(15), ServerSentEvent::heartbeat)
                .watchTermination((mat, done) -> {
                    openStreams.incrementAndGet();
                    done.whenComplete((d, err) -> openStreams.decrementAndGet());
                    return NotUsed.getInstance();
                });
    }

    private static final class Cursor {
        private final LiveState state;
        private long seen = -1;
        private int rounds;

        Cursor(LiveState state) {
            this.state = state;
        }

        List<ServerSentEvent> next() {
            long changes = state.changes();
            boolean finished = state.finished(); // read before the snapshot: never end before the final one
            if (changes == seen) {
                return List.of();
            }
            seen = changes;
            LiveSnapshot s = state.snapshot(rounds);
            rounds += s.rounds().size();
            ServerSentEvent event = ServerSentEvent.create(toJson(s), "state");
            return finished && s.finished() != null ? List.of(event, ServerSentEvent.create("{}", "end"))
                    : List.of(event);
        }
    }

    private static String toJson(LiveSnapshot s) {
        try {
            return JSON.writeValueAsString(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the live snapshot", e);
        }
    }

    /**
     * Stops serving: first gives open pages up to {@code grace} to receive the run's final
     * snapshot (a page that got it closes its stream), then unbinds and ends the server's system.
     */
    public void close(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (openStreams.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        try {
            binding.terminate(Duration.ofSeconds(1)).toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // stopping anyway
        }
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // nothing left to serve
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(3));
    }
}
