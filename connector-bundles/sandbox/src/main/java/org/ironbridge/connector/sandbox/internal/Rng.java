package org.ironbridge.connector.sandbox.internal;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;

/**
 * A small, fast, deterministic pseudo-random generator (SplitMix64). The sandbox derives one from
 * (seed, entity, record index, purpose) for every record, so any record can be generated on its
 * own, in any order, and always comes out the same. Not thread-safe; instances are short-lived.
 */
final class Rng {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    /** A generator seeded by the mix of the given parts. */
    static Rng of(long... parts) {
        return new Rng(mix(parts));
    }

    /** Mixes the parts into one well-distributed 64-bit value; order matters. */
    static long mix(long... parts) {
        long h = 0x632BE59BD9B4E019L;
        for (long p : parts) {
            h = splitMix(h ^ splitMix(p));
        }
        return h;
    }

    static long splitMix(long z) {
        z += GOLDEN;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A double in [0, 1) from a hash value. */
    static double unit(long h) {
        return (h >>> 11) * 0x1.0p-53;
    }

    long nextLong() {
        state += GOLDEN;
        long z = state;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    double nextDouble() {
        return unit(nextLong());
    }

    /** A value in [0, bound). */
    int nextInt(int bound) {
        return (int) ((nextLong() >>> 1) % bound);
    }

    /** A value in [0, bound). */
    long nextLong(long bound) {
        return (nextLong() >>> 1) % bound;
    }

    /** A value in [lo, hi], both inclusive. */
    int between(int lo, int hi) {
        return lo + nextInt(hi - lo + 1);
    }

    boolean chance(double p) {
        return nextDouble() < p;
    }

    <T> T pick(T[] values) {
        return values[nextInt(values.length)];
    }

    <T> T pick(List<T> values) {
        return values.get(nextInt(values.size()));
    }

    /** An index chosen with the given relative weights. */
    int weighted(int... weights) {
        int total = 0;
        for (int w : weights) {
            total += w;
        }
        int x = nextInt(total);
        for (int i = 0; i < weights.length; i++) {
            x -= weights[i];
            if (x < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }

    /** A decimal in [lo, hi) with the given scale. */
    BigDecimal decimal(double lo, double hi, int scale) {
        return BigDecimal.valueOf(lo + (hi - lo) * nextDouble())
                .setScale(scale, RoundingMode.HALF_UP);
    }

    /** A string of n random decimal digits. */
    String digits(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append((char) ('0' + nextInt(10)));
        }
        return sb.toString();
    }
}
