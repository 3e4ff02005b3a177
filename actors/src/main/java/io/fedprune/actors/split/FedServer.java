package io.fedprune.actors.split;

import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.core.aggregate.FedAvg;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.compress.PayloadFormatException;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Decision;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.ModelState;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.core.strategy.Strategy;
import io.fedprune.serialization.WireMessage;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * SplitFed's fed server: runs synchronous rounds of split training over the clients and, every
 * {@code interval} rounds, averages their client parts with the run's strategy ({@link FedAvg},
 * weighted by the samples each trained on) and hands the average to every client with the next
 * round. When a round is over it tells the split server ({@link SplitServer.EndRound}: V1
 * averages its server copies then) before the next round starts. In the
 * rounds between, each client goes on from its own part. A round waits for every client that
 * is still alive: clients are watched, and one that stops is a dropout of its round and of the
 * rest of the run. Each round's end is told to {@code listener}; after the last, {@link Finished}.
 * Client {@code i} of the list must have id {@code i}. Every round's client parts go up (a
 * device cannot know whether its part will be averaged), so the uplink counts them all.
 */
public final class FedServer extends AbstractBehavior<FedServer.Command> {

    public sealed interface Command {
    }

    /** Start the first round (sent through the clock). */
    public record Start() implements Command, WireMessage {
    }

    private record FromClient(SplitClient.Response response) implements Command, NoSerializationVerificationNeeded {
    }

    private record ClientGone(int index) implements Command, NoSerializationVerificationNeeded {
    }

    /** What the listener is told. */
    public sealed interface Event extends WireMessage {
    }

    /**
     * Round {@code round} ended. @param clientPart the averaged client part (the downlink codec's
     * payload) if the round aggregated, else empty; @param meanLoss the answering clients' mean
     * training loss; byte counts are the client parts' so far (up: every answer, down: every send)
     */
    public record RoundEnded(long round, byte[] clientPart, int answered, int failed, int dropped, double meanLoss,
                             long bytesUp, long bytesDown) implements Event {
    }

    /** The last round ended, or no client is left. */
    public record Finished(long rounds, String reason) implements Event {
    }

    private final List<ActorRef<SplitClient.Command>> clients;
    private final boolean[] gone;
    private final WireCodec upDecoder;
    private final WireCodec downEncoder;
    private final ActorRef<SplitServer.Command> splitServer;
    private final int rounds;
    private final int steps;
    private final int interval;
    private final ActorRef<Event> listener;
    private final Clock clock;
    private final ActorRef<SplitClient.Response> responses;
    private final Strategy fedAvg;
    private final Map<Integer, Boolean> waiting = new HashMap<>();
    private float[] clientPart;
    private byte[] pending; // the part to send with the next round, empty when clients keep their own
    private long round;
    private long sentAtMicros;
    private int answered;
    private int failed;
    private int dropped;
    private double lossSum;
    private long bytesUp;
    private long bytesDown;

    /** How a run's rounds go: {@code steps} per client per round, client parts averaged every {@code interval}. */
    public record Plan(int rounds, int steps, int interval) {
        public Plan {
            if (rounds < 1 || steps < 1 || interval < 1) {
                throw new IllegalArgumentException("rounds, steps per round and aggregation interval must be >= 1, got "
                        + rounds + ", " + steps + ", " + interval);
            }
        }
    }

    /** The client part's codecs at the server: {@code upDecoder} reads the clients' parts, {@code downEncoder} sends the average. */
    public record Codecs(WireCodec upDecoder, WireCodec downEncoder) {
        public static Codecs both(WireCodec codec) {
            return new Codecs(codec, codec);
        }
    }

    /**
     * @param initialClientPart where every client starts (the unsplit initial model's client layers)
     * @param strategy          averages the client parts (FedAvg: weighted by samples)
     * @param splitServer       told of every round's end
     */
    public static Behavior<Command> create(List<ActorRef<SplitClient.Command>> clients, float[] initialClientPart,
                                           Codecs codecs, Strategy strategy, Plan plan,
                                           ActorRef<SplitServer.Command> splitServer, ActorRef<Event> listener,
                                           ClockService clocks) {
        return Behaviors.setup(ctx -> new FedServer(ctx, clients, initialClientPart, codecs, strategy, plan, splitServer,
                listener, clocks));
    }

