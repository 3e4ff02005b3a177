package io.fedprune.actors;

import io.fedprune.actors.aggregator.Aggregator;
import io.fedprune.actors.aggregator.AggregatorEvent;
import io.fedprune.actors.aggregator.ModelPublished;
import io.fedprune.actors.client.Client;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.server.FederatedServer;
import io.fedprune.core.server.SampleBound;
import io.fedprune.core.strategy.Strategy;
import java.util.Arrays;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;

/** Small fixed "models" for protocol tests: the aggregator only sees vectors and bytes. */
final class TestModels {
    static final int LENGTH = 16;
    static final long FINGERPRINT = 0x1234_5678_9abc_def0L;
    static final WireCodec CODEC = new DenseFloat32Codec(LENGTH, FINGERPRINT);
    /** What a test client may claim to have trained on. */
    static final long MAX_SAMPLES = 10_000;

    private TestModels() {
    }

    static float[] filled(float v) {
        float[] p = new float[LENGTH];
        Arrays.fill(p, v);
        return p;
    }

    static byte[] encoded(float v) {
        return CODEC.encode(filled(v));
    }

    /** A server with the dense codec both ways on whole models. */
    static FederatedServer server(Strategy strategy, float[] initial) {
        return server(strategy, CODEC, UplinkPayload.MODEL, initial);
    }

    static FederatedServer server(Strategy strategy, WireCodec downlink, UplinkPayload payload, float[] initial) {
        return new FederatedServer(strategy, initial, new FederatedServer.Codecs(downlink, spec -> {
            throw new IllegalArgumentException("no other codec in this test: " + spec);
        }, CODEC, payload), SampleBound.atMost(MAX_SAMPLES), 7, !(downlink instanceof DenseFloat32Codec));
    }

    /** Client {@code id}'s answer for version {@code base} of round {@code round}, as its aggregator gets it. */
    static Aggregator.Responded trained(int id, long base, long round, byte[] update, long samples) {
        return new Aggregator.Responded(new Client.Trained(id, base, round, update, samples, 0.1));
    }

    static ModelPublished nextModel(TestProbe<AggregatorEvent> events) {
        AggregatorEvent e = events.receiveMessage();
        if (e instanceof ModelPublished m) {
            return m;
        }
        throw new AssertionError("expected a published model, got " + e);
    }
}
