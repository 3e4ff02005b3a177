package io.fedprune.actors.embed;

import io.fedprune.actors.aggregator.AggregatorEvent;
import io.fedprune.actors.aggregator.AggregatorGaveUp;
import io.fedprune.actors.aggregator.ModelPublished;
import io.fedprune.core.compress.WireCodec;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.train.EvalResult;
import io.fedprune.core.train.TrainerPool;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.apache.pekko.actor.NoSerializationVerificationNeeded;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * Listens to an embedded aggregator: scores each published version on the evaluation data (on
 * the trainer pool, off this actor's thread, in version order), hands the service a
 * {@link VersionReport} and completes {@code finished} with the last one, or exceptionally when
 * the aggregator gives up.
 */
final class Progress {

    sealed interface Command extends NoSerializationVerificationNeeded {
    }

    record Event(AggregatorEvent event) implements Command {
    }

    private record Scored(ModelPublished model, EvalResult result, Throwable failure) implements Command {
    }

    /** Watch the aggregator: if it stops before the last version, {@code finished} fails. */
    record Watch(org.apache.pekko.actor.typed.ActorRef<?> aggregator) implements Command {
    }

    private record AggregatorStopped() implements Command {
    }

    private Progress() {
    }

    /**
     * @param test    evaluation data, or null (reports carry NaN accuracy)
     * @param maxRounds the aggregator's version cap (0 = none): its version is the last
     */
    static Behavior<Command> create(TrainerPool pool, WireCodec codec, Dataset test, int batchSize, long maxRounds,
                                    long every, Consumer<VersionReport> onVersion,
                                    CompletableFuture<VersionReport> finished) {
        long start = System.nanoTime();
        boolean[] first = {true};
        return Behaviors.setup(ctx -> Behaviors.receive(Command.class)
                .onMessage(Event.class, e -> {
                    boolean isFirst = first[0] && e.event() instanceof ModelPublished;
                    first[0] &= !isFirst;
                    return onEvent(ctx, e.event(), pool, codec, test, batchSize, maxRounds, every, isFirst, finished);
                })
                .onMessage(Watch.class, w -> {
                    ctx.watchWith(w.aggregator(), new AggregatorStopped());
                    return Behaviors.same();
                })
                .onMessage(AggregatorStopped.class, s -> {
                    if (finished.completeExceptionally(new IllegalStateException("the aggregator stopped before its "
                            + "last version (it failed; see the log)"))) {
                        ctx.getLog().error("the aggregator stopped before its last version");
                    }
                    return Behaviors.same();
                })
                .onMessage(Scored.class, s -> {
                    ModelPublished m = s.model();
                    if (finished.isDone()) {
                        return Behaviors.same(); // the run is over (its pool may be closing): nothing more to report
                    }
                    if (s.failure() != null) {
                        ctx.getLog().error("evaluation of version {} failed", m.version(), s.failure());
                    }
                    EvalResult r = s.failure() == null ? s.result() : null;
                    // a restarted aggregator's first version may be past the cap already (in-flight updates of the killed one)
                    boolean last = m.last() || (maxRounds > 0 && m.version() >= maxRounds);
                    VersionReport report = new VersionReport(m.version(), m.round(),
                            r == null ? Double.NaN : r.accuracy(), r == null ? Double.NaN : r.loss(), m.bytesUp(),
                            m.bytesDown(), m.stats().participants(), (System.nanoTime() - start) / 1e9, last);
                    try {
                        onVersion.accept(report);
                    } catch (RuntimeException e) {
                        ctx.getLog().warn("the service's version callback failed on version {}", m.version(), e);
                    }
                    if (last) {
                        finished.complete(report);
                    }
                    return Behaviors.same();
                })
                .build());
    }

    private static Behavior<Command> onEvent(ActorContext<Command> ctx, AggregatorEvent event, TrainerPool pool,
                                             WireCodec codec, Dataset test, int batchSize, long maxRounds,
                                             long every, boolean first, CompletableFuture<VersionReport> finished) {
        if (event instanceof AggregatorGaveUp g) {
            finished.completeExceptionally(new IllegalStateException("the aggregator gave up after version "
                    + g.version() + ": " + g.reason()));
            return Behaviors.same();
        }
        ModelPublished m = (ModelPublished) event;
        if (finished.isDone() || (maxRounds > 0 && m.version() > maxRounds && !first)) {
            // an update in flight at the cap published past it: not part of the run (as in the CLI's runs)
            return Behaviors.same();
        }
        boolean last = m.last() || (maxRounds > 0 && m.version() >= maxRounds);
        if (!first && !last && m.version() % every != 0) {
            return Behaviors.same(); // scored every `every` versions (fedprune.eval.every), the first and the last
        }
        if (test == null) {
            ctx.getSelf().tell(new Scored(m, null, null));
        } else {
            // the pool's evaluations complete in submission order for one worker; pipeToSelf keeps that order
            ctx.pipeToSelf(pool.evaluate(() -> m.aggregate().length > 0 ? m.aggregate() : codec.decode(m.model()),
                    test, batchSize), (r, e) -> new Scored(m, r, e));
        }
        return Behaviors.same();
    }
}
