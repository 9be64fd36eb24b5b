package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Random;
import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void quantilesAreWithinAQuarterOfTheTrueValue() {
        Random r = new Random(7);
        long[] values = new long[10_000];
        LatencyHistogram h = new LatencyHistogram();
        long max = 0;
        for (int i = 0; i < values.length; i++) {
            // log-uniform from 0.1 ms to 10 s
            values[i] = (long) Math.pow(10, 2 + 5 * r.nextDouble());
            h.add(values[i]);
            max = Math.max(max, values[i]);
        }
        java.util.Arrays.sort(values);
        for (double q : new double[] {0.5, 0.9, 0.95, 0.99}) {
            double truth = values[(int) Math.ceil(q * values.length) - 1];
            assertThat(h.quantile(q, max)).as("q=%s", q).isCloseTo(truth, within(truth * 0.25));
        }
        assertThat(h.quantile(1.0, max)).isLessThanOrEqualTo(max);
        assertThat(h.total()).isEqualTo(10_000);
    }

    @Test
    void theTextFormRoundTripsAndHistogramsAddUp() {
        LatencyHistogram a = new LatencyHistogram();
        a.add(50); // first bucket (<= 0.1 ms)
        a.add(100); // an exact bound stays in its bucket
        a.add(1_000);
        a.add(90_000_000); // beyond 60 s
        assertThat(a.encode()).isEqualTo("0:2,6:1,35:1");
        LatencyHistogram b = LatencyHistogram.decode(a.encode());
        assertThat(b.encode()).isEqualTo(a.encode());
        b.add(LatencyHistogram.decode("6:3,bad,7:x,99:1"));
        assertThat(b.encode()).isEqualTo("0:2,6:4,35:1");
        assertThat(b.total()).isEqualTo(7);
        assertThat(new LatencyHistogram().encode()).isNull();
        assertThat(new LatencyHistogram().quantile(0.5, 0)).isEqualTo(-1);
        // the slowest bucket is bounded by the exact maximum
        assertThat(a.quantile(1.0, 90_000_000)).isEqualTo(90_000_000);
    }
}
