package io.fedprune.serialization;

import java.util.List;

/** Test-only provider, discovered through src/test/resources/META-INF/services. */
public final class TestKryoRegistrations implements KryoRegistrations {

    static final int ID_BASE = 10_000;

    static final List<Class<?>> CLASSES = List.of(
            TestMessages.Kind.class,
            TestMessages.Inner.class,
            TestMessages.Payload.class,
            TestMessages.Pong.class,
            TestMessages.Ping.class,
            TestMessages.Holder.class,
            TestMessages.Containers.class,
            TestMessages.Blob.class,
            TestMessages.Ack.class);

    @Override
    public int idBase() {
        return ID_BASE;
    }

    @Override
    public List<Class<?>> classes() {
        return CLASSES;
    }

    /** Kryo id of a class registered by the core or this test provider. */
    static int idOf(Class<?> type) {
        int core = new CoreKryoRegistrations().classes().indexOf(type);
        if (core >= 0) {
            return CoreKryoRegistrations.ID_BASE + core;
        }
        int test = CLASSES.indexOf(type);
        if (test >= 0) {
            return ID_BASE + test;
        }
        throw new IllegalArgumentException(type + " not registered");
    }
}
