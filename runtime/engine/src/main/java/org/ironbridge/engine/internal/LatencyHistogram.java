package org.ironbridge.engine.internal;

import java.util.Arrays;

/**
 * A small fixed-bucket latency histogram: 36 buckets whose upper bounds grow by about 1.5x (0.1,
 * 0.15, 0.2, 0.3, 0.5, 0.7, 1 ms, ... 30 s, 60 s, then everything slower). Histograms of different
 * minutes or processes add up bucket by bucket, so percentiles over any range come from the stored
 * minutes exactly as from one histogram. Percentiles interpolate linearly within a bucket (capped
 * by the exact maximum), which puts an estimate within about 25 % of the true value: enough for
 * charts.
 *
 * <p>Stored as text, only the non-empty buckets: {@code "index:count,index:count"} (e.g. {@code
 * "6:40,9:2"}), at most about 300 characters. Chosen over HdrHistogram: no dependency, a readable
 * column, and a bounded size; HdrHistogram's precision is not needed for per-minute charts.
 *
 * <p>Not thread-safe: the recorder guards each instance.
 */
final class LatencyHistogram {
    /** Upper bounds of the buckets in microseconds; the last bucket has no bound. */
    static final long[] BOUNDS_US = {
        100, 150, 200, 300, 500, 700, //
        1_000, 1_500, 2_000, 3_000, 5_000, 7_000, //
        10_000, 15_000, 20_000, 30_000, 50_000, 70_000, //
        100_000, 150_000, 200_000, 300_000, 500_000, 700_000, //
        1_000_000, 1_500_000, 2_000_000, 3_000_000, 5_000_000, 7_000_000, //
        10_000_000, 15_000_000, 20_000_000, 30_000_000, 60_000_000
    };

    static final int BUCKETS = BOUNDS_US.length + 1;

    private final long[] counts = new long[BUCKETS];
    private long total;

    /** Adds one value, in microseconds. */
    void add(long micros) {
        int i = Arrays.binarySearch(BOUNDS_US, Math.max(0, micros));
        // an exact bound belongs to its own bucket (upper bounds are inclusive)
        counts[i >= 0 ? i : -i - 1]++;
        total++;
    }

    /** Adds another histogram's counts to this one. */
    void add(LatencyHistogram other) {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] += other.counts[i];
        }
        total += other.total;
    }

    long total() {
        return total;
    }

    /**
     * The estimated value at a quantile, in microseconds.
     *
     * @param q from 0 to 1
     * @param maxMicros the exact maximum: no estimate exceeds it, and it stands for the last
     *     (unbounded) bucket's upper bound
     * @return the estimate, or -1 when the histogram is empty
     */
    double quantile(double q, long maxMicros) {
        if (total == 0) {
            return -1;
        }
        double rank = Math.max(1, Math.ceil(q * total));
        long seen = 0;
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] == 0) {
                continue;
            }
            if (seen + counts[i] >= rank) {
                double lower = i == 0 ? 0 : BOUNDS_US[i - 1];
                double upper = i < BOUNDS_US.length ? BOUNDS_US[i] : Math.max(lower, maxMicros);
                upper = Math.min(upper, Math.max(lower, maxMicros));
                double within = (rank - seen) / counts[i];
                return lower + (upper - lower) * within;
            }
            seen += counts[i];
        }
        return maxMicros;
    }

    /** The text form: non-empty buckets as {@code index:count}, comma-separated; null if empty. */
    String encode() {
        if (total == 0) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < BUCKETS; i++) {
            if (counts[i] > 0) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(i).append(':').append(counts[i]);
            }
        }
        return sb.toString();
    }

    /** Parses the text form; malformed parts are skipped (the column is ours, but be lenient). */
    static LatencyHistogram decode(String text) {
        LatencyHistogram h = new LatencyHistogram();
        if (text == null || text.isBlank()) {
            return h;
        }
        for (String part : text.split(",")) {
            int colon = part.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            try {
                int i = Integer.parseInt(part.substring(0, colon).trim());
                long n = Long.parseLong(part.substring(colon + 1).trim());
                if (i >= 0 && i < BUCKETS && n > 0) {
                    h.counts[i] += n;
                    h.total += n;
                }
            } catch (NumberFormatException e) {
                // skipped
            }
        }
        return h;
    }
}
