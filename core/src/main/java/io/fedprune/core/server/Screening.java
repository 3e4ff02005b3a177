package io.fedprune.core.server;

/**
 * Screening of updates beyond {@link UpdateValidator}'s shape, finiteness, sample and version
 * checks, before any strategy sees them: an update that moves the model further than
 * {@code maxUpdateNorm} (L2 norm of the uploaded model minus the model its client was sent) is
 * rejected and counted, like any invalid update. A malicious client that scales its update passes
 * every other check; this bound stops it at the door, and a robust aggregation rule
 * ({@code fedavg.rule}) deals with what stays under it.
 *
 * @param maxUpdateNorm the bound; 0 turns the screen off. With it on, the server keeps the model
 *                      each client was sent until it answers (one copy per version in flight).
 */
public record Screening(double maxUpdateNorm) {

    public static final Screening NONE = new Screening(0);

    public Screening {
        if (!(maxUpdateNorm >= 0 && Double.isFinite(maxUpdateNorm))) {
            throw new IllegalArgumentException("the update norm bound must be >= 0 (0 = off), got " + maxUpdateNorm);
        }
    }

    public boolean active() {
        return maxUpdateNorm > 0;
    }

    /** @throws InvalidUpdateException if the update moves the model further than the bound */
    void check(int clientId, float[] model, float[] base) {
        if (!active()) {
            return;
        }
        double norm = 0;
        for (int j = 0; j < model.length; j++) {
            double d = (double) model[j] - base[j];
            norm += d * d;
        }
        norm = Math.sqrt(norm);
        if (norm > maxUpdateNorm) {
            throw new InvalidUpdateException(String.format("update from client %d moves the model by %.4g (L2), "
                    + "more than the screening bound %.4g", clientId, norm, maxUpdateNorm));
        }
    }
}
