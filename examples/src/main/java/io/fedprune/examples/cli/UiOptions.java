package io.fedprune.examples.cli;

import io.fedprune.examples.report.ResultWriter;
import io.fedprune.examples.ui.LiveServer;
import io.fedprune.examples.ui.LiveState;
import io.fedprune.examples.ui.PortUnavailableException;
import picocli.CommandLine.Option;

/** {@code --ui [PORT]} and {@code --ui-host HOST}: a live page for a run (a picocli mixin). */
final class UiOptions {
    /** The port when {@code --ui} is given without one. */
    static final int DEFAULT_PORT = 8765;

    @Option(names = "--ui", arity = "0..1", paramLabel = "PORT", fallbackValue = "" + DEFAULT_PORT,
            description = "serve a live page of the run on http://127.0.0.1:PORT/ (default " + DEFAULT_PORT
                    + "; 0: any free port); it stops when the run ends")
    Integer port;

    @Option(names = "--ui-host", paramLabel = "HOST", defaultValue = "127.0.0.1",
            description = "the address the live page listens on (default 127.0.0.1: this machine only; "
                    + "0.0.0.0: every interface)")
    String host;

    /** The running page, or null without --ui. Binds before any work, so a taken port costs nothing. */
    LivePage open(RunJob job) {
        if (port == null) {
            return null;
        }
        if (port < 0 || port > 65535) {
            throw new UsageException("--ui: port " + port + " is out of range; expected 0 (any free port) to 65535");
        }
        LiveState state = new LiveState(job.settings());
        try {
            LiveServer server = LiveServer.start(state, ResultWriter.renderConfig(job.config()), host, port);
            System.out.println("fedprune: live page at " + server.url());
            return new LivePage(state, server);
        } catch (PortUnavailableException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /** A served page: closing it lets open pages receive the final state, then stops the server. */
    record LivePage(LiveState state, LiveServer server) implements AutoCloseable {
        @Override
        public void close() {
            server.close();
        }
    }
}
