package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.RequestLogEntry;
import org.ironbridge.engine.RequestLogQuery;
import org.ironbridge.engine.RequestLogService;
import org.ironbridge.engine.RequestLogView;
import org.ironbridge.engine.SourceCall;
import org.ironbridge.metrics.Metrics;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.PooledDatabase;
import org.ironbridge.store.RequestLogRepository;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The request log writer on H2 and MariaDB: redaction, batches, reads, pressure, retention. */
class RequestLogWriterTest {
    private static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");
    private static final String TOKEN = "ibt_AbCdEfGhIjKlMnOpQrStUvWxYz012345";

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("reqlog");
    }

    static RequestLogEntry entry(String org, String requestId, Instant at, int status) {
        byte[] req =
                ("{\"system\":\"sandbox\",\"credentials\":{\"password\":\"sandbox\"}}")
                        .getBytes(StandardCharsets.UTF_8);
        byte[] res =
                ("{\"token\":\"" + TOKEN + "\",\"id\":\"conn_1\"}")
                        .getBytes(StandardCharsets.UTF_8);
        return new RequestLogEntry(
                org,
                "conn_1",
                requestId,
                at,
                2_500_000,
                "POST",
                "/v1/admin/connections",
                "api_key=abc&page_size=5",
                status,
                status >= 400 ? "source_unavailable" : null,
                Map.of("Authorization", List.of("Bearer " + TOKEN), "Accept", List.of("*/*")),
                new RequestLogEntry.Body(req, req.length, req.length, "application/json"),
                Map.of("Content-Type", List.of("application/json")),
                new RequestLogEntry.Body(res, res.length, res.length + 100, "application/json"),
                List.of(
                        new SourceCall(at, 1500, "POST", "http://erp.local/jsonrpc", 200, null),
                        new SourceCall(
                                at.plusMillis(2),
                                900,
                                "GET",
                                "http://erp.local/x",
                                null,
                                "The source cannot be reached")));
    }

    private static RequestLogWriter.Settings settings(int capacity, long bodyBytes) {
        RequestLogWriter.Settings d = RequestLogWriter.Settings.defaults();
        return new RequestLogWriter.Settings(
                true,
                d.maxBodyBytes(),
                capacity,
                bodyBytes,
                d.batchSize(),
                Duration.ofMillis(20),
                d.retention(),
                100);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void entriesAreWrittenRedactedAndReadBackScopedToTheirOrganization(DatabaseSettings s)
            throws Exception {
        try (PooledDatabase db = new PooledDatabase(s)) {
            db.migrate();
            org.ironbridge.store.OrganizationRepository orgs =
                    new org.ironbridge.store.OrganizationRepository(db.dataSource());
            orgs.createWithAdminKey("org_a", "A", 10, "key_a", "a".repeat(64), "ibk_a", T0);
            orgs.createWithAdminKey("org_b", "B", 10, "key_b", "b".repeat(64), "ibk_b", T0);
            try (RequestLogWriter w =
                    new RequestLogWriter(
                            new RequestLogRepository(db.dataSource()),
                            settings(1000, 1 << 20),
                            new MutableClock(T0))) {
                for (int i = 0; i < 12; i++) {
                    w.record(entry("org_a", "req_" + i, T0.plusSeconds(i), i == 7 ? 503 : 200));
                }
                w.record(entry("org_b", "req_b", T0, 200));
                // without an organization nobody could see it: not kept
                w.record(entry(null, "req_nobody", T0, 401));
                assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
                assertThat(w.written()).isEqualTo(13);

                RequestLogView v = w.find("org_a", "req_7").orElseThrow();
                assertThat(v.status()).isEqualTo(503);
                assertThat(v.errorCode()).isEqualTo("source_unavailable");
                assertThat(v.durationMicros()).isEqualTo(2500);
                assertThat(v.query()).isEqualTo("api_key=[REDACTED]&page_size=5");
                assertThat(v.request().headers())
                        .containsEntry("authorization", "[REDACTED]")
                        .containsEntry("accept", "*/*");
                assertThat(v.request().body())
                        .isEqualTo("{\"system\":\"sandbox\",\"credentials\":\"[REDACTED]\"}");
                assertThat(v.request().bodyTruncated()).isFalse();
                assertThat(v.response().body())
                        .isEqualTo("{\"token\":\"[REDACTED]\",\"id\":\"conn_1\"}")
                        .doesNotContain(TOKEN);
                assertThat(v.response().bodySize())
                        .isEqualTo(
                                ("{\"token\":\"" + TOKEN + "\",\"id\":\"conn_1\"}").length()
                                        + 100L);
                assertThat(v.response().bodyTruncated()).isTrue();
                assertThat(v.sourceCalls())
                        .extracting(SourceCall::url, SourceCall::status, SourceCall::error)
                        .containsExactly(
                                org.assertj.core.groups.Tuple.tuple(
                                        "http://erp.local/jsonrpc", 200, null),
                                org.assertj.core.groups.Tuple.tuple(
                                        "http://erp.local/x",
                                        null,
                                        "The source cannot be reached"));

                // listings: newest first, paged, filtered, other organizations invisible
                Page<RequestLogView> p1 = w.list("org_a", query(null, null, null, 5));
                assertThat(p1.data())
                        .extracting(RequestLogView::requestId)
                        .containsExactly("req_11", "req_10", "req_9", "req_8", "req_7");
                assertThat(p1.data().get(0).request()).isNull();
                assertThat(p1.data().get(0).sourceCallCount()).isEqualTo(2);
                Page<RequestLogView> p2 = w.list("org_a", query(null, null, p1.nextCursor(), 5));
                Page<RequestLogView> p3 = w.list("org_a", query(null, null, p2.nextCursor(), 5));
                assertThat(p2.data()).hasSize(5);
                assertThat(p3.data())
                        .extracting(RequestLogView::requestId)
                        .containsExactly("req_1", "req_0");
                assertThat(p3.nextCursor()).isNull();
                assertThat(w.list("org_a", query(500, 600, null, 50)).data())
                        .extracting(RequestLogView::requestId)
                        .containsExactly("req_7");
                assertThat(w.list("org_b", query(null, null, null, 50)).data())
                        .extracting(RequestLogView::requestId)
                        .containsExactly("req_b");
                assertThat(w.find("org_b", "req_7")).isEmpty();
                assertThatThrownBy(() -> w.list("org_a", query(null, null, "nonsense", 5)))
                        .isInstanceOfSatisfying(
                                EngineException.class,
                                e ->
                                        assertThat(e.code())
                                                .isEqualTo(EngineException.Code.VALIDATION_FAILED));

                // retention: 30 days by default
                w.record(entry("org_a", "req_old", T0.minus(Duration.ofDays(31)), 200));
                assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
                assertThat(w.find("org_a", "req_old")).isPresent();
                assertThat(w.purgeExpired()).isEqualTo(1);
                assertThat(w.find("org_a", "req_old")).isEmpty();
                assertThat(w.find("org_a", "req_0")).isPresent();
            }
        }
    }

    private static RequestLogQuery query(Integer from, Integer to, String cursor, int size) {
        return new RequestLogQuery(
                null, from, to == null ? null : to, null, null, null, null, cursor, size);
    }

    /** A database that hangs until released (the queue fills up behind it), then keeps the rows. */
    private static RequestLogWriter.Sink stuckSink(
            List<RequestLogRepository.Entry> written, java.util.concurrent.CountDownLatch release) {
        return rows -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (written) {
                written.addAll(rows);
            }
        };
    }

    @Test
    void underPressureBodiesGoFirstThenEntriesAndBothAreCounted() throws Exception {
        List<RequestLogRepository.Entry> written = new ArrayList<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        RequestLogWriter.Sink stuck = stuckSink(written, release);
        try (RequestLogWriter w =
                new RequestLogWriter(
                        new RequestLogRepository(null),
                        stuck,
                        settings(10, 1 << 20),
                        new MutableClock(T0))) {
            w.record(entry("org_a", "first", T0, 200));
            for (int i = 0; i < 20; i++) {
                w.record(entry("org_a", "e" + i, T0.plusSeconds(i), 200));
            }
            // capacity 10 (counting the entries being written): the first and 4 more keep their
            // bodies (up to half), 5 lose them, 11 are dropped
            assertThat(w.pending()).isEqualTo(10);
            assertThat(w.droppedBodies()).isEqualTo(5);
            assertThat(w.droppedEntries()).isEqualTo(11);
            assertThat(Metrics.scrape())
                    .contains("ironbridge_request_log_dropped_total{what=\"entries\"} 11.0")
                    .contains("ironbridge_request_log_dropped_total{what=\"bodies\"} 5.0")
                    .contains("ironbridge_request_log_queue_size 10.0");
            release.countDown();
            assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(written).hasSize(10);
            assertThat(written.stream().filter(RequestLogRepository.Entry::bodiesDropped))
                    .hasSize(5)
                    .allMatch(e -> e.requestBody() == null && e.responseBody() == null)
                    .allMatch(e -> e.requestHeaders().contains("[REDACTED]"));
        }
        // closed: its meters are gone from the registry
        assertThat(Metrics.scrape()).doesNotContain("ironbridge_request_log_queue_size");
    }

    @Test
    void admissionAtTheStartOfARequestTurnsAwayWhatTheQueueWouldDropAndCountsItOnce()
            throws Exception {
        List<RequestLogRepository.Entry> written = new ArrayList<>();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        RequestLogWriter.Sink stuck = stuckSink(written, release);
        try (RequestLogWriter w =
                new RequestLogWriter(
                        new RequestLogRepository(null),
                        stuck,
                        settings(10, 1 << 20),
                        new MutableClock(T0))) {
            List<RequestLogService.Take> takes = new ArrayList<>();
            for (int i = 0; i < 14; i++) {
                // as the HTTP layer does: ask, then record what was admitted
                RequestLogService.Take take = w.admit();
                takes.add(take);
                if (take != RequestLogService.Take.NOTHING) {
                    boolean lean = take == RequestLogService.Take.WITHOUT_BODIES;
                    RequestLogEntry e = entry("org_a", "e" + i, T0.plusSeconds(i), 200);
                    w.record(lean ? e.withoutBodies() : e, lean);
                }
            }
            // capacity 10: up to half with bodies, then without, then nothing
            assertThat(takes.subList(0, 5)).containsOnly(RequestLogService.Take.ALL);
            assertThat(takes.subList(5, 10)).containsOnly(RequestLogService.Take.WITHOUT_BODIES);
            assertThat(takes.subList(10, 14)).containsOnly(RequestLogService.Take.NOTHING);
            assertThat(w.droppedBodies()).isEqualTo(5);
            assertThat(w.droppedEntries()).isEqualTo(4);
            release.countDown();
            assertThat(w.flush(Duration.ofSeconds(10))).isTrue();
            assertThat(written).hasSize(10);
            // entries admitted without bodies are stored as such, redacted like the others
            assertThat(written.stream().filter(RequestLogRepository.Entry::bodiesDropped))
                    .hasSize(5)
                    .allMatch(e -> e.requestBody() == null && e.responseBody() == null)
                    .allMatch(e -> e.requestHeaders().contains("[REDACTED]"));
            assertThat(written.stream().filter(e -> !e.bodiesDropped()))
                    .hasSize(5)
                    .allMatch(e -> e.responseBodyText().contains("[REDACTED]"));
        }
        try (RequestLogWriter off =
                new RequestLogWriter(
                        new RequestLogRepository(null),
                        rows -> {},
                        new RequestLogWriter.Settings(
                                false,
                                1024,
                                10,
                                1 << 20,
                                10,
                                Duration.ofMillis(5),
                                Duration.ofDays(30),
                                100),
                        new MutableClock(T0))) {
            assertThat(off.admit()).isEqualTo(RequestLogService.Take.NOTHING);
            assertThat(off.droppedEntries()).isZero();
        }
    }

    @Test
    void aBodyByteBudgetAlsoDropsBodiesAndDisabledLogsNothing() throws Exception {
        List<RequestLogRepository.Entry> written = new ArrayList<>();
        RequestLogRepository repo = new RequestLogRepository(null);
        RequestLogWriter.Sink sink =
                rows -> {
                    synchronized (written) {
                        written.addAll(rows);
                    }
                };
        // body budget smaller than one entry's bodies
        try (RequestLogWriter w =
                new RequestLogWriter(repo, sink, settings(100, 10), new MutableClock(T0))) {
            w.record(entry("org_a", "a", T0, 200));
            assertThat(w.flush(Duration.ofSeconds(5))).isTrue();
            assertThat(written).singleElement().matches(RequestLogRepository.Entry::bodiesDropped);
            assertThat(w.droppedBodies()).isEqualTo(1);
        }
        RequestLogWriter.Settings d = RequestLogWriter.Settings.defaults();
        try (RequestLogWriter off =
                new RequestLogWriter(
                        repo,
                        sink,
                        new RequestLogWriter.Settings(
                                false,
                                d.maxBodyBytes(),
                                d.queueCapacity(),
                                d.maxQueuedBodyBytes(),
                                d.batchSize(),
                                d.idleWait(),
                                d.retention(),
                                d.maxCpuPercent()),
                        new MutableClock(T0))) {
            assertThat(off.enabled()).isFalse();
            off.record(entry("org_a", "b", T0, 200));
            assertThat(off.pending()).isZero();
        }
        assertThat(written).hasSize(1);
    }

    @Test
    void theWriterKeepsToItsCpuBudget() throws Exception {
        RequestLogWriter.Settings d = RequestLogWriter.Settings.defaults();
        // 1% of the machine: after a batch that took 5 ms of CPU, a pause of about
        // COST_FACTOR * 5 ms / share
        RequestLogWriter.Settings tight =
                new RequestLogWriter.Settings(
                        true, 1024, 100, 1 << 20, 1, Duration.ofMillis(5), d.retention(), 1);
        double share = tight.coreShare();
        assertThat(share).isEqualTo(0.01 * Runtime.getRuntime().availableProcessors());
        java.lang.management.ThreadMXBean threads =
                java.lang.management.ManagementFactory.getThreadMXBean();
        RequestLogWriter.Sink busy =
                rows -> {
                    long end = threads.getCurrentThreadCpuTime() + 5_000_000;
                    while (threads.getCurrentThreadCpuTime() < end) {
                        Math.sqrt(end);
                    }
                };
        // a machine that is always busy
        CpuPressure saturated =
                new CpuPressure() {
                    @Override
                    boolean busy() {
                        return true;
                    }
                };
        try (RequestLogWriter w =
                new RequestLogWriter(
                        new RequestLogRepository(null),
                        busy,
                        tight,
                        new MutableClock(T0),
                        saturated)) {
            long start = System.nanoTime();
            for (int i = 0; i < 3; i++) {
                w.record(entry("org_a", "r" + i, T0, 200));
            }
            assertThat(w.flush(Duration.ofSeconds(30))).isTrue();
            long tookMs = (System.nanoTime() - start) / 1_000_000;
            // three batches of one entry, the first two followed by a pause of at least
            // 5 ms * (COST_FACTOR / share - 1)
            assertThat(tookMs)
                    .isGreaterThanOrEqualTo(
                            (long) (2 * 5 * (RequestLogWriter.COST_FACTOR / share - 1)));
        }
        assertThat(d.coreShare())
                .isEqualTo(
                        RequestLogWriter.Settings.DEFAULT_MAX_CPU_PERCENT
                                / 100.0
                                * Runtime.getRuntime().availableProcessors());
        // the load is a share of all cores
        assertThat(new CpuPressure().load()).isBetween(0.0, 64.0);
    }

    @Test
    void bodiesAreCutToTheConfiguredSize() {
        byte[] big = ("{\"note\":\"" + "x".repeat(100) + "\"}").getBytes(StandardCharsets.UTF_8);
        RequestLogEntry e =
                new RequestLogEntry(
                        "org_a",
                        null,
                        "r",
                        T0,
                        1000,
                        "GET",
                        "/v1/vendors/ibs_0123456789abcdefghij",
                        null,
                        200,
                        null,
                        Map.of(),
                        null,
                        Map.of(),
                        new RequestLogEntry.Body(big, big.length, big.length, "application/json"),
                        List.of());
        RequestLogRepository.Entry row = RequestLogWriter.row(e, false, 20);
        assertThat(row.responseBodyText()).isEqualTo("{\"note\"…");
        assertThat(row.responseBodyTruncated()).isTrue();
        assertThat(row.responseBodySize()).isEqualTo(big.length);
        assertThat(row.requestBody()).isNull();
        assertThat(row.path()).isEqualTo("/v1/vendors/ibs_[REDACTED]");
    }
}
