package io.fedprune.core.compress;

import java.io.ByteArrayOutputStream;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * Lossless zlib (RFC 1950: deflate + Adler-32 checksum, via java.util.zip) over encoded bytes.
 * Inflation is guarded against decompression bombs: the sender declares the inflated size, the
 * receiver checks it against a cap it derives from its own model before allocating, rejects a
 * declaration deflate could not possibly achieve from the bytes received (its best ratio is
 * 1032:1), and fails if the stream inflates to more or fewer bytes than declared or carries bytes
 * after its end.
 */
public final class DeflateStage {
    /** Deflate's maximum compression ratio (a 258-byte match per ~2 bits). */
    static final long MAX_RATIO = 1032;

    private DeflateStage() {
    }

    public static byte[] compress(byte[] raw) {
        Deflater d = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            d.setInput(raw);
            d.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length / 2 + 64);
            byte[] chunk = new byte[8192];
            while (!d.finished()) {
                int n = d.deflate(chunk);
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } finally {
            d.end();
        }
    }

    /**
     * Inflates {@code src[off, off+len)} which must be one complete zlib stream of exactly
     * {@code declaredSize} bytes, with {@code declaredSize <= maxSize}.
     */
    public static byte[] decompress(byte[] src, int off, int len, long declaredSize, long maxSize) {
        if (declaredSize < 0 || declaredSize > maxSize) {
            throw new PayloadFormatException("declared inflated size " + declaredSize + " outside [0, " + maxSize
                    + "] for this model");
        }
        if (declaredSize > MAX_RATIO * len + 64) {
            throw new PayloadFormatException("declared inflated size " + declaredSize + " is impossible from " + len
                    + " deflated bytes");
        }
        byte[] out = new byte[(int) declaredSize];
        Inflater inf = new Inflater();
        try {
            inf.setInput(src, off, len);
            int filled = 0;
            while (filled < out.length) {
                int n = inf.inflate(out, filled, out.length - filled);
                filled += n;
                if (n == 0) {
                    if (inf.finished()) {
                        throw new PayloadFormatException("deflated data inflates to " + filled + " bytes, "
                                + declaredSize + " declared");
                    }
                    if (inf.needsInput() || inf.needsDictionary()) {
                        throw new PayloadFormatException("deflated data truncated after inflating " + filled + " of "
                                + declaredSize + " bytes");
                    }
                }
            }
            if (!inf.finished()) {
                // Output is full; a well-formed stream of exactly this size ends here (possibly
                // after an empty final block). Anything more is a size lie.
                byte[] probe = new byte[1];
                if (inf.inflate(probe) > 0) {
                    throw new PayloadFormatException("deflated data inflates to more than the declared " + declaredSize
                            + " bytes");
                }
                if (!inf.finished()) {
                    throw new PayloadFormatException("deflated data truncated: stream does not end after "
                            + declaredSize + " bytes");
                }
            }
            if (inf.getRemaining() > 0) {
                throw new PayloadFormatException(inf.getRemaining() + " trailing bytes after the end of the deflated data");
            }
            return out;
        } catch (DataFormatException e) {
            throw new PayloadFormatException("corrupt deflated data: " + e.getMessage());
        } finally {
            inf.end();
        }
    }
}
