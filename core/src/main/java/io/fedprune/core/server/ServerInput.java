package io.fedprune.core.server;

import io.fedprune.core.strategy.RoundOutcome;
import java.util.Arrays;
import java.util.List;

/**
 * One call that changes a {@link FederatedServer}, with its arguments: the server is a
 * deterministic function of its construction (strategy, initial model, codecs, seed) and of the
 * sequence of these inputs. A server records each input before acting on it
 * ({@link FederatedServer#recordInputs}); {@link #applyTo} makes the same call again. Folding a
 * recorded sequence into a fresh server built the same way therefore gives back the model, the
 * version, the strategy's state (buffers, densities, masks, tiers), the random-number state, what
 * every client holds, the byte counts and the statistics, bit for bit — what a durable aggregator
 * journals ({@code docs/DURABILITY.md}).
 *
 * <p>An update carries its wire bytes: they are what cannot be made again without the client.
 */
public sealed interface ServerInput {

    /** Makes the call this input records on {@code server}. */
    void applyTo(FederatedServer server);

    /** The same call with the same arguments (update bytes compared by content). */
    default boolean sameAs(ServerInput other) {
        return equals(other);
    }

    /** {@link FederatedServer#startRound}. */
    record StartRound(List<Integer> available) implements ServerInput {
        public StartRound {
            available = List.copyOf(available);
        }

        @Override
        public void applyTo(FederatedServer server) {
            server.startRound(available);
        }
    }

    /** {@link FederatedServer#assign}. */
    record Assign(int clientId, long nowMicros) implements ServerInput {
        @Override
        public void applyTo(FederatedServer server) {
            server.assign(clientId, nowMicros);
        }
    }

    /**
     * {@link FederatedServer#onUpdate} ({@code stale} false) or {@link FederatedServer#onStale}
     * (an update for a round that had closed; {@code nowMicros} unused).
     */
    record Update(int clientId, long baseVersion, long round, byte[] bytes, long samples, double trainLoss,
                  long nowMicros, boolean stale) implements ServerInput {

        static Update of(IncomingUpdate u, long nowMicros, boolean stale) {
            return new Update(u.clientId(), u.baseVersion(), u.round(), u.bytes(), u.samples(), u.trainLoss(),
                    nowMicros, stale);
        }

        public IncomingUpdate incoming() {
            return new IncomingUpdate(clientId, baseVersion, round, bytes, samples, trainLoss);
        }

        @Override
        public void applyTo(FederatedServer server) {
            if (stale) {
                server.onStale(incoming());
            } else {
                server.onUpdate(incoming(), nowMicros);
            }
        }

        @Override
        public boolean sameAs(ServerInput other) {
            return other instanceof Update u && u.clientId == clientId && u.baseVersion == baseVersion
                    && u.round == round && u.samples == samples
                    && Double.doubleToRawLongBits(u.trainLoss) == Double.doubleToRawLongBits(trainLoss)
                    && u.nowMicros == nowMicros && u.stale == stale && Arrays.equals(u.bytes, bytes);
        }

        @Override
        public String toString() {
            return "Update[client " + clientId + ", version " + baseVersion + ", round " + round + ", "
                    + bytes.length + " bytes, " + samples + " samples, at " + nowMicros + " us" + (stale ? ", stale" : "")
                    + "]";
        }
    }

    /** {@link FederatedServer#onTick}. */
    record Tick(long nowMicros) implements ServerInput {
        @Override
        public void applyTo(FederatedServer server) {
            server.onTick(nowMicros);
        }
    }

    /** {@link FederatedServer#onRoundEnd}. */
    record RoundEnd(RoundOutcome outcome) implements ServerInput {
        @Override
        public void applyTo(FederatedServer server) {
            server.onRoundEnd(outcome);
        }
    }

    /** {@link FederatedServer#onFailed}. */
    record Failed(int clientId, long baseVersion, long round) implements ServerInput {
        @Override
        public void applyTo(FederatedServer server) {
            server.onFailed(clientId, baseVersion, round);
        }
    }

    /** {@link FederatedServer#onStraggler}. */
    record Straggler(int clientId) implements ServerInput {
        @Override
        public void applyTo(FederatedServer server) {
            server.onStraggler(clientId);
        }
    }

    /** {@link FederatedServer#onDropped}. */
    record Dropped(int clientId) implements ServerInput {
        @Override
        public void applyTo(FederatedServer server) {
            server.onDropped(clientId);
        }
    }

    /** Applies {@code inputs} in order to {@code server} (freshly built as the recording one was). */
    static void fold(FederatedServer server, Iterable<? extends ServerInput> inputs) {
        for (ServerInput input : inputs) {
            input.applyTo(server);
        }
    }
}
