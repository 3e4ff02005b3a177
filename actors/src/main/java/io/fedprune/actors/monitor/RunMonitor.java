package io.fedprune.actors.monitor;

import java.util.function.Consumer;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.Extension;
import org.apache.pekko.actor.typed.ExtensionId;

/**
 * Where the actors of one ActorSystem publish {@link RunEvent}s, and where a watcher attaches.
 * An extension rather than a constructor argument, so that the behaviours' signatures stay as they
 * are and a run without a watcher pays one volatile read per event. The watcher is called on the
 * publishing actor's thread: it must return at once and never block (a live page's state is a few
 * concurrent maps), and it only reads what it is given, so a watched run is the same run.
 */
public final class RunMonitor implements Extension {

    /** The extension's id: one monitor per ActorSystem. */
    public static final class Id extends ExtensionId<RunMonitor> {
        @Override
        public RunMonitor createExtension(ActorSystem<?> system) {
            return new RunMonitor();
        }
    }

    private static final Id ID = new Id();

    private volatile Consumer<RunEvent> watcher;

    private RunMonitor() {
    }

    public static RunMonitor get(ActorSystem<?> system) {
        return ID.apply(system);
    }

    /** Sends every later event to {@code w} (null: to nobody). */
    public void attach(Consumer<RunEvent> w) {
        this.watcher = w;
    }

    /** Whether anyone watches: publishers skip the work of building an event when nobody does. */
    public boolean watched() {
        return watcher != null;
    }

    public void publish(RunEvent event) {
        Consumer<RunEvent> w = watcher;
        if (w != null) {
            w.accept(event);
        }
    }
}
