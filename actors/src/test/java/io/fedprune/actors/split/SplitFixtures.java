package io.fedprune.actors.split;

import io.fedprune.core.compress.CutLayerCodec;
import io.fedprune.core.compress.UniformQuantizer;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.Shard;
import io.fedprune.core.data.SyntheticDataset;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.split.ActivationDropout;
import io.fedprune.core.split.ClientParts;
import io.fedprune.core.split.ClientSide;
import io.fedprune.core.split.CutPoint;
import io.fedprune.core.split.ServerPart;
import io.fedprune.core.split.ServerSide;
import io.fedprune.core.split.SplitNetworks;
import io.fedprune.core.split.SplitParameters;
import io.fedprune.core.system.DeviceProfile;
import java.util.stream.IntStream;

/** A tiny split MLP, its data, devices and parts, shared by the split protocol tests. */
final class SplitFixtures {
    private SplitFixtures() {
    }

    static final ModelSpec SPEC = new ModelSpec(ModelArchitecture.MLP, 1, 6, 6, 4, 0.1); // 36-20-4
    static final CutPoint CUT = CutPoint.of(SPEC, 1);
    static final OptimizerSpec SGD = OptimizerSpec.sgd(0.1);
    static final Dataset DATA = SyntheticDataset.gaussianClusters(64, 4, 1, 6, 6, 0.2, 5);
    static final SplitParameters START = SplitNetworks.initial(CUT, SGD, 1);
    static final ActivationDropout DROPOUT = new ActivationDropout(0.5, 77);
    static final int BATCH = 8;
    // 1 GHz, 1e6 cycles per sample: 1 ms per sample for the whole model; 1 Mbit/s both ways
    static final DeviceProfile SLOW = new DeviceProfile(0, 1e9, 1e6, 1e6, 1e6);
    static final DeviceProfile FAST = new DeviceProfile(1, 1e10, 1e6, 1e7, 1e7);
    static final DeviceProfile SERVER = new DeviceProfile(0, 1e11, 1e6, 1e9, 1e9);

    static ServerSide serverSide(int bits) {
        ServerPart part = new ServerPart(CUT, SGD, 1);
        part.setParameters(START.server());
        return new ServerSide(part, CUT, DROPOUT, bits == 32 ? CutLayerCodec.float32()
                : CutLayerCodec.quantized(UniformQuantizer.stochastic(bits, 5)));
    }

    /** Client-part networks, one per thread, shared by every client side of the tests. */
    static final ClientParts PARTS = new ClientParts(CUT, SGD, 1);

    static ClientSide clientSide(int id) {
        return new ClientSide(PARTS, START.client(), DROPOUT, CutLayerCodec.float32(), DATA, id, null);
    }

    static Shard shard(int id) {
        return new Shard(id, IntStream.range(id * 32, id * 32 + 32).toArray());
    }

}
