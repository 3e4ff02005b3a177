package io.fedprune.examples.ui;

import java.util.List;
import java.util.Map;

/**
 * One update of the live page, as JSON (Jackson writes records by their components).
 *
 * @param rounds        evaluated versions from {@code firstRound} on (each stream sends each once)
 * @param phases        clients per phase, over all clients
 * @param clients       the first {@link LiveState#MAX_ROWS} clients by id
 * @param bytesByKind   direction → kind → bytes; {@code bytesSource} says who counted them
 * @param finished      the stop reason once the run is over, else null
 */
record LiveSnapshot(String name, String algorithm, String dataset, int clientCount, double virtualTimeS,
                    double wallTimeS, int firstRound, List<Point> rounds, long bytesUp, long bytesDown,
                    Map<String, Integer> phases, List<Row> clients, Map<String, Map<String, Long>> bytesByKind,
                    String bytesSource, String finished, Double finalAccuracy, Double bestAccuracy) {

    /** One evaluated version. */
    record Point(long version, double virtualTimeS, double accuracy, double loss, long bytesUp, long bytesDown) {
    }

    /** One client's line in the table. */
    record Row(int id, String phase, long version, Double density, int updatesSent, Long staleness) {
    }
}
