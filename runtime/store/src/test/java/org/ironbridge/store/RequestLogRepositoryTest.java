package org.ironbridge.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The request log tables on H2 and MariaDB: batches, filters, paging, detail and retention. */
class RequestLogRepositoryTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.all("logs_" + COUNTER.incrementAndGet());
    }

    private static RequestLogRepository.Entry entry(
            String org,
            String connection,
            String requestId,
            Instant at,
            String path,
            int status,
            String code,
            List<RequestLogRepository.SourceCall> calls) {
        return new RequestLogRepository.Entry(
                0,
                org,
                connection,
                requestId,
                at,
                1234,
                "GET",
                path,
                "page_size=5",
                status,
                code,
                "{\"authorization\":\"[REDACTED]\"}",
                null,
                null,
                false,
                "{\"content-type\":\"application/json\"}",
                "{\"id\":\"po_1\"}".getBytes(StandardCharsets.UTF_8),
                13L,
                false,
                false,
                calls.size(),
                calls);
    }

    private static PooledDatabase open(DatabaseSettings settings) {
        PooledDatabase db = new PooledDatabase(settings);
        db.migrate();
        OrganizationRepository orgs = new OrganizationRepository(db.dataSource());
        orgs.createWithAdminKey("org_a", "A", 10, "key_a", "a".repeat(64), "ibk_a", T0);
        orgs.createWithAdminKey("org_b", "B", 10, "key_b", "b".repeat(64), "ibk_b", T0);
        return db;
    }

    /**
     * On H2 a block is kept in its row, not in H2's LOB storage, whose clean-up of the temporary
     * LOB each insert leaves behind slowed every transaction of the server (V16); MariaDB keeps its
     * LONGBLOB.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void blocksAreStoredInTheRowOnH2(DatabaseSettings settings) throws Exception {
        try (PooledDatabase db = open(settings);
                java.sql.Connection c = db.dataSource().getConnection();
                java.sql.ResultSet rs =
                        c.createStatement()
                                .executeQuery(
                                        "SELECT data_type FROM information_schema.columns"
                                                + " WHERE LOWER(table_name) = 'request_log_blocks'"
                                                + " AND LOWER(column_name) = 'data'")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1).toLowerCase(java.util.Locale.ROOT))
                    .isEqualTo(db.dialect() == Database.Dialect.H2 ? "binary varying" : "longblob");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void writersOnSeveralNodesNeverShareIds(DatabaseSettings settings) {
        try (PooledDatabase db = open(settings)) {
            // two repositories: two nodes, each reserving its own blocks of ids
            RequestLogRepository a = new RequestLogRepository(db.dataSource());
            RequestLogRepository b = new RequestLogRepository(db.dataSource());
            java.util.Set<Long> ids = new java.util.HashSet<>();
            for (int round = 0; round < 3; round++) {
                for (RequestLogRepository r : List.of(a, b)) {
                    List<RequestLogRepository.Entry> batch = new ArrayList<>();
                    for (int i = 0; i < RequestLogRepository.ID_BLOCK / 2 + 7; i++) {
                        batch.add(
                                entry(
                                        "org_a",
                                        null,
                                        "r" + round + "_" + i,
                                        T0.plusMillis(i),
                                        "/v1/x",
                                        200,
                                        null,
                                        List.of()));
                    }
                    r.insert(batch);
                }
            }
            // six blocks with overlapping times, paged through 500 entries at a time
            List<RequestLogRepository.Entry> all = new ArrayList<>();
            RequestLogRepository.Position next = null;
            do {
                RequestLogRepository.Listing page =
                        a.list(
                                new RequestLogRepository.Query(
                                        "org_a", null, null, null, null, null, null, null, next,
                                        500));
                all.addAll(page.entries());
                next = page.next();
            } while (next != null);
            assertThat(all).hasSize(6 * (RequestLogRepository.ID_BLOCK / 2 + 7));
            all.forEach(e -> ids.add(e.id()));
            assertThat(ids).hasSameSizeAs(all);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void entriesAreFilteredPagedNewestFirstAndScopedToTheirOrganization(DatabaseSettings settings) {
        try (PooledDatabase db = open(settings)) {
            RequestLogRepository repo = new RequestLogRepository(db.dataSource());
            List<RequestLogRepository.Entry> batch = new ArrayList<>();
            for (int i = 0; i < 30; i++) {
                boolean failed = i % 10 == 9;
                batch.add(
                        entry(
                                "org_a",
                                i % 2 == 0 ? "conn_even" : "conn_odd",
                                "req_" + i,
                                T0.plusSeconds(i),
                                "/v1/purchase-orders/po_" + i,
                                failed ? 503 : 200,
                                failed ? "source_unavailable" : null,
                                List.of()));
            }
            batch.add(
                    entry(
                            "org_b",
                            "conn_b",
                            "req_b",
                            T0.plusSeconds(5),
                            "/v1/vendors",
                            200,
                            null,
                            List.of()));
            repo.insert(batch);

            // newest first, paged with a (block, position) cursor
            RequestLogRepository.Listing listing1 = repo.list(query("org_a", null, 10));
            List<RequestLogRepository.Entry> page1 = listing1.entries();
            assertThat(page1)
                    .extracting(RequestLogRepository.Entry::requestId)
                    .startsWith("req_29", "req_28", "req_27")
                    .hasSize(10);
            RequestLogRepository.Listing listing2 =
                    repo.list(
                            new RequestLogRepository.Query(
                                    "org_a",
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    null,
                                    listing1.next(),
                                    100));
            List<RequestLogRepository.Entry> page2 = listing2.entries();
            assertThat(page2).hasSize(20);
            assertThat(listing2.next()).isNull();
            assertThat(page2.get(0).requestId()).isEqualTo("req_19");
            // listings carry no headers or bodies
            assertThat(page1.get(0).requestHeaders()).isNull();
            assertThat(page1.get(0).responseBody()).isNull();
            assertThat(page1.get(0).responseBodySize()).isEqualTo(13L);

            // filters
            assertThat(repo.list(query("org_a", "conn_odd", 100)).entries())
                    .hasSize(15)
                    .allMatch(e -> e.connectionId().equals("conn_odd"));
            assertThat(
                            repo.list(
                                            new RequestLogRepository.Query(
                                                    "org_a", null, 500, 600, null, null, null, null,
                                                    null, 100))
                                    .entries())
                    .extracting(RequestLogRepository.Entry::requestId)
                    .containsExactly("req_29", "req_19", "req_9");
            assertThat(
                            repo.list(
                                            new RequestLogRepository.Query(
                                                    "org_a",
                                                    null,
                                                    null,
                                                    null,
                                                    "source_unavailable",
                                                    null,
                                                    null,
                                                    null,
                                                    null,
                                                    100))
                                    .entries())
                    .hasSize(3);
            assertThat(
                            repo.list(
                                            new RequestLogRepository.Query(
                                                    "org_a",
                                                    null,
                                                    null,
                                                    null,
                                                    null,
                                                    T0.plusSeconds(10),
                                                    T0.plusSeconds(13),
                                                    null,
                                                    null,
                                                    100))
                                    .entries())
                    .extracting(RequestLogRepository.Entry::requestId)
                    .containsExactly("req_12", "req_11", "req_10");
            // text: path, request id, error code; LIKE wildcards in the text are literal
            assertThat(entries(repo, text("org_a", "po_17")))
                    .extracting(e -> e.requestId())
                    .containsExactly("req_17");
            assertThat(entries(repo, text("org_a", "req_2"))).hasSize(11);
            assertThat(entries(repo, text("org_a", "unavailable"))).hasSize(3);
            assertThat(entries(repo, text("org_a", "%"))).isEmpty();
            assertThat(entries(repo, text("org_a", "po!_1"))).isEmpty();

            // another organization's entries are invisible
            assertThat(repo.list(query("org_b", null, 100)).entries())
                    .extracting(e -> e.requestId())
                    .containsExactly("req_b");
            assertThat(repo.find("org_b", "req_3", null)).isEmpty();
            assertThat(repo.find("org_a", "req_b", null)).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anEntryIsReadWholeWithItsSourceCallsAndRetentionDeletesOldOnes(DatabaseSettings settings) {
        try (PooledDatabase db = open(settings)) {
            RequestLogRepository repo = new RequestLogRepository(db.dataSource());
            List<RequestLogRepository.SourceCall> calls =
                    List.of(
                            new RequestLogRepository.SourceCall(
                                    T0, 5_000, "POST", "http://erp.local/jsonrpc", 200, null),
                            new RequestLogRepository.SourceCall(
                                    T0.plusMillis(7),
                                    10_000_000,
                                    "GET",
                                    "http://erp.local/x?token=[REDACTED]",
                                    null,
                                    "The source did not answer in time"));
            String body = "{\"note\":\"" + "é".repeat(3000) + "\"}";
            RequestLogRepository.Entry e =
                    new RequestLogRepository.Entry(
                            0,
                            "org_a",
                            "conn_1",
                            "req_detail",
                            T0,
                            10_006_000,
                            "POST",
                            "/v1/purchase-orders",
                            null,
                            503,
                            "source_unavailable",
                            "{\"content-type\":\"application/json\"}",
                            body.getBytes(StandardCharsets.UTF_8),
                            7000L,
                            true,
                            "{\"retry-after\":\"30\"}",
                            "{\"code\":\"source_unavailable\"}".getBytes(StandardCharsets.UTF_8),
                            31L,
                            false,
                            false,
                            2,
                            calls);
            repo.insert(List.of(e));
            RequestLogRepository.Entry read = repo.find("org_a", "req_detail", null).orElseThrow();
            assertThat(read.requestBodyText()).isEqualTo(body);
            assertThat(read.requestBodyTruncated()).isTrue();
            assertThat(read.requestHeaders()).contains("content-type");
            assertThat(read.responseHeaders()).contains("retry-after");
            assertThat(read.sourceCallCount()).isEqualTo(2);
            assertThat(read.sourceCalls()).isEqualTo(calls);
            assertThat(read.startedAt()).isEqualTo(T0);

            // a request id sent twice by a client: the newest entry is the one returned
            repo.insert(
                    List.of(
                            entry(
                                    "org_a",
                                    null,
                                    "req_detail",
                                    T0.plusSeconds(1),
                                    "/v1/admin/connections",
                                    200,
                                    null,
                                    List.of())));
            assertThat(repo.find("org_a", "req_detail", null).orElseThrow().path())
                    .isEqualTo("/v1/admin/connections");

            // retention: 25 old entries go (in batches of 10), newer ones stay
            List<RequestLogRepository.Entry> old = new ArrayList<>();
            for (int i = 0; i < 25; i++) {
                old.add(
                        entry(
                                "org_a",
                                "conn_1",
                                "old_" + i,
                                T0.minusSeconds(3600 + i),
                                "/v1/vendors",
                                200,
                                null,
                                List.of(calls.get(0))));
            }
            repo.insert(old);
            assertThat(repo.deleteBefore(T0, 10)).isEqualTo(25);
            assertThat(repo.deleteBefore(T0, 10)).isZero();
            assertThat(repo.list(query("org_a", null, 100)).entries()).hasSize(2);
            assertThat(repo.find("org_a", "req_detail", null).orElseThrow().sourceCalls())
                    .isEmpty();
            assertThat(
                            Jdbc.withConnection(
                                    db.dataSource(),
                                    "count",
                                    (Jdbc.SqlWork<Integer>)
                                            c -> {
                                                try (var rs =
                                                        c.createStatement()
                                                                .executeQuery(
                                                                        "SELECT COUNT(*) FROM"
                                                                                + " request_log_blocks")) {
                                                    rs.next();
                                                    return rs.getInt(1);
                                                }
                                            }))
                    .isEqualTo(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aListingBoundsItsWorkAndItsCursorGoesOnWhereItStopped(DatabaseSettings settings) {
        try (PooledDatabase db = open(settings)) {
            // at most 25 entries decoded per call: 10 blocks of 10 entries, one failure in the
            // oldest block and one in the newest
            RequestLogRepository repo = new RequestLogRepository(db.dataSource(), 25, 25);
            for (int b = 0; b < 10; b++) {
                List<RequestLogRepository.Entry> batch = new ArrayList<>();
                for (int i = 0; i < 10; i++) {
                    int n = b * 10 + i;
                    boolean failed = n == 3 || n == 97;
                    batch.add(
                            entry(
                                    "org_a",
                                    null,
                                    "req_" + n,
                                    T0.plusSeconds(n),
                                    "/v1/vendors",
                                    failed ? 503 : 200,
                                    null,
                                    List.of()));
                }
                repo.insert(batch);
            }
            List<String> found = new ArrayList<>();
            List<Integer> pageSizes = new ArrayList<>();
            RequestLogRepository.Position next = null;
            int calls = 0;
            do {
                RequestLogRepository.Listing page =
                        repo.list(
                                new RequestLogRepository.Query(
                                        "org_a", null, 500, 600, null, null, null, null, next, 10));
                page.entries().forEach(e -> found.add(e.requestId()));
                pageSizes.add(page.entries().size());
                next = page.next();
                calls++;
            } while (next != null && calls < 20);
            assertThat(found).containsExactly("req_97", "req_3");
            // 25 entries a call: blocks 9-7, 6-4, 3-1, then 0
            assertThat(pageSizes).containsExactly(1, 0, 0, 1);

            // all entries, 7 at a time: none skipped or repeated
            List<String> all = new ArrayList<>();
            next = null;
            do {
                RequestLogRepository.Listing page =
                        repo.list(
                                new RequestLogRepository.Query(
                                        "org_a", null, null, null, null, null, null, null, next,
                                        7));
                page.entries().forEach(e -> all.add(e.requestId()));
                next = page.next();
            } while (next != null);
            assertThat(all).hasSize(100).doesNotHaveDuplicates().startsWith("req_99", "req_98");
            assertThat(all.get(99)).isEqualTo("req_0");

            // by request id: without a time, only the newest 25 entries (and the block holding
            // the 25th) are searched; with the time the id carries, the blocks around it
            assertThat(repo.find("org_a", "req_75", null)).isPresent();
            assertThat(repo.find("org_a", "req_5", null)).isEmpty();
            assertThat(repo.find("org_a", "req_5", T0.plusSeconds(5)).orElseThrow().startedAt())
                    .isEqualTo(T0.plusSeconds(5));
            assertThat(repo.find("org_b", "req_5", T0.plusSeconds(5))).isEmpty();
            // a time that is wrong (a client's id that looks like ours): the newest are searched
            assertThat(repo.find("org_a", "req_95", T0.minusSeconds(86_400))).isPresent();
        }
    }

    private static List<RequestLogRepository.Entry> entries(
            RequestLogRepository repo, RequestLogRepository.Query q) {
        return repo.list(q).entries();
    }

    private static RequestLogRepository.Query query(String org, String connection, int limit) {
        return new RequestLogRepository.Query(
                org, connection, null, null, null, null, null, null, null, limit);
    }

    private static RequestLogRepository.Query text(String org, String text) {
        return new RequestLogRepository.Query(
                org, null, null, null, null, null, null, text, null, 100);
    }
}
