package io.fedprune.core.server;

import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.strategy.Dispatch;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.Map;

/**
 * What each client holds right now: the version, round and dispatch it was last sent, so that
 * an update can be checked to answer it. When base models are needed (clients upload updates, or
 * the strategy works on changes), the encoded bytes are kept too and decoded on demand, at most
 * once per distinct payload while any client holds it: memory grows with the versions in flight,
 * not with the clients.
 */
final class InFlightModels {

    /** One client's outstanding work; {@code round} tells two sends of the same version apart. */
    record Held(long version, long round, Dispatch dispatch, byte[] bytes, WireCodec codec, long sentAtMicros) {
        boolean is(long v, long r) {
            return version == v && round == r;
        }
    }

    private final boolean keepBytes;
    private final Map<Integer, Held> byClient = new HashMap<>();
    // payload identity (arrays are shared by every client sent the same bytes) -> holders, decoded
    private final Map<byte[], Integer> holders = new IdentityHashMap<>();
    private final Map<byte[], float[]> decoded = new IdentityHashMap<>();

    InFlightModels(boolean keepBytes) {
        this.keepBytes = keepBytes;
    }

    /** Client {@code clientId} was sent {@code bytes} (decodable by {@code codec}); it replaces what it held. */
    void sent(int clientId, long version, long round, Dispatch dispatch, byte[] bytes, WireCodec codec,
              long sentAtMicros) {
        Held held = keepBytes ? new Held(version, round, dispatch, bytes, codec, sentAtMicros)
                : new Held(version, round, dispatch, null, null, sentAtMicros);
        Held previous = byClient.put(clientId, held);
        if (keepBytes) {
            holders.merge(bytes, 1, Integer::sum);
        }
        if (previous != null) {
            drop(previous);
        }
    }

    /** Ids of the clients holding work, ascending. */
    java.util.List<Integer> holders() {
        return byClient.keySet().stream().sorted().toList();
    }

    /** What {@code clientId} holds, or null. */
    Held held(int clientId) {
        return byClient.get(clientId);
    }

    /** The model {@code held} decoded as its client decoded it (only when bytes are kept). */
    float[] base(Held held) {
        if (held.bytes() == null) {
            return null;
        }
        return decoded.computeIfAbsent(held.bytes(), b -> held.codec().decode(b));
    }

    /** Client {@code clientId} is done with what it holds if that is {@code version} of {@code round}. */
    boolean release(int clientId, long version, long round) {
        Held held = byClient.get(clientId);
        if (held == null || !held.is(version, round)) {
            return false;
        }
        byClient.remove(clientId);
        drop(held);
        return true;
    }

    /** Client {@code clientId} is gone: whatever it held is released. */
    Held forget(int clientId) {
        Held held = byClient.remove(clientId);
        if (held != null) {
            drop(held);
        }
        return held;
    }

    /** Clients holding work. */
    int clients() {
        return byClient.size();
    }

    /** Distinct payloads kept (0 unless bytes are kept). */
    int payloadsHeld() {
        return holders.size();
    }

    /** Distinct payloads currently decoded. */
    int payloadsDecoded() {
        return decoded.size();
    }

    private void drop(Held held) {
        if (held.bytes() != null && holders.merge(held.bytes(), -1, Integer::sum) <= 0) {
            holders.remove(held.bytes());
            decoded.remove(held.bytes());
        }
    }
}
