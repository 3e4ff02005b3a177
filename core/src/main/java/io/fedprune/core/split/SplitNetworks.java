package io.fedprune.core.split;

import io.fedprune.core.model.ModelFactory;
import io.fedprune.core.model.OptimizerSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.WorkspaceMode;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;

/**
 * The two DL4J networks of a {@link CutPoint}, made from the unsplit network's configuration
 * layer by layer (each layer's configuration and input preprocessor cloned), so the parts compute
 * exactly what the unsplit network computes: same layers, same shapes, same updater per layer.
 */
public final class SplitNetworks {
    private SplitNetworks() {
    }

    /** Layers {@code 0 .. cut-1}, without an output layer: trained by back-propagating the server's gradient. */
    public static MultiLayerNetwork client(CutPoint cut, OptimizerSpec optimizer, long seed) {
        return build(cut, optimizer, seed, 0, cut.cut());
    }

    /** Layers {@code cut .. n-1}, ending in the output layer (loss). */
    public static MultiLayerNetwork server(CutPoint cut, OptimizerSpec optimizer, long seed) {
        return build(cut, optimizer, seed, cut.cut(), CutPoint.layerCount(cut.spec()));
    }

    /**
     * The starting parameters of both parts: those of the unsplit network built with {@code seed},
     * so a split run starts where FedAvg on the same model and seed starts. The flat parameter
     * vector is in layer order, so it is the client's vector followed by the server's.
     */
    public static SplitParameters initial(CutPoint cut, OptimizerSpec optimizer, long seed) {
        MultiLayerNetwork full = ModelFactory.build(cut.spec(), optimizer, seed);
        float[] all = full.params().toFloatVector();
        MultiLayerNetwork client = client(cut, optimizer, seed);
        int n = Math.toIntExact(client.numParams());
        client.close();
        full.close();
        return SplitParameters.of(all, n);
    }

    private static MultiLayerNetwork build(CutPoint cut, OptimizerSpec optimizer, long seed, int from, int to) {
        MultiLayerConfiguration full = ModelFactory.configuration(cut.spec(), optimizer, seed);
        List<NeuralNetConfiguration> confs = new ArrayList<>();
        Map<Integer, InputPreProcessor> pre = new HashMap<>();
        for (int i = from; i < to; i++) {
            confs.add(full.getConf(i).clone());
            InputPreProcessor p = full.getInputPreProcess(i);
            if (p != null) {
                pre.put(i - from, p.clone());
            }
        }
        MultiLayerConfiguration part = new MultiLayerConfiguration.Builder()
                .confs(confs)
                .inputPreProcessors(pre)
                .validateOutputLayerConfig(false)
                // The client's backward pass and the server's loss read layer inputs after the call
                // that made them returned: they must not live in a workspace that call closed.
                .trainingWorkspaceMode(WorkspaceMode.NONE)
                .inferenceWorkspaceMode(WorkspaceMode.NONE)
                .dataType(full.getDataType())
                .build();
        MultiLayerNetwork net = new MultiLayerNetwork(part);
        net.init();
        return net;
    }
}
