package org.ironbridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The minute statistics table on H2 and on MariaDB. */
class StatsRepositoryTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Instant M0 = Instant.parse("2026-11-01T10:00:00Z");

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.all("stats_" + COUNTER.incrementAndGet());
    }

    private static MinuteStatsRow row(
            String connection, Instant minute, String writer, int calls, int errors, Instant ok) {
        return new MinuteStatsRow(
                connection,
                minute,
                writer,
                7,
                2,
                1,
                "not_found=1;source_unavailable=1",
                "3:5,10:2",
                120_000,
                calls,
                errors,
                1,
                ok,
                1,
                0,
                1500,
                1500);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void rowsAreWrittenInBatchesAndReadBackByRange(DatabaseSettings s) {
        try (PooledDatabase db = new PooledDatabase(s)) {
            db.migrate();
            StatsRepository stats = new StatsRepository(db.dataSource());
            List<MinuteStatsRow> rows = new ArrayList<>();
            // more rows than one JDBC batch
            for (int m = 0; m < StatsRepository.BATCH + 20; m++) {
                rows.add(row("conn_a", M0.plus(Duration.ofMinutes(m)), "n1/x", 3, 1, null));
            }
            rows.add(row("conn_a", M0, "n2/y", 4, 0, M0.plusSeconds(42)));
            rows.add(row("conn_b", M0, "n1/x", 9, 9, null));
            stats.insert(rows);

            List<MinuteStatsRow> first = stats.range("conn_a", M0, M0.plus(Duration.ofMinutes(2)));
            assertThat(first).hasSize(3);
            assertThat(first.get(0)).isEqualTo(rows.get(0));
            assertThat(first.get(1)).isEqualTo(rows.get(rows.size() - 2));
            assertThat(first.get(2).minute()).isEqualTo(M0.plus(Duration.ofMinutes(1)));
            assertThat(stats.range("conn_a", M0.minusSeconds(60), M0)).isEmpty();

            // the same (connection, minute, writer) twice is refused: every process writes a minute
            // once
            assertThatThrownBy(() -> stats.insert(List.of(rows.get(0))))
                    .isInstanceOf(StoreException.class);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void sourceTotalsAddUpEveryWriterSinceATime(DatabaseSettings s) {
        try (PooledDatabase db = new PooledDatabase(s)) {
            db.migrate();
            StatsRepository stats = new StatsRepository(db.dataSource());
            stats.insert(
                    List.of(
                            row("conn_a", M0, "n1/x", 10, 1, M0.plusSeconds(10)),
                            row("conn_a", M0, "n2/y", 5, 5, null),
                            row("conn_a", M0.plusSeconds(60), "n1/x", 1, 0, M0.plusSeconds(61)),
                            row("conn_a", M0.minusSeconds(3600), "n1/x", 100, 100, null),
                            row("conn_b", M0, "n1/x", 2, 2, null)));

            Map<String, StatsRepository.SourceTotals> totals =
                    stats.sourceTotals(Set.of("conn_a", "conn_b", "conn_c"), M0);
            assertThat(totals)
                    .containsOnlyKeys("conn_a", "conn_b")
                    .containsEntry(
                            "conn_a", new StatsRepository.SourceTotals(16, 6, M0.plusSeconds(61)))
                    .containsEntry("conn_b", new StatsRepository.SourceTotals(2, 2, null));
            assertThat(stats.sourceTotals(Set.of(), M0)).isEmpty();

            assertThat(stats.lastSourceOk("conn_a")).contains(M0.plusSeconds(61));
            assertThat(stats.lastSourceOk("conn_b")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void oldMinutesAreDeleted(DatabaseSettings s) {
        try (PooledDatabase db = new PooledDatabase(s)) {
            db.migrate();
            StatsRepository stats = new StatsRepository(db.dataSource());
            stats.insert(
                    List.of(
                            row("conn_a", M0.minus(Duration.ofDays(9)), "n1/x", 1, 0, null),
                            row("conn_a", M0.minus(Duration.ofDays(8)), "n1/x", 1, 0, null),
                            row("conn_a", M0, "n1/x", 1, 0, null)));
            assertThat(stats.deleteBefore(M0.minus(Duration.ofDays(8)))).isEqualTo(1);
            assertThat(stats.range("conn_a", M0.minus(Duration.ofDays(30)), M0.plusSeconds(60)))
                    .extracting(MinuteStatsRow::minute)
                    .containsExactly(M0.minus(Duration.ofDays(8)), M0);
        }
    }
}
