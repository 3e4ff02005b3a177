package io.fedprune.core.aggregate;

import io.fedprune.core.prune.Mask;
import io.fedprune.core.strategy.ArrivedUpdate;
import io.fedprune.core.strategy.Dispatch;
import io.fedprune.core.strategy.ModelState;

/** Test fixture: an arrived update as the server would build it (staleness from the versions). */
public final class Arrivals {
    private Arrivals() {
    }

    /** A plain-dispatch update of {@code samples} samples trained from version {@code base}, arriving at {@code global}. */
    public static ArrivedUpdate of(int clientId, float[] params, long samples, long base, ModelState global) {
        return of(clientId, params, samples, base, global, null);
    }

    /** As above, with the model the client started from (strategies working on changes need it). */
    public static ArrivedUpdate of(int clientId, float[] params, long samples, long base, ModelState global, float[] start) {
        return new ArrivedUpdate(clientId, params, samples, base, global.version() - base, start, Dispatch.global(),
                0.0, 0, 0);
    }

    /** A sub-model update: the client had been sent {@code mask} (null = the whole model). */
    public static ArrivedUpdate masked(int clientId, float[] params, long samples, long base, ModelState global, Mask mask) {
        return new ArrivedUpdate(clientId, params, samples, base, global.version() - base, null,
                mask == null ? Dispatch.global() : Dispatch.masked(mask), 0.0, 0, 0);
    }
}
