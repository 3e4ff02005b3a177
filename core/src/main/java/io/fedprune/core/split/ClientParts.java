package io.fedprune.core.split;

import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.model.ParameterLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * The client-part networks of a split run: one per thread that computes client passes (a trainer
 * thread), lent to whichever client's pass runs there. A client keeps only its parameters as
 * floats ({@link ClientSide}), so memory grows with the threads, not with the clients. A network
 * must not be held across threads or across two passes of different clients.
 */
public final class ClientParts implements AutoCloseable {
    private final CutPoint cut;
    private final OptimizerSpec optimizer;
    private final long seed;
    private final List<ClientPart> made = new ArrayList<>();
    private final ThreadLocal<ClientPart> mine;
    private final long fingerprint;
    private final int parameterCount;

    public ClientParts(CutPoint cut, OptimizerSpec optimizer, long seed) {
        this.cut = cut;
        this.optimizer = optimizer;
        this.seed = seed;
        this.mine = ThreadLocal.withInitial(this::make);
        ClientPart first = mine.get();
        this.fingerprint = first.layoutFingerprint();
        this.parameterCount = first.parameterCount();
    }

    private ClientPart make() {
        ClientPart p = new ClientPart(cut, optimizer, seed);
        synchronized (made) {
            made.add(p);
        }
        return p;
    }

    /** The calling thread's network. */
    ClientPart get() {
        return mine.get();
    }

    public CutPoint cut() {
        return cut;
    }

    public int parameterCount() {
        return parameterCount;
    }

    public long layoutFingerprint() {
        return fingerprint;
    }

    /** The client part's layout (segments and kinds), for pruning masks and codecs. */
    public ParameterLayout layout() {
        return ParameterLayout.of(get().net);
    }

    /** Networks built so far: at most one per thread that asked. */
    public int built() {
        synchronized (made) {
            return made.size();
        }
    }

    @Override
    public void close() {
        synchronized (made) {
            made.forEach(ClientPart::close);
            made.clear();
        }
    }
}