    private FedServer(ActorContext<Command> context, List<ActorRef<SplitClient.Command>> clients, float[] initial,
                      Codecs codecs, Strategy strategy, Plan plan, ActorRef<SplitServer.Command> splitServer,
                      ActorRef<Event> listener, ClockService clocks) {
        super(context);
        this.clients = List.copyOf(clients);
        this.gone = new boolean[clients.size()];
        this.upDecoder = codecs.upDecoder();
        this.downEncoder = codecs.downEncoder();
        this.fedAvg = strategy;
        this.splitServer = splitServer;
        this.rounds = plan.rounds();
        this.steps = plan.steps();
        this.interval = plan.interval();
        this.listener = listener;
        this.clock = clocks.forActor(context);
        this.responses = context.messageAdapter(SplitClient.Response.class, FromClient::new);
        this.clientPart = initial.clone();
        this.pending = downEncoder.encode(clientPart);
        for (int i = 0; i < this.clients.size(); i++) {
            context.watchWith(this.clients.get(i), new ClientGone(i));
        }
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Start.class, s -> {
                    if (round == 0) {
                        startRound();
                    }
                    clock.handled();
                    return this;
                })
                .onMessage(FromClient.class, this::onResponse)
                .onMessage(ClientGone.class, this::onClientGone)
                .build();
    }

    private void startRound() {
        round++;
        answered = 0;
        failed = 0;
        dropped = 0;
        lossSum = 0;
        sentAtMicros = clock.nowMicros();
        for (int i = 0; i < clients.size(); i++) {
            if (!gone[i]) {
                waiting.put(i, true);
                bytesDown += pending.length;
                clock.send(clients.get(i), new SplitClient.Train(round, pending, steps, responses), 0);
            }
        }
        if (waiting.isEmpty()) {
            clock.send(listener, new Finished(round - 1, "no clients left"), 0);
        }
    }

    private Behavior<Command> onResponse(FromClient m) {
        SplitClient.Response r = m.response();
        int i = indexOf(r.clientId());
        if (r.round() != round || i < 0 || waiting.remove(i) == null) {
            clock.handled(); // late or unknown
            return this;
        }
        if (r instanceof SplitClient.Trained t) {
            try {
                float[] part = upDecoder.decode(t.clientPart());
                for (float v : part) {
                    if (!Float.isFinite(v)) {
                        throw new PayloadFormatException("client part holds the non-finite value " + v);
                    }
                }
                bytesUp += t.clientPart().length;
                if (round % interval == 0) { // only the parts of an aggregating round enter the average
                    fedAvg.onUpdate(new ArrivedUpdate(t.clientId(), part, t.samples(), round - 1, 0, null,
                            Dispatch.global(), t.meanLoss(), sentAtMicros, clock.nowMicros()),
                            new ModelState(clientPart, round - 1));
                }
                answered++;
                lossSum += t.meanLoss();
            } catch (PayloadFormatException e) {
                getContext().getLog().warn("fed server: client {} round {}: {}", t.clientId(), round, e.getMessage());
                failed++;
            }
        } else {
            failed++;
        }
        endRoundIfComplete();
        clock.handled();
        return this;
    }

    /** Death watch, not the clock: no handled() owed. */
    private Behavior<Command> onClientGone(ClientGone g) {
        gone[g.index()] = true;
        if (waiting.remove(g.index()) != null) {
            dropped++;
            endRoundIfComplete();
        }
        return this;
    }

    private void endRoundIfComplete() {
        if (!waiting.isEmpty()) {
            return;
        }
        byte[] averaged = new byte[0];
        if (round % interval == 0) {
            Decision d = fedAvg.onRoundEnd(new RoundOutcome(round, answered + failed + dropped, answered, failed, dropped, 0),
                    new ModelState(clientPart, round));
            if (d.model() != null) {
                clientPart = d.model();
                averaged = downEncoder.encode(clientPart);
            }
            pending = averaged;
        } else {
            pending = new byte[0];
        }
        clock.send(splitServer, new SplitServer.EndRound(round), 0); // before any batch of the next round
        clock.send(listener, new RoundEnded(round, averaged, answered, failed, dropped,
                answered == 0 ? Double.NaN : lossSum / answered, bytesUp, bytesDown), 0);
        if (round == rounds) {
            clock.send(listener, new Finished(round, "last round"), 0);
        } else {
            startRound();
        }
    }

    private int indexOf(int clientId) {
        return clientId >= 0 && clientId < clients.size() ? clientId : -1;
    }
}
