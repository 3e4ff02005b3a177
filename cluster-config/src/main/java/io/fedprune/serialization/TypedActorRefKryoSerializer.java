package io.fedprune.serialization;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.Serializer;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;

/**
 * Writes a typed {@link ActorRef} as its serialization format (full path including the node
 * address) and resolves it in the receiving actor system, so a deserialized ref delivers to the
 * original actor, locally or across the cluster. Kryo must never field-serialize a ref: it would
 * copy the actor cell.
 *
 * <p>The resolver is supplied lazily: the serializer is built while Pekko's serialization
 * extension starts, before extensions like {@link ActorRefResolver} may be looked up.
 */
final class TypedActorRefKryoSerializer extends Serializer<ActorRef<?>> {

    private final Supplier<ActorRefResolver> resolver;

    TypedActorRefKryoSerializer(Supplier<ActorRefResolver> resolver) {
        super(false, true);
        this.resolver = resolver;
    }

    @Override
    public void write(Kryo kryo, Output output, ActorRef<?> ref) {
        output.writeString(resolver.get().toSerializationFormat(ref));
    }

    @Override
    public ActorRef<?> read(Kryo kryo, Input input, Class<? extends ActorRef<?>> type) {
        String path = input.readString();
        if (path == null || path.isEmpty()) {
            throw new KryoException("Corrupt message: empty ActorRef path");
        }
        return resolver.get().resolveActorRef(path);
    }
}
