package io.fedprune.examples.cli;

import io.fedprune.actors.experiment.JournalSettings;
import io.fedprune.actors.journal.JournalStore;
import io.fedprune.actors.journal.RunJournal;
import io.fedprune.core.server.ServerInput;
import io.fedprune.serialization.FedpruneConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.zip.CRC32C;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code fedprune journal DIR [--against REF]}: what a journaled run's journal holds, and, against
 * the journal of the same run left uninterrupted, how many of its updates are lost or there twice.
 */
@Command(name = "journal", mixinStandardHelpOptions = true,
        description = {"Count what the journal of a journaled run (fedprune run --journal) holds: inputs of the "
                + "server, updates (each with its bytes), stale updates. With --against REF (the folder of the same run "
                + "uninterrupted): whether the two journals are the same input for input, and the updates REF "
                + "journaled that DIR lacks (lost) or holds more often (twice)."})
public final class JournalCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "DIR", description = "the output folder of a journaled run")
    Path dir;

    @Option(names = "--against", paramLabel = "REF", description = "the output folder of the same run, uninterrupted")
    Path against;

    @Option(names = "--updates", description = "also list every journaled update: client, base version, round, "
            + "bytes, stale (what the cluster drills match against what clients sent)")
    boolean list;

    @Option(names = "--inputs", description = "also list every journaled input of the server, in order")
    boolean inputs;

    @Override
    public Integer call() {
        List<ServerInput> mine = read(dir);
        if (inputs) {
            for (int i = 0; i < mine.size(); i++) {
                System.out.printf("%d %s%n", i + 1, mine.get(i));
            }
        }
        if (list) {
            for (ServerInput i : mine) {
                if (i instanceof ServerInput.Update u) {
                    System.out.printf("update %d %d %d %d %s%n", u.clientId(), u.baseVersion(), u.round(),
                            u.bytes().length, u.stale() ? "stale" : "fresh");
                }
            }
        }
        Map<String, Integer> updates = updates(mine);
        long stale = mine.stream().filter(i -> i instanceof ServerInput.Update u && u.stale()).count();
        System.out.printf("journal %s: %d inputs, %d updates (%d stale)%n", dir, mine.size(),
                updates.values().stream().mapToInt(Integer::intValue).sum(), stale);
        if (against == null) {
            return FedpruneCli.OK;
        }
        List<ServerInput> ref = read(against);
        int same = 0;
        while (same < Math.min(ref.size(), mine.size()) && ref.get(same).sameAs(mine.get(same))) {
            same++;
        }
        Map<String, Integer> expected = updates(ref);
        long lost = 0;
        long twice = 0;
        for (Map.Entry<String, Integer> e : expected.entrySet()) {
            lost += Math.max(0, e.getValue() - updates.getOrDefault(e.getKey(), 0));
        }
        for (Map.Entry<String, Integer> e : updates.entrySet()) {
            twice += Math.max(0, e.getValue() - expected.getOrDefault(e.getKey(), 0));
        }
        boolean identical = same == ref.size() && same == mine.size();
        System.out.printf("against %s: %d inputs; %s; updates lost %d, twice %d%n", against, ref.size(),
                identical ? "identical, input for input" : "they differ from input " + (same + 1), lost, twice);
        return identical && lost == 0 && twice == 0 ? FedpruneCli.OK : FedpruneCli.RUN_FAILED;
    }

    /** Each update's identity (client, version, round, arrival, bytes) and how often it was journaled. */
    static Map<String, Integer> updates(List<ServerInput> inputs) {
        Map<String, Integer> count = new TreeMap<>();
        for (ServerInput i : inputs) {
            if (i instanceof ServerInput.Update u) {
                CRC32C crc = new CRC32C();
                crc.update(u.bytes());
                count.merge(u.clientId() + "/" + u.baseVersion() + "/" + u.round() + "@" + u.nowMicros() + "#"
                        + Long.toHexString(crc.getValue()), 1, Integer::sum);
            }
        }
        return count;
    }

    static List<ServerInput> read(Path run) {
        if (!Files.isRegularFile(run.resolve("config.conf"))) {
            throw new OutputException("output folder " + run + " holds no config.conf; expected a journaled run's folder");
        }
        RunJob job = RunJob.load(run.resolve("config.conf").toString(), List.of(), run);
        JournalSettings j = job.journal().inFolder(run.resolve("journal"));
        if (!j.enabled()) {
            throw new OutputException("output folder " + run + ": its run was not journaled");
        }
        RunJournal.Recovered r = JournalStore.read(j.pekkoConfig().withFallback(FedpruneConfig.local()),
                j.persistenceId(job.settings().name()));
        return r.inputs();
    }
}
