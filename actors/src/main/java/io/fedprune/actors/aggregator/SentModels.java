package io.fedprune.actors.aggregator;

import io.fedprune.core.compress.WireCodec;
import java.util.HashMap;
import java.util.Map;

/**
 * The encoded global model each client was last sent, so that an update ({@code trained - start})
 * can be added to exactly the model the client decoded. Versions are reference-counted by the
 * clients holding them and dropped when none does; each version is decoded at most once while
 * held (a SYNC round decodes once for all its participants).
 */
final class SentModels {
    /** {@code round} tells apart two sends of the same version (a SYNC round that produced no model). */
    private record Held(long version, long round, byte[] bytes) {
        boolean is(long v, long r) {
            return version == v && round == r;
        }
    }

    private final WireCodec downlink;
    private final Map<Integer, Held> byClient = new HashMap<>();
    private final Map<Long, Integer> holders = new HashMap<>();
    private final Map<Long, float[]> decoded = new HashMap<>();

    SentModels(WireCodec downlink) {
        this.downlink = downlink;
    }

    /** Client {@code clientId} was sent {@code bytes}, the model of {@code version}, for {@code round}. */
    void sent(int clientId, long version, long round, byte[] bytes) {
        Held previous = byClient.put(clientId, new Held(version, round, bytes));
        holders.merge(version, 1, Integer::sum);
        if (previous != null) {
            drop(previous.version());
        }
    }

    /**
     * The decoded model of {@code version} if client {@code clientId} holds it for {@code round},
     * else null (it was never sent that, or has been sent something newer since).
     */
    float[] reference(int clientId, long version, long round) {
        Held held = byClient.get(clientId);
        if (held == null || !held.is(version, round)) {
            return null;
        }
        return decoded.computeIfAbsent(version, v -> downlink.decode(held.bytes()));
    }

    /** Client {@code clientId} is done with {@code version} (its update or failure arrived, or it was dropped). */
    void release(int clientId, long version, long round) {
        Held held = byClient.get(clientId);
        if (held != null && held.is(version, round)) {
            byClient.remove(clientId);
            drop(version);
        }
    }

    /** Number of versions held by at least one client. */
    int versionsHeld() {
        return holders.size();
    }

    /** Number of versions currently kept decoded. */
    int versionsDecoded() {
        return decoded.size();
    }

    private void drop(long version) {
        if (holders.merge(version, -1, Integer::sum) <= 0) {
            holders.remove(version);
            decoded.remove(version);
        }
    }
}
