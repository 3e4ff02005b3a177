package io.fedprune.examples.ui;

import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.actors.experiment.ProgressListener;
import io.fedprune.actors.monitor.RunEvent;
import io.fedprune.core.compress.Direction;
import io.fedprune.core.compress.MessageKind;
import io.fedprune.core.metrics.RoundRecord;
import io.fedprune.core.metrics.RunSummary;
import io.fedprune.core.metrics.TrafficByKind;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;

/**
 * Everything the live page shows about one run, fed by the run (rounds from the driver, client
 * events from the actors) and read by the page's streams. Writers never wait on readers: client
 * views are replaced whole in a concurrent map, counters are adders, rounds are appended under a
 * lock held only to append or copy. Nothing here is ever read by the run, so watching it cannot
 * change it.
 */
public final class LiveState implements ProgressListener {
    /** Clients listed one by one; beyond that the page shows counts per phase only. */
    static final int MAX_ROWS = 200;

    private final ExperimentSettings settings;
    private final long startNanos = System.nanoTime();
    private final ConcurrentHashMap<Integer, ClientView> clients = new ConcurrentHashMap<>();
    private final List<LiveSnapshot.Point> rounds = new ArrayList<>();
    private final AtomicLong nowMicros = new AtomicLong();
    private final Map<String, LongAdder> clientBytes = new ConcurrentHashMap<>();
    private final AtomicLong changes = new AtomicLong();
    private volatile RunSummary summary;

    public LiveState(ExperimentSettings settings) {
        this.settings = settings;
        for (int i = 0; i < settings.data().clients(); i++) {
            clients.put(i, ClientView.fresh(i));
        }
    }

    @Override
    public void onRound(RoundRecord r) {
        synchronized (rounds) {
            rounds.add(new LiveSnapshot.Point(r.version(), r.virtualTimeS(), r.testAccuracy(), r.testLoss(),
                    r.bytesUp(), r.bytesDown()));
        }
        nowMicros.accumulateAndGet(Math.round(r.virtualTimeS() * 1e6), Math::max);
        changes.incrementAndGet();
    }

    @Override
    public void onFinish(RunSummary s) {
        summary = s;
        changes.incrementAndGet();
    }

    @Override
    public Consumer<RunEvent> runEvents() {
        return this::onEvent;
    }

    void onEvent(RunEvent e) {
        nowMicros.accumulateAndGet(e.atMicros(), Math::max);
        clients.compute(e.clientId(), (id, c) -> apply(c == null ? ClientView.fresh(id) : c, e));
        if (e instanceof RunEvent.RoundStarted s) {
            count(Direction.DOWNLINK, MessageKind.GLOBAL_MODEL, s.modelBytes());
            count(Direction.DOWNLINK, MessageKind.MASK, s.maskBytes());
            count(Direction.DOWNLINK, MessageKind.RESIDUAL_INCREMENT, s.incrementBytes());
        } else if (e instanceof RunEvent.UpdateSent u) {
            count(Direction.UPLINK, MessageKind.CLIENT_UPDATE, u.bytes());
        }
        changes.incrementAndGet();
    }

    private static ClientView apply(ClientView c, RunEvent e) {
        if (c.dropped()) {
            return c;
        }
        if (e instanceof RunEvent.WorkSent w) {
            return new ClientView(c.id(), w.version(), c.density(), true, false, -1, c.updatesSent(), c.staleness(), false);
        } else if (e instanceof RunEvent.RoundStarted s) {
            return new ClientView(c.id(), s.version(), s.density(), true, false, s.computeEndMicros(), c.updatesSent(),
                    c.staleness(), false);
        } else if (e instanceof RunEvent.ComputeScheduled s) {
            return new ClientView(c.id(), c.version(), c.density(), true, false, s.computeEndMicros(), c.updatesSent(),
                    c.staleness(), false);
        } else if (e instanceof RunEvent.UpdateSent u) {
            return new ClientView(c.id(), c.version(), c.density(), true, true, c.computeEndMicros(),
                    c.updatesSent() + 1, c.staleness(), false);
        } else if (e instanceof RunEvent.Answered a) {
            // a newer assignment may already be out (the answer of an older round arrives late): keep it
            boolean current = a.baseVersion() >= c.version();
            return new ClientView(c.id(), c.version(), c.density(), !current && c.working(), !current && c.sent(),
                    current ? -1 : c.computeEndMicros(), c.updatesSent(), a.trained()
                    ? a.serverVersion() - a.baseVersion() : c.staleness(), false);
        }
        return new ClientView(c.id(), c.version(), c.density(), false, false, -1, c.updatesSent(), c.staleness(), true);
    }

