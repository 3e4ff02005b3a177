package io.fedprune.core.strategy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AlgorithmsTest {

    @Test
    void theRegistryFindsEveryAlgorithmWithItsDefaults() {
        assertEquals(List.of("fedasync", "fedavg", "fedbuff", "fedfix", "heterofl", "personal", "prfl", "splitfed", "tifl", "ttfed"),
                Algorithms.names());
        for (Algorithm<?> a : Algorithms.all()) {
            assertNotNull(a.getClass().getClassLoader().getResource(a.defaultsResource()),
                    a.name() + " must ship its defaults");
            assertTrue(!a.summary().isBlank());
            assertEquals(a, Algorithms.named(a.name()));
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Algorithms.named("fedprox"));
        assertTrue(e.getMessage().contains("unknown algorithm 'fedprox'"), e.getMessage());
        String typo = assertThrows(IllegalArgumentException.class, () -> Algorithms.named("fedbuf")).getMessage();
        assertTrue(typo.endsWith("; did you mean fedbuff?"), typo);
    }

    @Test
    void uniformSelectionIsASeededSampleWithoutReplacement() {
        List<Integer> ids = List.of(3, 5, 8, 13, 21, 34, 55, 89, 144, 233);
        UniformSelector half = new UniformSelector(0.5);
        List<Integer> a = half.select(ids, 1, new SplittableRandom(4));
        assertEquals(a, half.select(ids, 1, new SplittableRandom(4)));
        assertEquals(5, a.size());
        assertEquals(a.stream().sorted().toList(), a);
        assertTrue(ids.containsAll(a));
        assertEquals(a.size(), a.stream().distinct().count());
        assertEquals(List.of(3), new UniformSelector(0.01).select(List.of(3), 1, new SplittableRandom(1)));
        assertEquals(List.of(), new UniformSelector(1).select(List.of(), 1, new SplittableRandom(1)));
        assertThrows(IllegalArgumentException.class, () -> new UniformSelector(0));
        assertThrows(IllegalArgumentException.class, () -> new UniformSelector(1.01));
    }

    @Test
    void decisionsAndDispatchesValidateThemselves() {
        assertTrue(!Decision.keep().publishes());
        assertTrue(Decision.publish(new float[1]).publishes());
        assertThrows(IllegalArgumentException.class, () -> new LocalWork(0, 0));
        assertThrows(IllegalArgumentException.class, () -> new LocalWork(-1, 5));
        assertThrows(IllegalArgumentException.class,
                () -> Dispatch.masked(io.fedprune.core.prune.Mask.none(10)));
        assertEquals(0.3, Dispatch.masked(io.fedprune.core.prune.Mask.fromIndices(10, new int[] {1, 2, 3}))
                .density(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> new RoundOutcome(1, 3, 1, 1, 0, 0));
        assertThrows(IllegalArgumentException.class, () -> Pacing.ticking(0));
        assertThrows(IllegalArgumentException.class, () -> new Pacing.Rounds(null, 0, 0));
    }
}
