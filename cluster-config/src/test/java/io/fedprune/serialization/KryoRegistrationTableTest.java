package io.fedprune.serialization;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class KryoRegistrationTableTest {

    /** Fake provider with a configurable block. */
    private abstract static class Fake implements KryoRegistrations {
        private final int base;
        private final List<Class<?>> classes;

        Fake(int base, List<Class<?>> classes) {
            this.base = base;
            this.classes = classes;
        }

        @Override
        public int idBase() {
            return base;
        }

        @Override
        public List<Class<?>> classes() {
            return classes;
        }
    }

    private static final class AlphaRegistrations extends Fake {
        AlphaRegistrations(int base, List<Class<?>> classes) {
            super(base, classes);
        }
    }

    private static final class BetaRegistrations extends Fake {
        BetaRegistrations(int base, List<Class<?>> classes) {
            super(base, classes);
        }
    }

    record A() {
    }

    record B() {
    }

    record C() {
    }

    @Test
    void overlappingIdRangesFailNamingBothProviders() {
        var alpha = new AlphaRegistrations(1000, List.of(A.class, B.class));
        var beta = new BetaRegistrations(1001, List.of(C.class));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KryoRegistrationTable.of(List.of(alpha, beta)));
        assertTrue(e.getMessage().contains(AlphaRegistrations.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(BetaRegistrations.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
    }

    @Test
    void classRegisteredByTwoProvidersFailsNamingBoth() {
        var alpha = new AlphaRegistrations(1000, List.of(A.class));
        var beta = new BetaRegistrations(2000, List.of(B.class, A.class));
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> KryoRegistrationTable.of(List.of(alpha, beta)));
        assertTrue(e.getMessage().contains(A.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(AlphaRegistrations.class.getName()), e.getMessage());
        assertTrue(e.getMessage().contains(BetaRegistrations.class.getName()), e.getMessage());
    }

    @Test
    void classRegisteredTwiceByOneProviderFails() {
        var alpha = new AlphaRegistrations(1000, List.of(A.class, A.class));
        assertThrows(IllegalStateException.class, () -> KryoRegistrationTable.of(List.of(alpha)));
    }

    @Test
    void reservedIdsAndKryoBuiltInsAreRefused() {
        assertThrows(IllegalStateException.class,
                () -> KryoRegistrationTable.of(List.of(new AlphaRegistrations(99, List.of(A.class)))));
        assertThrows(IllegalStateException.class,
                () -> KryoRegistrationTable.of(List.of(new AlphaRegistrations(1000, List.of(String.class)))));
    }

    @Test
    void adjacentRangesAndEmptyProvidersAreFine() {
        var alpha = new AlphaRegistrations(1000, List.of(A.class, B.class));
        var beta = new BetaRegistrations(1002, List.of(C.class));
        var empty = new BetaRegistrations(1000, List.of());
        KryoRegistrationTable table = KryoRegistrationTable.of(List.of(alpha, beta, empty));
        assertEquals(List.of(1000, 1001, 1002), table.entries().stream().map(KryoRegistrationTable.Entry::id).toList());
    }

    @Test
    void idsDoNotDependOnProviderOrder() {
        var alpha = new AlphaRegistrations(1000, List.of(A.class, B.class));
        var beta = new BetaRegistrations(500, List.of(C.class));
        KryoRegistrationTable one = KryoRegistrationTable.of(List.of(alpha, beta));
        KryoRegistrationTable two = KryoRegistrationTable.of(List.of(beta, alpha));
        assertEquals(one.fingerprint(), two.fingerprint());
        assertEquals(one.entries().stream().map(e -> e.id() + "=" + e.type()).sorted().toList(),
                two.entries().stream().map(e -> e.id() + "=" + e.type()).sorted().toList());
    }

    @Test
    void discoveryFindsCoreAndTestProviders() {
        KryoRegistrationTable table = KryoRegistrationTable.discover(getClass().getClassLoader());
        assertTrue(table.entries().stream().anyMatch(e -> e.id() == CoreKryoRegistrations.ID_BASE
                && e.type() == byte[].class));
        assertTrue(table.entries().stream().anyMatch(e -> e.type() == TestMessages.Payload.class
                && e.id() == TestKryoRegistrations.idOf(TestMessages.Payload.class)));
    }
}
