package io.fedprune.actors.testkit;

import io.fedprune.actors.client.Client;
import io.fedprune.actors.clock.Clock;
import io.fedprune.actors.clock.ClockService;
import io.fedprune.core.compress.WireCodec;
import java.time.Duration;
import java.util.Arrays;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * A scripted stand-in for a client, for protocol tests of a strategy or an aggregator: it answers
 * each request with a model computed from the one it received ({@link Answer}), after a delay on
 * the run's clock, and can fail, never answer, hold virtual time, drop out, send stale, malicious or
 * corrupt updates.
 * Scripts are immutable; each modifier returns a new one.
 *
 * <pre>{@code
 * FakeClient.towards(target, 0.5).after(Duration.ofSeconds(2)).samples(100)
 * FakeClient.scaled(-10)                       // a malicious client: the model sign-flipped, x10
 * FakeClient.towards(target, 0.5).droppingOutAfter(3)
 * }</pre>
 */
public final class FakeClient {

    /** The model a client sends back, from the model it was sent (never modify {@code received}). */
    @FunctionalInterface
    public interface Answer {
        float[] answer(float[] received, long version);
    }

    /** How a fake client misbehaves, beyond its answer. */
    public enum Fault {
        /** Answers as scripted. */
        NONE,
        /** Answers with {@link Client.Failed}. */
        FAILS,
        /** Never answers (but lets clock time move on: a straggler a deadline must cut). */
        NEVER_ANSWERS,
        /**
         * Never answers and never reports its request handled: a device still training, which
         * virtual time waits for (until the client stops: then it is a dropout).
         */
        HOLDS,
        /** Sends bytes that are no model. */
        CORRUPT
    }

    /**
     * @param staleBy          claims to have started from a version this much older than the one it was sent
     * @param answersThenStops stops (a dropout) after this many answers; 0 = never
     * @param slowAfter        after this many answers the delay becomes {@code slowDelayMicros}
     *                         (a device that slows down); 0 = never
     */
    public record Script(Answer answer, long delayMicros, long samples, Fault fault, long staleBy,
                         int answersThenStops, int slowAfter, long slowDelayMicros) {

        public Script(Answer answer, long delayMicros, long samples, Fault fault, long staleBy, int answersThenStops) {
            this(answer, delayMicros, samples, fault, staleBy, answersThenStops, 0, 0);
        }

        public Script {
            if (answer == null || fault == null) {
                throw new IllegalArgumentException("an answer and a fault (NONE) are required");
            }
            if (delayMicros < 0 || samples < 1 || staleBy < 0 || answersThenStops < 0 || slowAfter < 0
                    || slowDelayMicros < 0) {
                throw new IllegalArgumentException("delays, stale-by and answers must be >= 0 and samples >= 1");
            }
        }

        /** Answers {@code delay} of clock time after each request (default: at once). */
        public Script after(Duration delay) {
            return new Script(answer, delay.toNanos() / 1000, samples, fault, staleBy, answersThenStops, slowAfter, slowDelayMicros);
        }

        /** After {@code answers} answers at the scripted pace, answers {@code delay} after each request: a device that slows down. */
        public Script slowingAfter(int answers, Duration delay) {
            return new Script(answer, delayMicros, samples, fault, staleBy, answersThenStops, answers,
                    delay.toNanos() / 1000);
        }

        /** The delay of the answer to request number {@code n} (0 = the first). */
        long delayOf(int n) {
            return slowAfter > 0 && n >= slowAfter ? slowDelayMicros : delayMicros;
        }

        /** Claims {@code n} training samples (default 10). */
        public Script samples(long n) {
            return new Script(answer, delayMicros, n, fault, staleBy, answersThenStops, slowAfter, slowDelayMicros);
        }

        /** Stops itself after {@code n} answers: a dropout. */
        public Script droppingOutAfter(int n) {
            return new Script(answer, delayMicros, samples, fault, staleBy, n, slowAfter, slowDelayMicros);
        }

        /** Claims a base version {@code versions} older than the one it was sent. */
        public Script stale(long versions) {
            return new Script(answer, delayMicros, samples, fault, versions, answersThenStops, slowAfter, slowDelayMicros);
        }

        public Script failing() {
            return new Script(answer, delayMicros, samples, Fault.FAILS, staleBy, answersThenStops, slowAfter, slowDelayMicros);
        }

        public Script neverAnswering() {
            return new Script(answer, delayMicros, samples, Fault.NEVER_ANSWERS, staleBy, answersThenStops, slowAfter, slowDelayMicros);
        }

        public Script holding() {
            return new Script(answer, delayMicros, samples, Fault.HOLDS, staleBy, answersThenStops, slowAfter, slowDelayMicros);
        }

        public Script corrupt() {
            return new Script(answer, delayMicros, samples, Fault.CORRUPT, staleBy, answersThenStops, slowAfter, slowDelayMicros);
        }
    }

