package io.fedprune.actors.client;

import io.fedprune.actors.link.ServerLink;
import io.fedprune.core.system.LinkRedraw;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * How clients' transfers are timed beyond their mean device rates: PR-FL's per-round redraw of
 * each client's rates and, if {@code serverLink} is not null, the shared server link that carries
 * every download and upload (then the fixed-upload-size shortcut of {@link ClientSetup} does not
 * apply: an upload's length depends on who else is sending, so the update is made at compute end).
 *
 * @param redraw     per-round variation of each client's rates, seeded by run, client and task
 * @param serverLink the shared link, or null for independent per-client links
 */
public record ClientNetwork(LinkRedraw redraw, ActorRef<ServerLink.Command> serverLink) {

    /** Mean rates every round, independent links: the model before PR-FL's network. */
    public static final ClientNetwork NONE = new ClientNetwork(LinkRedraw.NONE, null);

    public ClientNetwork {
        if (redraw == null) {
            throw new IllegalArgumentException("redraw is required (LinkRedraw.NONE for none)");
        }
    }

    boolean shared() {
        return serverLink != null;
    }
}
