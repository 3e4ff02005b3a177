package io.fedprune.examples.transfer;

import io.fedprune.actors.client.Client;
import io.fedprune.actors.experiment.ExperimentSettings;
import io.fedprune.core.compress.UplinkEncoder;
import io.fedprune.core.compress.WireCodecs;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelFactory;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.ParameterLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.LongFunction;
import org.apache.pekko.actor.typed.ActorRef;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * One kind of model transfer measured by {@code fedprune bench-transfer}: the real message that
 * carries a model between the actors, with a real encoded model in it, and the sink it goes to.
 *
 * @param name    e.g. {@code "mlp train request"}
 * @param sink    the sink's name under the node root ({@link TransferSink#CLIENT} or {@link TransferSink#AGGREGATOR})
 * @param payload the encoded model or update inside the message
 * @param message the message with sequence number {@code seq} (it rides in the version field)
 */
public record TransferCase(String name, String sink, byte[] payload, LongFunction<Object> message) {

    /**
     * Per architecture, the aggregator's {@link Client.TrainRequest} with the global model encoded by
     * the settings' downlink codec, and the client's {@link Client.Trained} with its upload encoded
     * by the uplink codec (payload and codec as configured). Model initialised from the settings'
     * seed on Fashion-MNIST's shape (1x28x28, 10 classes, as every preset); the trained model is
     * the initial one plus seeded noise of 1 % of each weight's scale, so a sparse or quantized
     * uplink sees realistic values.
     */
    public static List<TransferCase> of(ExperimentSettings s, List<ModelArchitecture> models,
                                        ActorRef<Client.Response> replyTo) {
        List<TransferCase> cases = new ArrayList<>();
        for (ModelArchitecture arch : models) {
            ModelSpec spec = new ModelSpec(arch, 1, 28, 28, 10);
            MultiLayerNetwork net = ModelFactory.build(spec, s.optimizer(), s.seed());
            ParameterLayout layout = ParameterLayout.of(net);
            float[] start = net.params().toFloatVector();
            net.close();
            float[] trained = start.clone();
            SplittableRandom rng = new SplittableRandom(s.seed());
            for (int i = 0; i < trained.length; i++) {
                trained[i] += (float) (0.01 * Math.abs(start[i]) * rng.nextGaussian() + 1e-4 * rng.nextGaussian());
            }
            byte[] model = WireCodecs.forSpec(s.codec().downlink(), layout).encode(start);
            byte[] update = new UplinkEncoder(WireCodecs.forSpec(s.codec().uplink(), layout), s.codec().payload(), false)
                    .encode(start, trained).bytes();
            String prefix = arch.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
            cases.add(new TransferCase(prefix + " train request (" + s.codec().downlink().canonical() + ")",
                    TransferSink.CLIENT, model, seq -> new Client.TrainRequest(seq, 1, model, new byte[0], "", 1, 0,
                            1.0, 0.0, 0.0, replyTo)));
            cases.add(new TransferCase(prefix + " update (" + s.codec().uplink().canonical() + ")",
                    TransferSink.AGGREGATOR, update, seq -> new Client.Trained(7, seq, 1, update, 3000, 0.5, Double.NaN)));
        }
        return cases;
    }
}
