package io.fedprune.examples.split;

import io.fedprune.actors.clock.VirtualClock;
import io.fedprune.actors.clock.VirtualClockService;
import io.fedprune.actors.split.FedServer;
import io.fedprune.actors.split.SplitClient;
import io.fedprune.actors.split.SplitServer;
import io.fedprune.core.compress.CutLayerCodec;
import io.fedprune.core.compress.DenseFloat32Codec;
import io.fedprune.core.compress.UniformQuantizer;
import io.fedprune.core.data.Dataset;
import io.fedprune.core.data.FashionMnist;
import io.fedprune.core.data.IidPartitioner;
import io.fedprune.core.data.Shard;
import io.fedprune.core.model.ModelArchitecture;
import io.fedprune.core.model.ModelSpec;
import io.fedprune.core.model.OptimizerSpec;
import io.fedprune.core.split.ActivationDropout;
import io.fedprune.core.split.ClientPart;
import io.fedprune.core.split.ClientSide;
import io.fedprune.core.split.CutPoint;
import io.fedprune.core.split.ServerPart;
import io.fedprune.core.split.ServerSide;
import io.fedprune.core.split.SplitNetworks;
import io.fedprune.core.split.SplitParameters;
import io.fedprune.core.system.DeviceProfile;
import io.fedprune.core.train.EvalResult;
import io.fedprune.core.train.LocalTrainer;
import io.fedprune.serialization.FedpruneConfig;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A first SplitFed V2 run on Fashion-MNIST in virtual time, not yet a preset of the experiment
 * runner: {@code model cut dropout gradientBits clients rounds stepsPerRound} (defaults
 * {@code mlp 1 0.25 8 10 5 20}). Clients alternate between a fast and a slow device; the client
 * parts are averaged every round. Prints each round and, at the end, the whole model's test
 * accuracy (averaged client part + shared server part) with the bytes that moved.
 */
public final class SplitFedDemo {
    private SplitFedDemo() {
    }

