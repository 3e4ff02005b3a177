package io.fedprune.core.data;

import java.util.SplittableRandom;

/** The seeded Fisher–Yates shuffle every part of a run draws its sample orders with. */
public final class Shuffle {
    private Shuffle() {
    }

    /** Shuffles {@code a} in place; the same generator state gives the same order. */
    public static void inPlace(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
