package io.fedprune.actors.client;

import io.fedprune.actors.clock.ClockService;
import io.fedprune.core.compress.UplinkEncoder;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.train.LocalTrainingConfig;
import io.fedprune.core.train.TrainerPool;
import java.util.function.IntFunction;

/**
 * Everything a client needs that is not its own identity.
 *
 * @param codec       decodes the global model (the configured downlink)
 * @param uplink      gives client {@code id} its own uplink (what it sends, the codec, error
 *                    feedback); stateful parts such as stochastic rounding and the residual must
 *                    not be shared between clients
 * @param uploadBytes the size of every upload when the uplink format's size does not depend
 *                    on the values (dense, quantized dense), else -1. Known in advance, the
 *                    upload's arrival ends the local round and the update is made just before
 *                    it is due; otherwise the bytes exist from the end of compute on.
 * @param network     per-round link redraw and the shared server link, if any
 * @param deviceTests each client's own test split for LocalAlt rounds to score the personalized
 *                    model on; null for none
 * @param memo        rounds a resumed run takes from its journal instead of training
 */
public record ClientSetup(Dataset data, TrainerPool pool, WireCodec codec, IntFunction<UplinkEncoder> uplink,
                          LocalTrainingConfig training, ClockService clock, long uploadBytes, ClientNetwork network,
                          DeviceTests deviceTests, TrainingMemo memo) {

    public ClientSetup {
        if (uploadBytes < -1) {
            throw new IllegalArgumentException("upload size must be >= 0, or -1 for variable, got " + uploadBytes);
        }
        if (network == null) {
            throw new IllegalArgumentException("network is required (ClientNetwork.NONE for independent links)");
        }
        if (memo == null) {
            throw new IllegalArgumentException("memo is required (TrainingMemo.NONE for a run that trains every round)");
        }
    }

    /** Every round trained. */
    public ClientSetup(Dataset data, TrainerPool pool, WireCodec codec, IntFunction<UplinkEncoder> uplink,
                       LocalTrainingConfig training, ClockService clock, long uploadBytes, ClientNetwork network,
                       DeviceTests deviceTests) {
        this(data, pool, codec, uplink, training, clock, uploadBytes, network, deviceTests, TrainingMemo.NONE);
    }

    /** Without device test splits, every round trained. */
    public ClientSetup(Dataset data, TrainerPool pool, WireCodec codec, IntFunction<UplinkEncoder> uplink,
                       LocalTrainingConfig training, ClockService clock, long uploadBytes, ClientNetwork network) {
        this(data, pool, codec, uplink, training, clock, uploadBytes, network, null, TrainingMemo.NONE);
    }

    /** Independent links at their mean rates. */
    public ClientSetup(Dataset data, TrainerPool pool, WireCodec codec, IntFunction<UplinkEncoder> uplink,
                       LocalTrainingConfig training, ClockService clock, long uploadBytes) {
        this(data, pool, codec, uplink, training, clock, uploadBytes, ClientNetwork.NONE);
    }

    /** The same codec both ways on whole models, no error feedback, uploads of variable size. */
    public ClientSetup(Dataset data, TrainerPool pool, WireCodec codec, LocalTrainingConfig training, ClockService clock) {
        this(data, pool, codec, id -> UplinkEncoder.modelOnly(codec), training, clock, -1, ClientNetwork.NONE);
    }
}
