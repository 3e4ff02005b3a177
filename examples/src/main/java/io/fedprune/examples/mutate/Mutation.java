package io.fedprune.examples.mutate;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Ways bytes get damaged between two nodes: flipped bits, changed bytes and bursts, lost or extra
 * bytes at the end, regions swapped, deleted, inserted or duplicated (a misbehaving buffer), and
 * scrambled header bytes. Each kind returns a new array; the input is never changed. A kind that
 * does not fit a payload (a swap in a 1-byte message) falls back to a bit flip, so every call
 * damages something unless the payload is empty, except where the change happens to be a no-op
 * (a region swapped with an equal one), which the caller detects by comparing bytes.
 */
public enum Mutation {
    BIT_FLIP, MULTI_BIT_FLIP, BYTE_CHANGE, BURST, ZERO_REGION, TRUNCATE, CHOP_TAIL, EXTEND, EXTEND_ZEROS,
    SWAP_REGIONS, DELETE_REGION, INSERT_BYTES, DUPLICATE_REGION, HEADER_SCRAMBLE;

    private static final Mutation[] ALL = values();

    public static Mutation random(SplittableRandom rng) {
        return ALL[rng.nextInt(ALL.length)];
    }

    /** {@code p} damaged this way; for an empty {@code p}, one random byte (extension). */
    public byte[] apply(byte[] p, SplittableRandom rng) {
        int n = p.length;
        if (n == 0) {
            return new byte[] {(byte) rng.nextInt(256)};
        }
        switch (this) {
            case MULTI_BIT_FLIP -> {
                byte[] out = p.clone();
                int flips = rng.nextInt(2, 9);
                for (int k = 0; k < flips; k++) {
                    int bit = rng.nextInt(8 * n);
                    out[bit >>> 3] ^= (byte) (1 << (bit & 7));
                }
                return out;
            }
            case BYTE_CHANGE -> {
                byte[] out = p.clone();
                out[rng.nextInt(n)] ^= (byte) rng.nextInt(1, 256);
                return out;
            }
            case BURST -> {
                byte[] out = p.clone();
                int len = Math.min(n, rng.nextInt(2, 17));
                int at = rng.nextInt(n - len + 1);
                for (int i = at; i < at + len; i++) {
                    out[i] = (byte) rng.nextInt(256);
                }
                return out;
            }
            case ZERO_REGION -> {
                byte[] out = p.clone();
                int len = Math.min(n, rng.nextInt(1, 33));
                int at = rng.nextInt(n - len + 1);
                Arrays.fill(out, at, at + len, (byte) 0);
                return out;
            }
            case TRUNCATE -> {
                return Arrays.copyOf(p, rng.nextInt(n));
            }
            case CHOP_TAIL -> {
                return Arrays.copyOf(p, Math.max(0, n - rng.nextInt(1, 5)));
            }
            case EXTEND -> {
                byte[] out = Arrays.copyOf(p, n + rng.nextInt(1, 17));
                for (int i = n; i < out.length; i++) {
                    out[i] = (byte) rng.nextInt(256);
                }
                return out;
            }
            case EXTEND_ZEROS -> {
                return Arrays.copyOf(p, n + rng.nextInt(1, 9));
            }
            case SWAP_REGIONS -> {
                if (n < 2) {
                    return BIT_FLIP.apply(p, rng);
                }
                int len = rng.nextInt(1, Math.min(16, n / 2) + 1);
                int a = rng.nextInt(n - 2 * len + 1);
                int b = rng.nextInt(a + len, n - len + 1);
                byte[] out = p.clone();
                System.arraycopy(p, a, out, b, len);
                System.arraycopy(p, b, out, a, len);
                return out;
            }
            case DELETE_REGION -> {
                int len = Math.min(n, rng.nextInt(1, 17));
                int at = rng.nextInt(n - len + 1);
                byte[] out = new byte[n - len];
                System.arraycopy(p, 0, out, 0, at);
                System.arraycopy(p, at + len, out, at, n - at - len);
                return out;
            }
            case INSERT_BYTES -> {
                int len = rng.nextInt(1, 17);
                int at = rng.nextInt(n + 1);
                byte[] out = new byte[n + len];
                System.arraycopy(p, 0, out, 0, at);
                for (int i = at; i < at + len; i++) {
                    out[i] = (byte) rng.nextInt(256);
                }
                System.arraycopy(p, at, out, at + len, n - at);
                return out;
            }
            case DUPLICATE_REGION -> {
                int len = Math.min(n, rng.nextInt(1, 17));
                int at = rng.nextInt(n - len + 1);
                byte[] out = new byte[n + len];
                System.arraycopy(p, 0, out, 0, at + len);
                System.arraycopy(p, at, out, at + len, n - at);
                return out;
            }
            case HEADER_SCRAMBLE -> {
                byte[] out = p.clone();
                int changes = rng.nextInt(1, 5);
                for (int k = 0; k < changes; k++) {
                    out[rng.nextInt(Math.min(n, 24))] = (byte) rng.nextInt(256);
                }
                return out;
            }
            default -> { // BIT_FLIP
                byte[] out = p.clone();
                int bit = rng.nextInt(8 * n);
                out[bit >>> 3] ^= (byte) (1 << (bit & 7));
                return out;
            }
        }
    }
}
