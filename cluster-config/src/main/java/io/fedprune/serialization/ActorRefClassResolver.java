package io.fedprune.serialization;

import com.esotericsoftware.kryo.Registration;
import com.esotericsoftware.kryo.util.DefaultClassResolver;

/**
 * Maps every implementation of a typed or classic ActorRef onto the registration of the ActorRef
 * type itself.
 *
 * <p>Pekko has several internal ref classes (ActorRefAdapter, ActorSystemAdapter,
 * LocalActorRef, RemoteActorRef, RepointableActorRef, FunctionRef, ...), which ones appear depends
 * on provider and timing, and they are not API. Registering them one by one would be brittle;
 * with registration required, an unforeseen one would make a message unserializable. All refs
 * share one id and one serializer that writes the path, and reading resolves whatever class the
 * receiving system uses.
 */
final class ActorRefClassResolver extends DefaultClassResolver {

    @Override
    @SuppressWarnings("rawtypes") // the overridden Kryo method uses a raw Class parameter
    public Registration getRegistration(Class type) {
        Registration registration = super.getRegistration(type);
        if (registration != null || type == null) {
            return registration;
        }
        if (org.apache.pekko.actor.typed.ActorRef.class.isAssignableFrom(type)) {
            return super.getRegistration(org.apache.pekko.actor.typed.ActorRef.class);
        }
        if (org.apache.pekko.actor.ActorRef.class.isAssignableFrom(type)) {
            return super.getRegistration(org.apache.pekko.actor.ActorRef.class);
        }
        return null;
    }
}
