package org.ironbridge.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import org.ironbridge.metrics.Metrics;
import org.junit.jupiter.api.Test;

/** The registry's Prometheus output, and the database pool's metrics. */
class MetricsTest {

    @Test
    void countersRecordedAnywhereShowInThePrometheusText() {
        Counter c =
                Counter.builder("ironbridge.test.things")
                        .description("Things counted by the test")
                        .tag("outcome", "ok")
                        .register(Metrics.registry());
        c.increment(3);
        new JvmMemoryMetrics().bindTo(Metrics.registry());
        String text = Metrics.scrape();
        assertThat(text)
                .contains("# TYPE ironbridge_test_things_total counter")
                .contains("ironbridge_test_things_total{outcome=\"ok\"} 3.0")
                .contains("jvm_memory_used_bytes{");
    }

    @Test
    void aHikariPoolReportsItsConnections() throws Exception {
        Path dir =
                Files.createTempDirectory(
                        Files.createDirectories(Path.of("target", "tmp").toAbsolutePath()), "h2-");
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("metrics-test");
        cfg.setJdbcUrl("jdbc:h2:file:" + dir.resolve("db"));
        cfg.setDriverClassName("org.h2.Driver");
        cfg.setMaximumPoolSize(2);
        try (HikariDataSource pool = new HikariDataSource(cfg)) {
            // the pool is running before the tracker is installed, as in the server
            try (Connection c = pool.getConnection()) {
                assertThat(c.isValid(1)).isTrue();
            }
            assertThat(MetricsComponent.trackPool(pool, Metrics.registry())).isTrue();
            assertThat(MetricsComponent.trackPool(pool, Metrics.registry())).isTrue();
            try (Connection c = pool.getConnection()) {
                assertThat(Metrics.scrape())
                        .contains("hikaricp_connections_active{pool=\"metrics-test\"} 1.0")
                        .contains("hikaricp_connections_max{pool=\"metrics-test\"} 2.0")
                        .contains(
                                "hikaricp_connections_acquire_seconds_count{pool=\"metrics-test\"}");
            }
        }
        assertThat(
                        MetricsComponent.trackPool(
                                new org.h2.jdbcx.JdbcDataSource(), Metrics.registry()))
                .isFalse();
    }
}
