package io.fedprune.serialization;

import java.util.List;

/**
 * Service-provider interface that tells {@link KryoSerializer} which classes may appear on the
 * wire, and under which Kryo ids.
 *
 * <p>Implementations are found with {@link java.util.ServiceLoader}: list the implementation's
 * binary name in {@code META-INF/services/io.fedprune.serialization.KryoRegistrations}.
 *
 * <p>Class {@code i} of {@link #classes()} is registered with Kryo id {@code idBase() + i}. Ids
 * therefore depend only on the provider's own code, never on class-path or discovery order, so
 * every node that runs the same build agrees on them. Consequences:
 * <ul>
 *   <li>only <em>append</em> to {@link #classes()}; reordering or removing an entry changes the
 *       ids of the following classes and breaks mixed-version clusters;</li>
 *   <li>reserve a generous, distinct block per provider (for example 1000 ids:
 *       core 100, actors 1000, examples 2000, tests 10000). Ids below 100 are reserved for
 *       Kryo's built-in registrations. Overlapping blocks or a class listed by two providers
 *       make the serializer (and therefore the actor system) fail at start-up with an
 *       {@link IllegalStateException} naming both providers.</li>
 * </ul>
 *
 * <p>Register concrete classes: records (serialized by Kryo's {@code RecordSerializer} through
 * their canonical constructor, so their validation runs on receipt), enums, arrays. Interfaces
 * and abstract classes need no registration (Kryo writes the concrete class id), except the
 * ActorRef types, which {@link CoreKryoRegistrations} already covers.
 */
public interface KryoRegistrations {

    /** First Kryo id of this provider's block; must be at least 100. */
    int idBase();

    /** Classes to register, in a fixed order; class {@code i} gets id {@code idBase() + i}. */
    List<Class<?>> classes();
}
