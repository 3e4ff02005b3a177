package io.fedprune.actors.client;

import io.fedprune.core.compress.UplinkPayload;
import io.fedprune.core.model.ParameterLayout;
import io.fedprune.core.prune.UpdatePruning;
import io.fedprune.core.system.DeviceProfile;

/** What a {@link Client.TrainRequest}'s upload plan (TT-Prune's ratio and granted rate) does to a round. */
final class UploadPlan {
    private UploadPlan() {
    }

    /** The round's link rates: the granted uplink rate, if any, instead of the device's. */
    static DeviceProfile links(DeviceProfile drawn, Client.TrainRequest request) {
        if (request.uplinkBps() <= 0) {
            return drawn;
        }
        return new DeviceProfile(drawn.id(), drawn.cpuHz(), drawn.cyclesPerSample(), request.uplinkBps(),
                drawn.downlinkBps());
    }

    /** The trained model as uploaded: pruned at the request's ratio against the model received. */
    static float[] prune(Client.TrainRequest request, int length, ParameterLayout layout, UplinkPayload payload,
                         float[] received, float[] trained) {
        if (request.pruneRatio() == 0 || trained.length != length) {
            return trained;
        }
        return UpdatePruning.prune(layout, received, trained, request.pruneRatio(), payload == UplinkPayload.UPDATE);
    }
}
