package io.fedprune.actors.aggregator;

import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.actors.distributor.Distributor;
import io.fedprune.actors.monitor.RunEvent;
import io.fedprune.actors.monitor.RunMonitor;
import io.fedprune.core.compress.ResidualSplit;
import io.fedprune.core.server.Assignment;
import io.fedprune.core.server.FederatedServer;
import io.fedprune.core.server.IncomingUpdate;
import io.fedprune.core.server.Outcome;
import io.fedprune.core.server.Publication;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.slf4j.Logger;

/**
 * The aggregator's state and the means its {@link Pacer} uses: the registered clients, the
 * serial model work, the clock, sending work, publishing, giving up. Owned by the aggregator
 * actor and used only on its thread; the {@link FederatedServer} may only be touched inside work
 * given to {@link #work()}.
 */
final class AggregatorContext {
    private final ActorContext<Aggregator.Command> actor;
    private final FederatedServer server;
    private final SerialWork<Aggregator.Command> work;
    private final ClockService clocks;
    private final Clock clock;
    private final AggregatorSettings settings;
    private final ActorRef<AggregatorEvent> listener;
    private final ActorRef<Client.Response> responses;
    private final RunMonitor monitor;
    private final TreeMap<Integer, ActorRef<Client.Command>> clients = new TreeMap<>();
    private Pacer pacer;
    private ActorRef<Distributor.Command> distributor; // spawned at the first residual download
    private int distributors;
    private Long offeredSplit;
    private boolean stopped;
    private boolean gaveUp;
    private long lastVersion;
    private byte[] lastModel = new byte[0];

    AggregatorContext(ActorContext<Aggregator.Command> actor, FederatedServer server, SerialWork<Aggregator.Command> work,
                      ClockService clocks, AggregatorSettings settings, ActorRef<AggregatorEvent> listener,
                      ActorRef<Client.Response> responses) {
        this.actor = actor;
        this.server = server;
        this.work = work;
        this.clocks = clocks;
        this.clock = clocks.forActor(actor);
        this.settings = settings;
        this.listener = listener;
        this.responses = responses;
        this.monitor = RunMonitor.get(actor.getSystem());
    }

    /** Where client events go (a live page), if anyone watches. */
    RunMonitor monitor() {
        return monitor;
    }

    void pacer(Pacer p) {
        this.pacer = p;
    }

    ActorContext<Aggregator.Command> actor() {
        return actor;
    }

    FederatedServer server() {
        return server;
    }

    SerialWork<Aggregator.Command> work() {
        return work;
    }

    Clock clock() {
        return clock;
    }

    ClockService clocks() {
        return clocks;
    }

    AggregatorSettings settings() {
        return settings;
    }

    /** Registered clients by id. */
    SortedMap<Integer, ActorRef<Client.Command>> clients() {
        return clients;
    }

    /** Sends the assignment's request to its client (if it is still registered). */
    void send(Assignment a) {
        send(a, responses);
    }

    /** Sends {@code a}'s work; the client answers {@code replyTo} (a tier coordinator, say). */
    void send(Assignment a, ActorRef<Client.Response> replyTo) {
        ActorRef<Client.Command> client = clients.get(a.clientId());
        if (client == null) {
            return; // stopped meanwhile; its dropout is on its way
        }
        if (monitor.watched()) {
            monitor.publish(new RunEvent.WorkSent(a.clientId(), a.version(), clock.nowMicros()));
        }
        int epochs = a.work() == null ? 0 : a.work().epochs();
        int steps = a.work() == null ? 0 : a.work().maxSteps();
        Client.TrainRequest request = new Client.TrainRequest(a.version(), a.round(), a.model(), a.mask(), a.codec(),
                epochs, steps, a.computeScale(), a.uplink() == null ? 0 : a.uplink().pruneRatio(),
                a.uplink() == null ? 0 : a.uplink().rateBps(), replyTo);
        if (a.localAlt() != null) {
            clock.send(client, new Client.TrainLocalAlt(request, a.localAlt()), 0);
            return;
        }
        if (a.residual() == null) {
            clock.send(client, request, 0);
            return;
        }
        // PR-FL's residual download: the split goes to the distributor once, the client fetches from it
        ResidualSplit split = a.residual().split();
        if (distributor == null) {
            distributor = actor.spawn(Distributor.create(clocks, Distributor.DEFAULT_KEEP),
                    "distributor-" + ++distributors);
            actor.watchWith(distributor, new Aggregator.DistributorStopped(distributor));
        }
        if (offeredSplit == null || offeredSplit != split.id()) {
            clock.send(distributor, new Distributor.Offer(split), 0);
            offeredSplit = split.id();
        }
        clock.send(client, new Client.TrainFromIncrements(request, split.id(), a.residual().from(), a.residual().level(),
                distributor), 0);
    }

    /**
     * The distributor stopped: its clients' fetches fail (they watch it), and the next residual
     * download spawns a new one, offered the split from scratch.
     */
    void distributorStopped(ActorRef<?> stopped) {
        if (stopped.equals(distributor)) {
            actor.getLog().error("the residual-download distributor stopped; a new one serves the next downloads");
            distributor = null;
            offeredSplit = null;
        }
    }

    /** Tells the listener of a new version (and the pacer, via {@link Pacer#onPublished}). */
    void publish(Publication p) {
        lastVersion = p.version();
        lastModel = p.model();
        clock.send(listener, ModelPublished.of(p), 0);
        if (p.last()) {
            actor.getLog().info("{} finished training with version {}", server.strategy().name(), p.version());
            stopped = true; // no more work; answers still on their way are counted, never used
        }
        pacer.onPublished(p);
    }

    /** Stops giving out work and tells the listener why. */
    void giveUp(String reason) {
        if (gaveUp || stopped) {
            return;
        }
        gaveUp = true;
        actor.getLog().error("aggregator gives up: {}", reason);
        clock.send(listener, new AggregatorGaveUp(lastVersion, reason), 0);
    }

    void stop() {
        stopped = true;
    }

    /** Neither stopped nor given up. */
    boolean canGiveWork() {
        return !stopped && !gaveUp;
    }

    /** The last published version (on the aggregator's thread). */
    long lastVersion() {
        return lastVersion;
    }

    byte[] lastModel() {
        return lastModel;
    }

    boolean capReached(long version) {
        return settings.maxVersions() > 0 && version >= settings.maxVersions();
    }

    Logger log() {
        return actor.getLog();
    }

    void logRejection(Outcome o) {
        if (o.rejected()) {
            log().warn(o.rejection());
        }
    }

    static IncomingUpdate incoming(Client.Trained t) {
        return new IncomingUpdate(t.clientId(), t.baseVersion(), t.round(), t.update(), t.samples(), t.trainLoss(),
                t.deviceAccuracy());
    }
}
