package io.fedprune.actors.wire;

import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.aggregator.AggregatorGaveUp;
import io.fedprune.actors.aggregator.ModelPublished;
import io.fedprune.actors.buffer.Buffer;
import io.fedprune.actors.client.Client;
import io.fedprune.actors.distributor.Distributor;
import io.fedprune.actors.embed.Enrollment;
import io.fedprune.core.strategy.UpdateBuffer;
import io.fedprune.core.compress.ResidualIncrement;
import io.fedprune.actors.link.ServerLink;
import io.fedprune.actors.split.FedServer;
import io.fedprune.actors.split.SplitClient;
import io.fedprune.actors.split.SplitServer;
import io.fedprune.actors.journal.RunJournal;
import io.fedprune.core.server.ServerInput;
import io.fedprune.core.server.ServerStats;
import io.fedprune.core.strategy.LocalAltRound;
import io.fedprune.core.strategy.RoundOutcome;
import io.fedprune.serialization.KryoRegistrations;
import java.util.List;

/**
 * Every actor message that may cross a node, with stable Kryo ids from 1000. Append only once
 * released: an entry's position is its wire id. (Renumbered for the server-seam redesign, before
 * any release.) An architecture test checks that every {@code WireMessage} is listed here.
 */
public final class ActorsKryoRegistrations implements KryoRegistrations {

    @Override
    public int idBase() {
        return 1000;
    }

    @Override
    public List<Class<?>> classes() {
        return List.of(
                Client.TrainRequest.class,
                Client.Trained.class,
                Client.Failed.class,
                Aggregator.RegisterClient.class,
                Aggregator.Start.class,
                Aggregator.Stop.class,
                Aggregator.Totals.class,
                Aggregator.Responded.class,
                Aggregator.GetModel.class,
                Aggregator.ModelSnapshot.class,
                ModelPublished.class,
                AggregatorGaveUp.class,
                ServerStats.class,
                Distributor.Fetch.class,
                Distributor.Fetched.class,
                ResidualIncrement.class,
                Client.Downloaded.class,
                ServerLink.Transfer.class,
                ServerLink.Drop.class,
                Client.TrainFromIncrements.class,
                Buffer.Offer.class,
                Buffer.Offered.class,
                UpdateBuffer.Outcome.class,
                Buffer.Aggregate.class,
                Buffer.Aggregated.class,
                Buffer.GetSummary.class,
                Buffer.Summary.class,
                Enrollment.Join.class,
                Enrollment.Joined.class,
                SplitServer.Activations.class,
                SplitServer.Gradients.class,
                SplitServer.Rejected.class,
                SplitServer.GetStats.class,
                SplitServer.Stats.class,
                SplitClient.Train.class,
                SplitClient.Trained.class,
                SplitClient.Failed.class,
                FedServer.Start.class,
                FedServer.RoundEnded.class,
                FedServer.Finished.class,
                SplitServer.GetServerPart.class,
                SplitServer.ServerPartNow.class,
                SplitServer.EndRound.class,
                Aggregator.LateAnswer.class,
                Client.TrainLocalAlt.class,
                LocalAltRound.class,
                // the durable aggregator's journal events (persisted, so their ids must never move)
                RunJournal.Recorded.class,
                ServerInput.StartRound.class,
                ServerInput.Assign.class,
                ServerInput.Update.class,
                ServerInput.Tick.class,
                ServerInput.RoundEnd.class,
                ServerInput.Failed.class,
                ServerInput.Straggler.class,
                ServerInput.Dropped.class,
                RoundOutcome.class,
                RunJournal.Header.class);
    }
}
