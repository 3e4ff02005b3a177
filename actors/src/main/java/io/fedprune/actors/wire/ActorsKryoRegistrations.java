package io.fedprune.actors.wire;

import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.aggregator.AggregatorStats;
import io.fedprune.actors.aggregator.ModelPublished;
import io.fedprune.actors.client.Client;
import io.fedprune.serialization.KryoRegistrations;
import java.util.List;

/**
 * Every actor message that may cross a node, with stable Kryo ids from 1000. Append only: an
 * entry's position is its wire id.
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
                Aggregator.RegisterClient.class,
                Aggregator.Start.class,
                Aggregator.Stop.class,
                Aggregator.UpdateArrived.class,
                Aggregator.UpdateFailed.class,
                Aggregator.GetModel.class,
                Aggregator.ModelSnapshot.class,
                ModelPublished.class,
                AggregatorStats.class);
    }
}