    private FakeClient() {
    }

    /** An honest client whose data pulls the model a {@code rate} of the way towards {@code target}. */
    public static Script towards(float[] target, double rate) {
        float[] t = target.clone();
        return of((received, v) -> {
            float[] out = new float[received.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (received[i] + rate * (t[i] - received[i]));
            }
            return out;
        });
    }

    /** Always sends {@code value} everywhere. */
    public static Script constant(float value) {
        return of((received, v) -> {
            float[] out = new float[received.length];
            Arrays.fill(out, value);
            return out;
        });
    }

    /** A malicious client: the model it was sent times {@code factor} (negative: sign-flipped). */
    public static Script scaled(double factor) {
        return of((received, v) -> {
            float[] out = new float[received.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (received[i] * factor);
            }
            return out;
        });
    }

    /** A client whose update is NaN everywhere. */
    public static Script nan() {
        return constant(Float.NaN);
    }

    /** Any answer. */
    public static Script of(Answer answer) {
        return new Script(answer, 0, 10, Fault.NONE, 0, 0);
    }

    /**
     * The behaviour of client {@code id} following {@code script}: decodes and encodes models with
     * {@code codec}, sends through {@code clocks} (virtual or real).
     */
    public static Behavior<Client.Command> behavior(int id, Script script, WireCodec codec, ClockService clocks) {
        return Behaviors.setup(ctx -> {
            Clock clock = clocks.forActor(ctx);
            int[] answered = {0};
            return Behaviors.receiveMessage(m -> {
                if (!(m instanceof Client.TrainRequest r)) {
                    clock.handled();
                    return Behaviors.same(); // residual downloads and the like: not scripted
                }
                long base = Math.max(0, r.version() - script.staleBy());
                switch (script.fault()) {
                    case NEVER_ANSWERS -> {
                        clock.handled();
                        return Behaviors.same();
                    }
                    case HOLDS -> {
                        return Behaviors.same();
                    }
                    case FAILS -> clock.send(r.replyTo(), new Client.Failed(id, base, r.round(), "scripted failure"),
                            script.delayOf(answered[0]));
                    case CORRUPT -> clock.send(r.replyTo(), new Client.Trained(id, base, r.round(),
                            new byte[] {1, 2, 3, 4, 5, 6, 7}, script.samples(), 0.1), script.delayOf(answered[0]));
                    case NONE -> {
                        float[] model = script.answer().answer(codec.decode(r.model()), r.version());
                        clock.send(r.replyTo(), new Client.Trained(id, base, r.round(), codec.encode(model),
                                script.samples(), 0.1), script.delayOf(answered[0]));
                    }
                    default -> throw new IllegalStateException("unknown fault " + script.fault());
                }
                clock.handled();
                answered[0]++;
                return script.answersThenStops() > 0 && answered[0] >= script.answersThenStops()
                        ? Behaviors.stopped() : Behaviors.same();
            });
        });
    }
}