    private void count(Direction d, MessageKind k, long bytes) {
        if (bytes > 0) {
            clientBytes.computeIfAbsent(key(d) + "/" + key(k), x -> new LongAdder()).add(bytes);
        }
    }

    /** Changes so far: a stream sends a snapshot only when this moved. */
    long changes() {
        return changes.get();
    }

    boolean finished() {
        return summary != null;
    }

    /** The page's view now, with the evaluated versions from index {@code firstRound} on. */
    LiveSnapshot snapshot(int firstRound) {
        RunSummary done = summary;
        List<LiveSnapshot.Point> newRounds;
        LiveSnapshot.Point last;
        synchronized (rounds) {
            int from = Math.min(Math.max(firstRound, 0), rounds.size());
            newRounds = List.copyOf(rounds.subList(from, rounds.size()));
            last = rounds.isEmpty() ? null : rounds.get(rounds.size() - 1);
        }
        long now = done != null ? Math.round(done.virtualTimeS() * 1e6) : nowMicros.get();
        Map<String, Integer> phases = new LinkedHashMap<>();
        for (String p : List.of("training", "uploading", "idle", "dropped")) {
            phases.put(p, 0);
        }
        List<LiveSnapshot.Row> rows = new ArrayList<>();
        for (ClientView c : clients.values()) {
            String phase = done != null && !c.dropped() ? "idle" : c.phase(now);
            phases.merge(phase, 1, Integer::sum);
            if (c.id() < MAX_ROWS) {
                rows.add(new LiveSnapshot.Row(c.id(), phase, c.version(), Double.isNaN(c.density()) ? null : c.density(),
                        c.updatesSent(), c.staleness() < 0 ? null : c.staleness()));
            }
        }
        rows.sort((a, b) -> Integer.compare(a.id(), b.id()));
        boolean serverCounted = done != null && done.traffic().counted();
        return new LiveSnapshot(settings.name(), settings.algorithm().name(), settings.data().dataset(),
                settings.data().clients(), now / 1e6, done != null ? done.wallTimeS() : (System.nanoTime() - startNanos) / 1e9,
                firstRound, newRounds, done != null ? done.bytesUp() : last == null ? 0 : last.bytesUp(),
                done != null ? done.bytesDown() : last == null ? 0 : last.bytesDown(), phases, rows,
                serverCounted ? serverBytes(done.traffic()) : clientBytes(), serverCounted ? "server" : "clients",
                done == null ? null : done.stopReason(), done == null || done.history().isEmpty() ? null
                : done.finalAccuracy(), done == null || done.history().isEmpty() ? null : done.bestAccuracy());
    }

    private Map<String, Map<String, Long>> clientBytes() {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        new java.util.TreeMap<>(clientBytes).forEach((k, v) -> {
            String[] dk = k.split("/");
            out.computeIfAbsent(dk[0], x -> new LinkedHashMap<>()).put(dk[1], v.sum());
        });
        return out;
    }

    private static Map<String, Map<String, Long>> serverBytes(TrafficByKind t) {
        Map<String, Map<String, Long>> out = new LinkedHashMap<>();
        for (Direction d : Direction.values()) {
            for (MessageKind k : MessageKind.values()) {
                if (t.bytes(d, k) > 0) {
                    out.computeIfAbsent(key(d), x -> new LinkedHashMap<>()).put(key(k), t.bytes(d, k));
                }
            }
        }
        return out;
    }

    private static String key(Enum<?> e) {
        return e.name().toLowerCase(Locale.ROOT);
    }
}
