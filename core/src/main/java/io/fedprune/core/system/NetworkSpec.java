package io.fedprune.core.system;

import java.util.ArrayList;
import java.util.List;

/**
 * PR-FL's network model beside the fleet: an optional explicit table of per-client mean link
 * speeds (replacing the fleet's generated links), a per-round redraw of every client's rates, and
 * the server's shared link. {@link #NONE} leaves the fleet exactly as {@link DeviceFleet} makes it.
 *
 * @param unit        what the table's and the server's numbers mean
 * @param clients     one entry per client, or empty to keep the fleet's devices
 * @param redrawSigma sigma of the per-round redraw of client rates ({@link LinkRedraw}), 0 = none
 * @param redrawDraws draws averaged per redraw
 * @param server      the server side
 */
public record NetworkSpec(SpeedUnit unit, List<ClientLink> clients, double redrawSigma, int redrawDraws,
                          ServerLinkSpec server) {

    /** Nothing beyond the fleet: generated devices, constant rates, no shared link. */
    public static final NetworkSpec NONE = new NetworkSpec(SpeedUnit.MBPS, List.of(), 0, 20,
            new ServerLinkSpec(10, 50, 0, false));

    public NetworkSpec {
        if (unit == null || server == null) {
            throw new IllegalArgumentException("unit and server are required");
        }
        clients = clients == null ? List.of() : List.copyOf(clients);
        Checks.nonNegativeFinite("redraw sigma", redrawSigma);
        if (redrawDraws < 1) {
            throw new IllegalArgumentException("redraw draws must be >= 1, got " + redrawDraws);
        }
    }

    /**
     * The devices of a run: the fleet's, or with a table, each client's mean rates from it and its
     * CPU the fleet's base cpu-hz times its compute scale.
     *
     * @param denseModelBytes our dense model's size, for {@link SpeedUnit#PAPER_MB}
     */
    public List<DeviceProfile> devices(FleetSpec fleet, int numClients, long seed, long denseModelBytes) {
        if (clients.isEmpty()) {
            return DeviceFleet.generate(fleet, numClients, seed);
        }
        if (clients.size() != numClients) {
            throw new IllegalArgumentException(clients.size() + " entries for " + numClients
                    + " clients; expected one per client");
        }
        List<DeviceProfile> devices = new ArrayList<>(numClients);
        for (int i = 0; i < numClients; i++) {
            ClientLink c = clients.get(i);
            devices.add(new DeviceProfile(i, fleet.cpuHz() * c.computeScale(), fleet.cyclesPerSample(),
                    unit.toBps(c.upload(), denseModelBytes), unit.toBps(c.download(), denseModelBytes)));
        }
        return List.copyOf(devices);
    }

    /** The per-round variation of client rates in a run of {@code seed}. */
    public LinkRedraw clientRedraw(long seed) {
        return new LinkRedraw(redrawSigma, redrawDraws, seed);
    }

    /** The per-transfer variation of the server's capacities in a run of {@code seed}. */
    public LinkRedraw serverRedraw(long seed) {
        return new LinkRedraw(server.sigma(), redrawDraws, seed ^ 0x5E7E7L);
    }

    /** Mean server-to-clients capacity in bytes per second. */
    public double serverUploadBytesPerSecond(long denseModelBytes) {
        return unit.toBps(server.upload(), denseModelBytes) / 8;
    }

    /** Mean clients-to-server capacity in bytes per second. */
    public double serverDownloadBytesPerSecond(long denseModelBytes) {
        return unit.toBps(server.download(), denseModelBytes) / 8;
    }
}
