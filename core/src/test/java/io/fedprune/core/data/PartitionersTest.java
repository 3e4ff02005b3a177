package io.fedprune.core.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PartitionersTest {

    @Test
    void parsesAcceptedForms() {
        assertEquals(new IidPartitioner(), Partitioners.parse("iid"));
        assertEquals(new IidPartitioner(), Partitioners.parse("  IID "));
        assertEquals(new DirichletPartitioner(0.5, 10), Partitioners.parse("dirichlet(0.5)"));
        assertEquals(new DirichletPartitioner(0.5, 10), Partitioners.parse(" Dirichlet ( 0.5 ) "));
        assertEquals(new DirichletPartitioner(1e-3, 10), Partitioners.parse("DIRICHLET(1E-3)"));
        assertEquals(new DirichletPartitioner(0.3, 25), Partitioners.parse("dirichlet(0.3, 25)"));
        assertEquals(new ShardPartitioner(2), Partitioners.parse("shards(2)"));
        assertEquals(new ShardPartitioner(2), Partitioners.parse("Shards( 2 )"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  ", "noniid", "dirichlet", "dirichlet()", "dirichlet(abc)", "dirichlet(0)", "dirichlet(-1)",
        "dirichlet(0.5,1,2)", "shards()", "shards(1.5)", "shards(0)", "shards(2", "iid(1)", "pathological(2)"})
    void rejectsOthersNamingAcceptedForms(String spec) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Partitioners.parse(spec));
        assertTrue(e.getMessage().contains("'" + spec + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("'iid'") && e.getMessage().contains("'dirichlet(0.5)'")
                && e.getMessage().contains("'shards(2)'"), e.getMessage());
    }

    @Test
    void rejectsNull() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Partitioners.parse(null));
        assertTrue(e.getMessage().contains("accepted forms"), e.getMessage());
    }
}
