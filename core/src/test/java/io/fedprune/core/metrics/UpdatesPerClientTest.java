package io.fedprune.core.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class UpdatesPerClientTest {

    @Test
    void minIgnoresClientsWithoutUpdates() {
        int[] counts = {0, 12, 3, 0, 6};
        UpdatesPerClient u = UpdatesPerClient.of(counts);
        counts[1] = 99; // a copy was taken
        assertEquals(3, u.min());
        assertEquals(12, u.max());
        assertEquals(4.0, u.maxOverMin());
        assertEquals(21, u.total());
        assertEquals(5, u.clients());
        assertEquals(0, u.get(7));
        assertArrayEquals(new int[] {0, 12, 3, 0, 6}, u.toArray());
    }

    @Test
    void noUpdatesHasNoRatio() {
        assertNull(UpdatesPerClient.none().maxOverMin());
        assertNull(UpdatesPerClient.of(new int[3]).maxOverMin());
        assertEquals(0, UpdatesPerClient.of(new int[3]).min());
        assertEquals(UpdatesPerClient.of(new int[] {1, 2}), UpdatesPerClient.of(new int[] {1, 2}));
    }
}
