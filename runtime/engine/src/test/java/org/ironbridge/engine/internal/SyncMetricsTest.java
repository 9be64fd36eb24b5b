package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import org.ironbridge.metrics.Metrics;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;

/** Syncs count the records they read and their runs by outcome. */
class SyncMetricsTest {
    private static final EntityType V = EntityType.VENDORS;

    private static double records(String kind) {
        Counter c =
                Metrics.registry()
                        .find("ironbridge.sync.records")
                        .tags("system", FakeConnector.SYSTEM, "entity", "vendors", "kind", kind)
                        .counter();
        return c == null ? 0 : c.count();
    }

    private static long runs(String outcome) {
        Timer t =
                Metrics.registry()
                        .find("ironbridge.sync.runs")
                        .tags(
                                "system",
                                FakeConnector.SYSTEM,
                                "entity",
                                "vendors",
                                "outcome",
                                outcome)
                        .timer();
        return t == null ? 0 : t.count();
    }

    @Test
    void aSyncCountsItsRecordsAndItsRun() throws Exception {
        try (Fixture f = new Fixture(TestDatabases.h2("syncmetrics"))) {
            for (int i = 1; i <= 7; i++) {
                f.fake.put(V, "V" + i, FakeConnector.vendor("Vendor " + i, "active"));
                f.clock.advance(Duration.ofMinutes(1));
            }
            double seen = records("seen");
            double changed = records("changed");
            long succeeded = runs("succeeded");
            String id = f.connect("org_a", V).connection().id();
            assertThat(f.sync(id, V)).isTrue();
            assertThat(records("seen") - seen).isEqualTo(7);
            assertThat(records("changed") - changed).isEqualTo(7);
            assertThat(runs("succeeded") - succeeded).isEqualTo(1);
            assertThat(Metrics.scrape())
                    .contains(
                            "ironbridge_sync_records_total{entity=\"vendors\",kind=\"seen\",system=\"fake\"}");
        }
    }
}
