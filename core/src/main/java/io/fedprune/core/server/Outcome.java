package io.fedprune.core.server;

/**
 * What the server made of one event.
 *
 * @param rejection why an update was refused (null if it was accepted or the event was no update)
 * @param published the new global model, or null
 */
public record Outcome(String rejection, Publication published) {
    static final Outcome NOTHING = new Outcome(null, null);

    public boolean rejected() {
        return rejection != null;
    }
}
