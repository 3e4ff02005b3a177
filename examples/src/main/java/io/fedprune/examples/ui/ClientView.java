package io.fedprune.examples.ui;

/**
 * What the live page knows of one client, replaced whole on each of its events (so a reader never
 * sees half an update).
 *
 * @param working          holds work it has not answered yet
 * @param sent             handed its update to the network (uploading until the answer arrives)
 * @param computeEndMicros when its current compute ends, -1 if unknown
 * @param staleness        versions published between its last answered model and its answer, -1 before any
 */
record ClientView(int id, long version, double density, boolean working, boolean sent, long computeEndMicros,
                  int updatesSent, long staleness, boolean dropped) {

    static ClientView fresh(int id) {
        return new ClientView(id, -1, Double.NaN, false, false, -1, 0, -1, false);
    }

    /** The phase at clock time {@code nowMicros}: training, uploading, idle or dropped. */
    String phase(long nowMicros) {
        if (dropped) {
            return "dropped";
        }
        if (!working) {
            return "idle";
        }
        return sent || (computeEndMicros >= 0 && nowMicros >= computeEndMicros) ? "uploading" : "training";
    }
}
