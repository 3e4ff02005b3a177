package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class DatasetTest {

    private static Dataset small() {
        // 3 samples of 1x1x2
        return new Dataset("s", new float[] {0f, .1f, .2f, .3f, .4f, .5f}, new int[] {2, 0, 2}, 3, 1, 1, 2);
    }

    @Test
    void accessors() {
        float[] f = {0f, .1f, .2f, .3f, .4f, .5f};
        int[] l = {2, 0, 2};
        Dataset ds = new Dataset("s", f, l, 3, 1, 1, 2);
        assertSame(f, ds.features());
        assertSame(l, ds.labels());
        assertEquals(3, ds.size());
        assertEquals(2, ds.featureSize());
        assertEquals(0, ds.label(1));
        assertArrayEquals(new int[] {1, 0, 2}, ds.classCounts());
    }

    @Test
    void subsetCopiesInGivenOrder() {
        Dataset sub = small().subset(new int[] {2, 1}, "sub");
        assertEquals("sub", sub.name());
        assertArrayEquals(new int[] {2, 0}, sub.labels());
        assertArrayEquals(new float[] {.4f, .5f, .2f, .3f}, sub.features());
        assertEquals(3, sub.numClasses());
        assertThrows(IndexOutOfBoundsException.class, () -> small().subset(new int[] {3}, "bad"));
    }

    @Test
    void rejectsWrongFeatureLength() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("s", new float[5], new int[] {0, 1, 0}, 2, 1, 1, 2));
        assertTrue(e.getMessage().contains("expected features.length") && e.getMessage().contains("= 6 but was 5"), e.getMessage());
    }

    @Test
    void rejectsLabelOutOfRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Dataset("s", new float[3], new int[] {0, 3, 1}, 3, 1, 1, 1));
        assertTrue(e.getMessage().contains("label 3 at index 1") && e.getMessage().contains("0..2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Dataset("s", new float[1], new int[] {-1}, 3, 1, 1, 1));
    }

    @Test
    void rejectsBadShape() {
        assertThrows(IllegalArgumentException.class, () -> new Dataset("s", new float[0], new int[0], 3, 0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new Dataset("s", new float[0], new int[0], 0, 1, 1, 1));
    }
}
