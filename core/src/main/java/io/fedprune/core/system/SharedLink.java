package io.fedprune.core.system;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.TreeMap;

/**
 * One server-side link shared by concurrent transfers (PR-FL's "uploads compete for the server's
 * download capacity"), as processor sharing: the capacity is split max-min fairly, each transfer
 * getting min(its client-side cap, fair share) with what a capped transfer leaves redistributed
 * among the others. Rates change only when a transfer starts, ends, is dropped or the capacity
 * changes, so the model moves event by event: the caller asks {@link #nextCompletionMicros()},
 * lets time pass, and {@link #advanceTo} returns what completed.
 *
 * <p>Transfers are kept in id order and completions returned in that order, so a run is a function
 * of the order in which transfers are started, not of hash or thread order. Times are virtual
 * microseconds; a completion is rounded up to the microsecond, as {@link DeviceProfile} rounds.
 */
public final class SharedLink {

    /** A transfer that ended at {@code atMicros}. */
    public record Completed(long id, long atMicros) {
    }

    private static final class Transfer {
        final long id;
        final double capBytesPerSecond;
        double remainingBytes;
        double rate;

        Transfer(long id, double bytes, double cap) {
            this.id = id;
            this.remainingBytes = bytes;
            this.capBytesPerSecond = cap;
        }
    }

    private final TreeMap<Long, Transfer> active = new TreeMap<>();
    private double capacityBytesPerSecond;
    private long nowMicros;

    /** @param capacityBytesPerSecond the server side's rate, split among concurrent transfers */
    public SharedLink(double capacityBytesPerSecond) {
        this.capacityBytesPerSecond = positiveRate("capacity", capacityBytesPerSecond);
    }

    /**
     * Starts transfer {@code id} of {@code bytes} at {@code nowMicros}, at most {@code capBytesPerSecond}
     * (the client's own link). Time first advances to {@code nowMicros}: what completed by then is returned.
     */
    public List<Completed> start(long id, long bytes, double capBytesPerSecond, long nowMicros) {
        if (bytes < 0) {
            throw new IllegalArgumentException("transfer " + id + ": bytes must be >= 0, got " + bytes);
        }
        positiveRate("transfer " + id + ": client rate cap", capBytesPerSecond);
        if (active.containsKey(id)) {
            throw new IllegalArgumentException("transfer " + id + " is already under way");
        }
        List<Completed> done = advanceTo(nowMicros);
        active.put(id, new Transfer(id, bytes, capBytesPerSecond));
        share();
        if (bytes == 0) {
            done = new ArrayList<>(done);
            done.addAll(advanceTo(nowMicros)); // an empty transfer ends where it starts
        }
        return done;
    }

    /** Sets the server-side capacity from {@code nowMicros} on (a redraw); returns what completed before. */
    public List<Completed> setCapacity(double capacityBytesPerSecond, long nowMicros) {
        positiveRate("capacity", capacityBytesPerSecond);
        List<Completed> done = advanceTo(nowMicros);
        this.capacityBytesPerSecond = capacityBytesPerSecond;
        share();
        return done;
    }

    /** Drops transfer {@code id} (its sender left) at {@code nowMicros}; false if it was not under way. */
    public boolean drop(long id, long nowMicros) {
        if (!active.containsKey(id)) {
            return false;
        }
        advanceTo(nowMicros);
        if (active.remove(id) == null) {
            return false; // it completed on the way there
        }
        share();
        return true;
    }

    /** The earliest time a transfer under way completes at the current rates, or Long.MAX_VALUE if none is. */
    public long nextCompletionMicros() {
        long next = Long.MAX_VALUE;
        for (Transfer t : active.values()) {
            next = Math.min(next, finishMicros(t));
        }
        return next;
    }

    /**
     * Lets time pass to {@code nowMicros} (never backwards), returning the transfers that completed
     * on the way, in completion-time then id order. Rates are re-shared after each completion.
     */
    public List<Completed> advanceTo(long nowMicros) {
        if (nowMicros < this.nowMicros) {
            throw new IllegalArgumentException("time must not go backwards: at " + this.nowMicros + " us, asked "
                    + nowMicros + " us");
        }
        List<Completed> done = new ArrayList<>();
        while (true) {
            long next = nextCompletionMicros();
            if (next > nowMicros) {
                break;
            }
            progress(next);
            List<Long> ended = new ArrayList<>();
            for (Transfer t : active.values()) {
                if (finishMicros(t) <= next) {
                    ended.add(t.id);
                }
            }
            for (long id : ended) {
                active.remove(id);
                done.add(new Completed(id, next));
            }
            share();
        }
        progress(nowMicros);
        return done;
    }

    /** Transfers under way. */
    public int active() {
        return active.size();
    }

    /** The rate transfer {@code id} gets now, in bytes per second (0 if it is not under way). */
    public double rateOf(long id) {
        Transfer t = active.get(id);
        return t == null ? 0 : t.rate;
    }

    private void progress(long toMicros) {
        double seconds = (toMicros - nowMicros) / 1e6;
        if (seconds > 0) {
            for (Transfer t : active.values()) {
                t.remainingBytes = Math.max(0, t.remainingBytes - t.rate * seconds);
            }
        }
        nowMicros = toMicros;
    }

    private long finishMicros(Transfer t) {
        if (t.remainingBytes <= 0) {
            return nowMicros;
        }
        long micros = Checks.ceilMicros(t.remainingBytes / t.rate);
        // Floating-point leftovers of a transfer that has as good as ended must not cost an extra microsecond.
        return micros <= 1 && t.remainingBytes <= 1e-9 * t.rate ? nowMicros : Math.addExact(nowMicros, micros);
    }

    /** Max-min fair shares (water-filling): the most constrained transfers are served first. */
    private void share() {
        List<Transfer> byCap = new ArrayList<>(active.values());
        byCap.sort(Comparator.comparingDouble((Transfer t) -> t.capBytesPerSecond).thenComparingLong(t -> t.id));
        double left = capacityBytesPerSecond;
        int n = byCap.size();
        for (Transfer t : byCap) {
            double fair = left / n;
            t.rate = Math.min(t.capBytesPerSecond, fair);
            left -= t.rate;
            n--;
        }
    }

    private static double positiveRate(String what, double bytesPerSecond) {
        if (!(bytesPerSecond > 0) || Double.isInfinite(bytesPerSecond)) {
            throw new IllegalArgumentException(what + " must be a positive, finite number of bytes per second, got "
                    + bytesPerSecond);
        }
        return bytesPerSecond;
    }
}
