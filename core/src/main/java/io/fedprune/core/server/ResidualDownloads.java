package io.fedprune.core.server;

import io.fedprune.core.compress.ResidualSplit;
import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.NestedSubModels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * PR-FL's residual split download, server side: the split of the current global model over the
 * strategy's nested masks (cut once per version and set of masks), and per client what it holds,
 * so that each assignment names only the increments the client lacks. What a client holds is what
 * it was told to fetch; a client whose round failed or that went away is assumed to hold nothing.
 *
 * <p>Counts, besides what each client downloads, the bytes of distinct increments handed out: what
 * the server uploads when each increment goes out once (to a distributor that serves every client
 * of a level), which is PR-FL's "at most one model plus indices".
 */
final class ResidualDownloads {

    private record Holding(long splitId, int held) {
    }

    private final NestedSubModels strategy;
    private final Map<Integer, Holding> holdings = new HashMap<>();
    private final Set<Integer> handedOut = new HashSet<>(); // levels of the current split already handed out
    private ResidualSplit split;
    private List<Mask> splitMasks;
    private long splitVersion = -1;
    private long distinctBytes;

    ResidualDownloads(NestedSubModels strategy) {
        this.strategy = strategy;
    }

    /**
     * The fetch for client {@code clientId} sent sub-model {@code mask} of {@code params} at
     * {@code version}, or null when it goes out whole (no nested masks, or not one of them).
     */
    Assignment.Residual fetch(int clientId, Mask mask, float[] params, long version) {
        List<Mask> masks = strategy.nestedMasks();
        if (mask == null || masks == null || masks.isEmpty()) {
            return null;
        }
        int level = masks.indexOf(mask);
        if (level < 0) {
            throw new IllegalStateException("a sub-model outside the strategy's nested masks cannot be sent as "
                    + "residual increments");
        }
        if (split == null || splitVersion != version || splitMasks != masks) {
            split = ResidualSplit.of(strategy.layout(), version, params, masks);
            handedOut.clear(); // a new split's increments are new bytes; an old split's are never sent again
            splitMasks = masks;
            splitVersion = version;
        }
        Holding h = holdings.get(clientId);
        int from = h != null && h.splitId() == split.id() ? Math.min(h.held(), level + 1) : 0;
        holdings.put(clientId, new Holding(split.id(), Math.max(level + 1, from)));
        Assignment.Residual f = new Assignment.Residual(split, from, level);
        for (int l = from; l <= level; l++) {
            if (handedOut.add(l)) {
                distinctBytes += split.increment(l).size();
            }
        }
        return f;
    }

    /** The client may not hold what it was told to fetch (its round failed, it went away). */
    void forget(int clientId) {
        holdings.remove(clientId);
    }

    /** Bytes of distinct increments handed out so far (each counted once however many clients fetch it). */
    long distinctBytes() {
        return distinctBytes;
    }
}
