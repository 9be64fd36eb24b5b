package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.ironbridge.engine.internal.ConnectionServiceTest.failure;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.connector.sandbox.internal.SandboxConnectorFactory;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.StatsPoint;
import org.ironbridge.engine.StatsSeries;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.MinuteStatsRow;
import org.ironbridge.store.StatsRepository;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Per-connection minute statistics through the real engine and the sandbox, on H2 and MariaDB: what
 * is counted, that recording never writes, that finished minutes are written in batches, the series
 * the admin API serves, and retention.
 */
class ConnectionStatsTest {
    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("stats");
    }

    private static Fixture fixture(DatabaseSettings s) {
        Fixture f =
                new Fixture(
                        s,
                        new Engine.Settings(2, Duration.ofHours(1), "test-node"),
                        new Engine.Monitoring(
                                ConnectionHealthTest.CIRCUIT, StatsRecorder.DEFAULT_RETENTION));
        f.registry.install(new SandboxConnectorFactory());
        return f;
    }

    private static String sandbox(Fixture f, String... scenario) throws EngineException {
        Map<String, String> credentials = new HashMap<>();
        credentials.put("username", "demo");
        credentials.put("password", "sandbox");
        credentials.put("dataset_size", "20");
        credentials.put("activity_per_minute", "0");
        for (int i = 0; i < scenario.length; i += 2) {
            credentials.put(scenario[i], scenario[i + 1]);
        }
        return f.connections()
                .create(
                        "org_a",
                        new NewConnection(
                                "sandbox",
                                "cust-1",
                                null,
                                null,
                                credentials,
                                new SyncSettings(0, 60, Set.of(EntityType.VENDORS))))
                .connection()
                .id();
    }

    private static long ms(long millis) {
        return millis * 1_000_000L;
    }

    private static List<MinuteStatsRow> stored(Fixture f, String id) {
        return new StatsRepository(f.db.dataSource())
                .range(id, Instant.EPOCH, Instant.parse("2100-01-01T00:00:00Z"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void minutesAreAggregatedInMemoryAndWrittenOnceTheyAreOver(DatabaseSettings s)
            throws Exception {
        try (Fixture f = fixture(s)) {
            StatsRecorder stats = f.engine.stats();
            Instant m0 = Fixture.T0; // 08:00:00
            // the sandbox fails once after the initial sync (call 3), then answers again
            String id =
                    sandbox(
                            f,
                            "faults_after_calls",
                            "2",
                            "error_rate",
                            "1",
                            "error_rate_seconds",
                            "1");
            assertThat(f.sync(id, EntityType.VENDORS)).isTrue(); // one sync run, one source call
            for (int i = 1; i <= 100; i++) {
                stats.recordApiRequest(id, 200, null, ms(i)); // 1 ms ... 100 ms
            }
            stats.recordApiRequest(id, 404, "not_found", ms(2));
            stats.recordApiRequest(id, 503, "source_unavailable", ms(900));
            EngineException failed =
                    failure(
                            () ->
                                    f.records()
                                            .passthrough(
                                                    id,
                                                    new PassthroughRequest(
                                                            "GET", "/vendors", null, null, null)));
            assertThat(failed.code()).isEqualTo(Code.SOURCE_UNAVAILABLE);
            // recording never writes: nothing is stored until a flush
            assertThat(stored(f, id)).isEmpty();

            // the next minute: more requests; the first minute is over but within the grace period
            f.clock.set(m0.plusSeconds(62));
            stats.recordApiRequest(id, 201, null, ms(30));
            f.records()
                    .passthrough(id, new PassthroughRequest("GET", "/vendors", null, null, null));
            assertThat(stats.flush(false)).isZero();
            f.clock.set(m0.plusSeconds(65));
            assertThat(stats.flush(false)).isEqualTo(1);
            List<MinuteStatsRow> rows = stored(f, id);
            assertThat(rows).hasSize(1);
            MinuteStatsRow first = rows.get(0);
            assertThat(first.minute()).isEqualTo(m0);
            assertThat(first.writer()).startsWith("test-node/");
            assertThat(first.apiRequests()).isEqualTo(102);
            assertThat(first.apiErrors()).isEqualTo(2);
            assertThat(first.apiServerErrors()).isEqualTo(1);
            assertThat(StatsRecorder.decodeCodes(first.apiErrorCodes()))
                    .isEqualTo(Map.of("not_found", 1L, "source_unavailable", 1L));
            assertThat(first.apiLatencyMaxUs()).isEqualTo(900_000);
            assertThat(first.sourceCalls()).isEqualTo(2);
            assertThat(first.sourceErrors()).isEqualTo(1);
            assertThat(first.sourceLastOkAt()).isEqualTo(m0);
            assertThat(first.syncRuns()).isEqualTo(1);
            assertThat(first.syncFailures()).isZero();

            // the series: stored minutes and this process's current minute
            StatsSeries series =
                    stats.series("org_a", id, m0.minusSeconds(600), m0.plusSeconds(120), 60);
            assertThat(series.since()).isEqualTo(m0.minusSeconds(600));
            assertThat(series.stepSeconds()).isEqualTo(60);
            assertThat(series.data())
                    .extracting(StatsPoint::at)
                    .containsExactly(m0, m0.plusSeconds(60));
            StatsPoint p0 = series.data().get(0);
            assertThat(p0.apiRequests()).isEqualTo(102);
            assertThat(p0.apiErrorCodes()).containsEntry("source_unavailable", 1L);
            // 100 requests of 1..100 ms plus 2 ms and 900 ms: p50 ≈ 50 ms, p95 ≈ 95 ms, p99 ≈ 99 ms
            assertThat(p0.apiLatencyP50Ms()).isCloseTo(50, within(12.5));
            assertThat(p0.apiLatencyP95Ms()).isCloseTo(95, within(24.0));
            assertThat(p0.apiLatencyP99Ms()).isCloseTo(99, within(25.0));
            assertThat(p0.apiLatencyMaxMs()).isEqualTo(900.0);
            assertThat(p0.sourceCalls()).isEqualTo(2);
            assertThat(p0.sourceErrors()).isEqualTo(1);
            assertThat(p0.syncRuns()).isEqualTo(1);
            assertThat(p0.syncDurationAvgMs()).isNotNull();
            assertThat(p0.statusChanges()).isEqualTo(1); // created: active
            StatsPoint p1 = series.data().get(1);
            assertThat(p1.apiRequests()).isEqualTo(1);
            assertThat(p1.apiErrors()).isZero();
            assertThat(p1.apiLatencyMaxMs()).isEqualTo(30.0);
            assertThat(p1.sourceCalls()).isEqualTo(1);
            assertThat(p1.syncRuns()).isZero();
            assertThat(p1.syncDurationAvgMs()).isNull();

            // a longer step adds minutes up, histograms included
            StatsSeries hourly =
                    stats.series("org_a", id, m0.minusSeconds(600), m0.plusSeconds(3600), 3600);
            assertThat(hourly.since()).isEqualTo(m0.minusSeconds(3600));
            assertThat(hourly.data())
                    .singleElement()
                    .satisfies(
                            p -> {
                                assertThat(p.at()).isEqualTo(m0);
                                assertThat(p.apiRequests()).isEqualTo(103);
                                assertThat(p.sourceCalls()).isEqualTo(3);
                                assertThat(p.apiLatencyMaxMs()).isEqualTo(900.0);
                            });

            // closing the engine writes the current minute too
            f.engine.stats().flush(true);
            assertThat(stored(f, id))
                    .extracting(MinuteStatsRow::minute)
                    .containsExactly(m0, m0.plusSeconds(60));
            assertThat(stats.series("org_a", id, m0, m0.plusSeconds(120), 60).data())
                    .extracting(StatsPoint::apiRequests)
                    .containsExactly(102L, 1L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theSeriesIsTheOrganizationsOwnAndChecksItsRange(DatabaseSettings s) throws Exception {
        try (Fixture f = fixture(s)) {
            StatsRecorder stats = f.engine.stats();
            String id = sandbox(f);
            f.clock.advance(Duration.ofMinutes(1));
            Instant now = f.clock.instant();
            assertThat(failure(() -> stats.series("org_b", id, null, null, 60)).code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(failure(() -> stats.series("org_a", "conn_nope", null, null, 60)).code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(failure(() -> stats.series("org_a", id, null, null, 61)).errors())
                    .containsExactly(new FieldError("step", "must be one of 60, 300, 900, 3600"));
            assertThat(failure(() -> stats.series("org_a", id, now, now, 60)).errors())
                    .containsExactly(new FieldError("since", "must be before until"));
            EngineException tooLong =
                    failure(
                            () ->
                                    stats.series(
                                            "org_a", id, now.minus(Duration.ofDays(9)), now, 60));
            assertThat(tooLong.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(tooLong.errors()).extracting(FieldError::field).containsExactly("since");
            // eight days of minutes are fine, and so are thirty days of hours
            assertThat(stats.series("org_a", id, now.minus(Duration.ofDays(8)), now, 60).data())
                    .hasSize(1); // the status change of the creation
            assertThat(stats.series("org_a", id, now.minus(Duration.ofDays(30)), now, 3600).data())
                    .hasSize(1);
            // the default range is the last hour
            StatsSeries dflt = stats.series("org_a", id, null, null, 60);
            assertThat(dflt.until()).isEqualTo(now);
            assertThat(dflt.since()).isEqualTo(now.minus(Duration.ofHours(1)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void minutesOlderThanTheRetentionAreDeleted(DatabaseSettings s) throws Exception {
        try (Fixture f = fixture(s)) {
            StatsRecorder stats = f.engine.stats();
            String id = sandbox(f);
            Instant start = f.clock.instant();
            stats.recordApiRequest(id, 200, null, ms(1));
            f.clock.advance(Duration.ofDays(1));
            stats.recordApiRequest(id, 200, null, ms(1));
            f.clock.advance(Duration.ofDays(7).plusMinutes(1));
            stats.recordApiRequest(id, 200, null, ms(1));
            stats.flush(true);
            assertThat(stored(f, id)).hasSize(3);
            // now = start + 8 days + 1 minute: the first minute is past the 8 days
            assertThat(stats.purgeOld()).isEqualTo(1);
            assertThat(stored(f, id))
                    .extracting(MinuteStatsRow::minute)
                    .containsExactly(
                            start.plus(Duration.ofDays(1)),
                            start.plus(Duration.ofDays(8)).plusSeconds(60));
            assertThat(stats.purgeOld()).isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void healthAddsUpStoredMinutesAndTheCurrentOnes(DatabaseSettings s) throws Exception {
        try (Fixture f = fixture(s)) {
            String id = sandbox(f);
            PassthroughRequest list = new PassthroughRequest("GET", "/vendors", null, null, null);
            f.records().passthrough(id, list);
            f.clock.advance(Duration.ofMinutes(30));
            f.records().passthrough(id, list);
            f.engine.stats().flush(false); // the first call's minute is written
            assertThat(stored(f, id)).hasSize(1);
            f.clock.advance(Duration.ofMinutes(2));
            f.records().passthrough(id, list);
            assertThat(f.connections().find("org_a", id).orElseThrow().health().requests1h())
                    .isEqualTo(3);
            assertThat(
                            f.connections()
                                    .list("org_a", null, null, null, null, 10)
                                    .data()
                                    .get(0)
                                    .health()
                                    .requests1h())
                    .isEqualTo(3);
            // 61 minutes after the first call, it has left the hour
            f.clock.advance(Duration.ofMinutes(29));
            var h = f.connections().find("org_a", id).orElseThrow().health();
            assertThat(h.requests1h()).isEqualTo(2);
            assertThat(h.errorRate1h()).isEqualTo(0.0);
            // another process (node) of the cluster sees the written minutes; after an hour
            // without calls there is no rate, but the last success is still known from the rows
            f.engine.stats().flush(true);
            f.clock.advance(Duration.ofHours(3));
            try (Engine other =
                    new Engine(
                            f.db.dataSource(),
                            f.registry,
                            org.ironbridge.model.CanonicalModel.standard(),
                            new Vault(f.vaultKey.clone()),
                            f.clock,
                            new Engine.Settings(2, Duration.ofHours(1), "other-node"))) {
                var later = other.connections().find("org_a", id).orElseThrow().health();
                assertThat(later.requests1h()).isZero();
                assertThat(later.errorRate1h()).isNull();
                assertThat(later.lastSuccessAt())
                        .isEqualTo(Fixture.T0.plus(Duration.ofMinutes(32)));
                assertThat(later.circuit()).isEqualTo("closed");
                f.clock.advance(Duration.ofHours(-3).plusMinutes(-1));
                assertThat(
                                other.connections()
                                        .find("org_a", id)
                                        .orElseThrow()
                                        .health()
                                        .requests1h())
                        .isEqualTo(2);
            }
        }
    }
}
