package io.fedprune.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import org.apache.pekko.actor.ActorRef;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.serialization.Serialization;

/**
 * Classic {@link ActorRef} counterpart of {@link TypedActorRefKryoSerializer}: writes
 * {@link Serialization#serializedActorPath(ActorRef)} (which uses the outbound transport address
 * while Artery serializes) and resolves through the actor ref provider.
 */
final class ClassicActorRefKryoSerializer extends Serializer<ActorRef> {

    private final ExtendedActorSystem system;

    ClassicActorRefKryoSerializer(ExtendedActorSystem system) {
        super(false, true);
        this.system = system;
    }

    @Override
    public void write(Kryo kryo, Output output, ActorRef ref) {
        output.writeString(Serialization.serializedActorPath(ref));
    }

    @Override
    public ActorRef read(Kryo kryo, Input input, Class<? extends ActorRef> type) {
        String path = input.readString();
        if (path == null || path.isEmpty()) {
            throw new KryoException("Corrupt message: empty ActorRef path");
        }
        return system.provider().resolveActorRef(path);
    }
}
