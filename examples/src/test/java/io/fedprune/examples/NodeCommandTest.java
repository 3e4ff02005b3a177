package io.fedprune.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void aJournaledAggregatorNodeIsRefusedForAlgorithmsItCannotRestartYet(@TempDir Path dir) {
        CliTest.Result r = CliTest.cli("node", "embedded-fedavg", "--role", "aggregator", "--journal",
                dir.resolve("j").toString(), "--set", "data.dataset=synthetic", "--set", "algorithm=prfl");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("(and restarts fedasync, fedbuff, fedfix), not yet prfl"), r.err());
    }

    @Test
    void theJournalIsTheAggregatorsAndServingTheClients() {
        CliTest.Result journal = CliTest.cli("node", "cluster-fedasync", "--role", "client", "--id", "0",
                "--seed-nodes", "127.0.0.1:1", "--journal", "/tmp/x", "--set", "data.dataset=synthetic");
        assertEquals(2, journal.code());
        assertTrue(journal.err().contains("--journal: the journal is the aggregator node's"), journal.err());
        CliTest.Result serve = CliTest.cli("node", "cluster-fedasync", "--role", "aggregator", "--serve", "--set",
                "data.dataset=synthetic");
        assertEquals(2, serve.code());
        assertTrue(serve.err().contains("--serve: a client node's option"), serve.err());
        CliTest.Result twice = CliTest.cli("node", "cluster-fedasync", "--role", "client", "--id", "1,1",
                "--seed-nodes", "127.0.0.1:1", "--set", "data.dataset=synthetic");
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("--id: each client once"), twice.err());
    }

    @Test
    void aJournalFolderOfAnotherRunIsRefused(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("config.conf"), "fedprune { name = other }\n");
        CliTest.Result r = CliTest.cli("node", "cluster-fedasync", "--role", "aggregator", "--journal", dir.toString(),
                "--set", "data.dataset=synthetic");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("holds the journal of another run"), r.err());
    }

    @Test
    void anUnknownRoleIsAUsageError() {
        CliTest.Result r = CliTest.cli("node", "embedded-fedavg", "--role", "buffer");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--role"), r.err());
    }
}
