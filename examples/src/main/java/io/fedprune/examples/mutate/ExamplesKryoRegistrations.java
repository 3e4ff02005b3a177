package io.fedprune.examples.mutate;

import io.fedprune.examples.transfer.TransferMessages;
import io.fedprune.serialization.KryoRegistrations;
import java.util.List;

/** Wire types of the examples module, ids from 2000. Append only: an entry's position is its wire id. */
public final class ExamplesKryoRegistrations implements KryoRegistrations {

    @Override
    public int idBase() {
        return 2000;
    }

    @Override
    public List<Class<?>> classes() {
        return List.of(MutationProbe.class,
                // fedprune bench-transfer's baseline and flow control
                TransferMessages.RawBytes.class,
                TransferMessages.Bind.class,
                TransferMessages.Ack.class);
    }
}
