package io.fedprune.serialization;

import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.typed.ActorRef;

/** Test-only protocol; registered by {@link TestKryoRegistrations}, except where noted. */
final class TestMessages {

    private TestMessages() {
    }

    enum Kind { DENSE, SPARSE }

    record Inner(int round, double loss, List<String> tags) {
    }

    record Payload(byte[] bytes, float[] weights, String name, Kind kind, Inner inner, ActorRef<Pong> replyTo)
            implements WireMessage {
    }

    record Pong(String text) implements WireMessage {
    }

    record Ping(Object payload, ActorRef<Pong> replyTo) implements WireMessage {
    }

    /** One untyped slot: lets tests put any registered value (or forged bytes) at a known offset. */
    record Holder(Object value) implements WireMessage {
    }

    record Containers(List<Object> list, Map<String, Integer> map, float[][] matrix) implements WireMessage {
    }

    record Blob(byte[] data, ActorRef<Ack> replyTo) implements WireMessage {
    }

    record Ack(int length, long checksum) implements WireMessage {
    }

    /** Deliberately NOT registered. */
    record UnregisteredMessage(String text) implements WireMessage {
    }

    /** Deliberately NOT registered; used as a nested value. */
    record NotRegistered(String text) {
    }
}