    public static void main(String[] args) throws Exception {
        ModelArchitecture arch = ModelArchitecture.parse(arg(args, 0, "mlp"));
        int cutAt = Integer.parseInt(arg(args, 1, "1"));
        double dropoutRate = Double.parseDouble(arg(args, 2, "0.25"));
        int bits = Integer.parseInt(arg(args, 3, "8"));
        int n = Integer.parseInt(arg(args, 4, "10"));
        int rounds = Integer.parseInt(arg(args, 5, "5"));
        int steps = Integer.parseInt(arg(args, 6, "20"));
        int batch = 32;
        long seed = 1;
        Dataset train = FashionMnist.train(FashionMnist.DEFAULT_DIR);
        Dataset test = FashionMnist.test(FashionMnist.DEFAULT_DIR);
        ModelSpec spec = new ModelSpec(arch, 1, 28, 28, 10);
        CutPoint cut = CutPoint.of(spec, cutAt);
        OptimizerSpec opt = OptimizerSpec.sgd(0.05);
        SplitParameters start = SplitNetworks.initial(cut, opt, seed);
        ActivationDropout dropout = new ActivationDropout(dropoutRate, seed);
        List<Shard> shards = new IidPartitioner().partition(train.labels(), 10, n, seed);
        DeviceProfile server = new DeviceProfile(0, 1e11, 1e6, 1e9, 1e9);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        CompletableFuture<FedServer.RoundEnded> lastRound = new CompletableFuture<>();
        List<FedServer.RoundEnded> ended = new ArrayList<>();
        AtomicLong now = new AtomicLong();
        long wallStart = System.nanoTime();
        ActorSystem<SplitServer.Command> system = ActorSystem.create(Behaviors.setup(ctx -> {
            ActorRef<VirtualClock.Command> clock = ctx.spawn(VirtualClock.create(now,
                    ctx.spawn(Behaviors.<VirtualClock.Quiescent>ignore(), "quiet"), Duration.ofSeconds(30)), "clock");
            VirtualClockService clocks = new VirtualClockService(clock, now);
            ServerPart serverPart = new ServerPart(cut, opt, seed);
            serverPart.setParameters(start.server());
            ServerSide side = new ServerSide(serverPart, cut, dropout, bits == 32 ? CutLayerCodec.float32()
                    : CutLayerCodec.quantized(UniformQuantizer.stochastic(bits, seed)));
            ActorRef<SplitServer.Command> splitServer = ctx.spawn(SplitServer.create(side, server,
                    1 - cut.clientComputeFraction(), pool, clocks), "split-server");
            SplitClient.Setup setup = new SplitClient.Setup(splitServer, batch, cut.clientComputeFraction(), pool, clocks);
            List<ActorRef<SplitClient.Command>> clients = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                ClientPart part = new ClientPart(cut, opt, seed);
                part.setParameters(start.client());
                // fast: 2 GHz, 20 Mbit/s up; slow: 0.5 GHz, 2 Mbit/s up (1e7 cycles per sample of the whole model)
                DeviceProfile device = i % 2 == 0 ? new DeviceProfile(i, 2e9, 1e7, 2e7, 5e7)
                        : new DeviceProfile(i, 5e8, 1e7, 2e6, 1e7);
                clients.add(ctx.spawn(SplitClient.create(i, shards.get(i), device, seed + i,
                        new ClientSide(part, cut, dropout, CutLayerCodec.float32(), train, i), setup), "client-" + i));
            }
            ActorRef<FedServer.Event> listener = ctx.spawn(Behaviors.setup(lctx -> {
                var c = clocks.forActor(lctx);
                return Behaviors.<FedServer.Event>receiveMessage(e -> {
                    if (e instanceof FedServer.RoundEnded r) {
                        ended.add(r);
                        System.out.printf("round %d at %.2f s virtual: %d answered, mean loss %.4f, up %d B, down %d B%n",
                                r.round(), now.get() / 1e6, r.answered(), r.meanLoss(), r.bytesUp(), r.bytesDown());
                    } else if (e instanceof FedServer.Finished f) {
                        lastRound.complete(ended.get(ended.size() - 1));
                    }
                    c.handled();
                    return Behaviors.same();
                });
            }), "listener");
            DenseFloat32Codec partCodec = new DenseFloat32Codec(start.client().length,
                    new ClientPart(cut, opt, seed).layoutFingerprint());
            ActorRef<FedServer.Command> fed = ctx.spawn(FedServer.create(clients, start.client(), partCodec, rounds, steps, 1,
                    listener, clocks), "fed-server");
            clocks.forActor(ctx).send(fed, new FedServer.Start(), 0);
            clock.tell(new VirtualClock.Resume());
            return Behaviors.receiveMessage(m -> {
                splitServer.tell(m);
                return Behaviors.same();
            });
        }), "splitfed", FedpruneConfig.local());
        FedServer.RoundEnded last = lastRound.get();
        SplitServer.ServerPartNow serverNow = AskPattern.<SplitServer.Command, SplitServer.ServerPartNow>ask(system,
                SplitServer.GetServerPart::new, Duration.ofSeconds(30), system.scheduler()).toCompletableFuture().get();
        SplitServer.Stats stats = AskPattern.<SplitServer.Command, SplitServer.Stats>ask(system,
                SplitServer.GetStats::new, Duration.ofSeconds(30), system.scheduler()).toCompletableFuture().get();
        double wall = (System.nanoTime() - wallStart) / 1e9;
        float[] clientPart = new DenseFloat32Codec(start.client().length, new ClientPart(cut, opt, seed).layoutFingerprint())
                .decode(last.clientPart());
        float[] serverPart = new DenseFloat32Codec(start.server().length, new ServerPart(cut, opt, seed).layoutFingerprint())
                .decode(serverNow.part());
        EvalResult eval;
        try (LocalTrainer trainer = new LocalTrainer(spec, opt, seed)) {
            eval = trainer.evaluate(new SplitParameters(clientPart, serverPart).joined(), test, 500);
        }
        System.out.printf("%s cut %d, dropout %.2f, %d-bit gradients, %d clients, %d rounds x %d steps of %d%n", arch, cutAt,
                dropoutRate, bits, n, rounds, steps, batch);
        System.out.printf("test accuracy %.4f, loss %.4f; virtual %.2f s, wall %.1f s%n", eval.accuracy(), eval.loss(),
                now.get() / 1e6, wall);
        System.out.printf("server steps %d; activations up %d B (%.0f B/step), gradients down %d B (%.0f B/step)%n",
                stats.steps(), stats.bytesUp(), (double) stats.bytesUp() / stats.steps(), stats.bytesDown(),
                (double) stats.bytesDown() / stats.steps());
        long keptExpected = Math.round((1 - dropoutRate) * batch * cut.activationSize());
        System.out.printf("formula at the expected keep count %d: up %d B/step, down %d B/step%n", keptExpected,
                CutLayerCodec.activationBytes((int) keptExpected, batch, 10, 32),
                CutLayerCodec.gradientBytes((int) keptExpected, bits));
        system.terminate();
        pool.shutdownNow();
    }

    private static String arg(String[] args, int i, String fallback) {
        return args.length > i ? args[i] : fallback;
    }
}
