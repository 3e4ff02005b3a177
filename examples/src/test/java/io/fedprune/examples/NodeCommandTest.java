package io.fedprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** `fedprune node`'s usage errors come before the node joins anything, as one line with exit code 2. */
class NodeCommandTest {

    @Test
    void aClientNodeNeedsAnIdAndSeedNodes() {
        CliTest.Result r = CliTest.cli("node", "embedded-fedavg", "--role", "client", "--set",
                "data.dataset=synthetic");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--id N and --seed-nodes"), r.err());
    }

    @Test
    void aClientIdOutsideTheRunsClientsIsRefusedByName() {
        CliTest.Result r = CliTest.cli("node", "embedded-fedavg", "--role", "client", "--id", "7", "--seed-nodes",
                "127.0.0.1:1", "--set", "data.dataset=synthetic");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("client id 7") && r.err().contains("ids 0..2"), r.err());
    }

    @Test
    void anUnknownRoleIsAUsageError() {
        CliTest.Result r = CliTest.cli("node", "embedded-fedavg", "--role", "buffer");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--role"), r.err());
    }
}
