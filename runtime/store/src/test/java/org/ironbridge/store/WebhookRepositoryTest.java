package org.ironbridge.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The webhook store and the change listener hooks, on H2 and on MariaDB. */
class WebhookRepositoryTest {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.all("hooks_" + COUNTER.incrementAndGet());
    }

    private static PooledDatabase open(DatabaseSettings settings) {
        PooledDatabase db = new PooledDatabase(settings);
        db.migrate();
        new OrganizationRepository(db.dataSource())
                .createWithAdminKey("org_a", "A", 10, "key_a", "a".repeat(64), "ibk_a", T0);
        new OrganizationRepository(db.dataSource())
                .createWithAdminKey("org_b", "B", 10, "key_b", "b".repeat(64), "ibk_b", T0);
        return db;
    }

    private static WebhookRepository.Endpoint endpoint(String id, String org, Instant at) {
        return new WebhookRepository.Endpoint(
                id,
                org,
                "https://example.com/hooks/" + id,
                List.of("connection.created", "record.updated"),
                null,
                "v1:encrypted",
                true,
                at,
                at);
    }

    /** Writes {@code n} events of org_a, each with one delivery to the endpoint. */
    private static List<String> enqueue(PooledDatabase db, String endpointId, int n, Instant at) {
        List<String> ids = new ArrayList<>();
        Jdbc.inTransaction(
                db.dataSource(),
                "enqueue",
                c -> {
                    List<WebhookRepository.NewEvent> events = new ArrayList<>();
                    List<WebhookRepository.NewDelivery> deliveries = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        String e = "evt_" + endpointId + "_" + i + "_" + at.toEpochMilli();
                        events.add(
                                new WebhookRepository.NewEvent(
                                        e,
                                        "org_a",
                                        "conn_1",
                                        "record.updated",
                                        at,
                                        "{\"id\":\"" + e + "\"}"));
                        String d = "whd_" + e;
                        deliveries.add(
                                new WebhookRepository.NewDelivery(d, endpointId, e, "org_a", at));
                        ids.add(d);
                    }
                    WebhookRepository.enqueue(c, events, deliveries);
                    return null;
                });
        return ids;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void endpointsAreScopedToTheirOrganizationAndPagedNewestFirst(DatabaseSettings settings) {
        try (PooledDatabase db = open(settings)) {
            WebhookRepository repo = new WebhookRepository(db.dataSource());
            for (int i = 0; i < 5; i++) {
                repo.createEndpoint(endpoint("wh_a" + i, "org_a", T0.plusSeconds(i)));
            }
            repo.createEndpoint(endpoint("wh_b0", "org_b", T0));

            assertThat(repo.endpoint("org_a", "wh_a1")).isPresent();
            assertThat(repo.endpoint("org_b", "wh_a1")).isEmpty();
            List<WebhookRepository.Endpoint> first = repo.endpoints("org_a", null, null, 3);
            assertThat(first)
                    .extracting(WebhookRepository.Endpoint::id)
                    .containsExactly("wh_a4", "wh_a3", "wh_a2");
            WebhookRepository.Endpoint last = first.get(2);
            assertThat(repo.endpoints("org_a", last.createdAt(), last.id(), 3))
                    .extracting(WebhookRepository.Endpoint::id)
                    .containsExactly("wh_a1", "wh_a0");

            WebhookRepository.Endpoint a0 = repo.endpoint("org_a", "wh_a0").orElseThrow();
            assertThat(a0.events()).containsExactly("connection.created", "record.updated");
            WebhookRepository.Endpoint changed =
                    new WebhookRepository.Endpoint(
                            a0.id(),
                            "org_b",
                            "http://other.example.com",
                            List.of("sync.failed"),
                            "d",
                            a0.secret(),
                            false,
                            a0.createdAt(),
                            T0.plusSeconds(60));
            assertThat(repo.updateEndpoint(changed)).as("not org_b's").isFalse();
            changed =
                    new WebhookRepository.Endpoint(
                            a0.id(),
                            "org_a",
                            "http://other.example.com",
                            List.of("sync.failed"),
                            "d",
                            a0.secret(),
                            false,
                            a0.createdAt(),
                            T0.plusSeconds(60));
            assertThat(repo.updateEndpoint(changed)).isTrue();
            assertThat(repo.endpoint("org_a", "wh_a0").orElseThrow()).isEqualTo(changed);

            assertThat(repo.deleteEndpoint("org_b", "wh_a1")).isFalse();
            assertThat(repo.deleteEndpoint("org_a", "wh_a1")).isTrue();
            assertThat(repo.endpoint("org_a", "wh_a1")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void deliveriesAreClaimedOnceRecordedAndRetried(DatabaseSettings settings) {
        try (PooledDatabase db = open(settings)) {
            WebhookRepository repo = new WebhookRepository(db.dataSource());
            repo.createEndpoint(endpoint("wh_1", "org_a", T0));
            List<String> ids = enqueue(db, "wh_1", 3, T0);

            Instant now = T0.plusSeconds(1);
            List<WebhookRepository.Claimed> claimed =
                    repo.claim("node-a/1", now, now.plusSeconds(30), 10, e -> true);
            assertThat(claimed)
                    .extracting(WebhookRepository.Claimed::deliveryId)
                    .containsExactlyInAnyOrderElementsOf(ids);
            WebhookRepository.Claimed k = claimed.get(0);
            assertThat(k.url()).isEqualTo("https://example.com/hooks/wh_1");
            assertThat(k.payload()).startsWith("{\"id\":\"evt_");
            assertThat(k.eventType()).isEqualTo("record.updated");
            assertThat(k.attempts()).isZero();
            // leased: nobody else gets them until the lease ends
            assertThat(repo.claim("node-b/1", now, now.plusSeconds(30), 10, e -> true)).isEmpty();

            // first: succeeded; second: retry later; third: the lease was lost
            List<WebhookRepository.Result> results = new ArrayList<>();
            results.add(
                    new WebhookRepository.Result(
                            claimed.get(0).deliveryId(),
                            "node-a/1",
                            1,
                            now,
                            204,
                            12,
                            null,
                            true,
                            null,
                            "node-a"));
            results.add(
                    new WebhookRepository.Result(
                            claimed.get(1).deliveryId(),
                            "node-a/1",
                            1,
                            now,
                            500,
                            40,
                            "HTTP 500",
                            false,
                            now.plusSeconds(30),
                            "node-a"));
            results.add(
                    new WebhookRepository.Result(
                            claimed.get(2).deliveryId(),
                            "node-x/9",
                            1,
                            now,
                            200,
                            5,
                            null,
                            true,
                            null,
                            "node-x"));
            assertThat(repo.record(results)).isEqualTo(2);

            WebhookRepository.Delivery ok =
                    repo.delivery("org_a", claimed.get(0).deliveryId()).orElseThrow();
            assertThat(ok.status()).isEqualTo(WebhookRepository.SUCCEEDED);
            assertThat(ok.nextAttemptAt()).isNull();
            assertThat(ok.finishedAt()).isEqualTo(now);
            assertThat(ok.attemptList()).hasSize(1);
            assertThat(ok.attemptList().get(0).statusCode()).isEqualTo(204);
            assertThat(ok.attemptList().get(0).latencyMs()).isEqualTo(12);
            assertThat(repo.delivery("org_b", ok.id())).as("not org_b's").isEmpty();

            WebhookRepository.Delivery retry =
                    repo.delivery("org_a", claimed.get(1).deliveryId()).orElseThrow();
            assertThat(retry.status()).isEqualTo(WebhookRepository.PENDING);
            assertThat(retry.nextAttemptAt()).isEqualTo(now.plusSeconds(30));
            assertThat(retry.lastStatusCode()).isEqualTo(500);
            assertThat(retry.attemptList().get(0).nextAttemptAt()).isEqualTo(now.plusSeconds(30));

            // the third's lease ends: it is due again, with no attempt recorded
            Instant later = now.plusSeconds(31);
            List<WebhookRepository.Claimed> again =
                    repo.claim("node-b/2", later, later.plusSeconds(30), 10, e -> true);
            assertThat(again)
                    .extracting(WebhookRepository.Claimed::deliveryId)
                    .containsExactlyInAnyOrder(
                            claimed.get(1).deliveryId(), claimed.get(2).deliveryId());
            assertThat(again)
                    .filteredOn(c -> c.deliveryId().equals(claimed.get(1).deliveryId()))
                    .extracting(WebhookRepository.Claimed::attempts)
                    .containsExactly(1);

            // failed for good
            repo.record(
                    List.of(
                            new WebhookRepository.Result(
                                    claimed.get(1).deliveryId(),
                                    "node-b/2",
                                    2,
                                    later,
                                    null,
                                    10_000,
                                    "timed out",
                                    false,
                                    null,
                                    "node-b")));
            WebhookRepository.Delivery failed =
                    repo.delivery("org_a", claimed.get(1).deliveryId()).orElseThrow();
            assertThat(failed.status()).isEqualTo(WebhookRepository.FAILED);
            assertThat(failed.attempts()).isEqualTo(2);
            assertThat(failed.attemptList())
                    .extracting(WebhookRepository.Attempt::statusCode)
                    .containsExactly(500, null);

            // replay: a new pending delivery of the same event, due at once
            WebhookRepository.Delivery replay =
                    repo.replay("org_a", failed.id(), "whd_replay", later).orElseThrow();
            assertThat(replay.replayOf()).isEqualTo(failed.id());
            assertThat(replay.eventId()).isEqualTo(failed.eventId());
            assertThat(repo.replay("org_b", failed.id(), "whd_other", later)).isEmpty();
            assertThat(repo.claim("node-a/3", later, later.plusSeconds(30), 10, e -> true))
                    .extracting(WebhookRepository.Claimed::deliveryId)
                    .containsExactly("whd_replay");

            // listing newest first, with attempts
            List<WebhookRepository.Delivery> page = repo.deliveries("wh_1", null, null, 2);
            assertThat(page).hasSize(2);
            assertThat(page.get(0).id()).isEqualTo("whd_replay");
            WebhookRepository.Delivery p = page.get(1);
            List<WebhookRepository.Delivery> rest =
                    repo.deliveries("wh_1", p.createdAt(), p.id(), 10);
            assertThat(rest).hasSize(2);
            Set<String> all = new HashSet<>();
            page.forEach(d -> all.add(d.id()));
            rest.forEach(d -> all.add(d.id()));
            assertThat(all).hasSize(4);

            // housekeeping keeps what is young or pending
            assertThat(repo.purge(now.minusSeconds(1), 100)).isZero();
            int purged = repo.purge(later.plusSeconds(1), 100);
            assertThat(purged)
                    .as("two finished deliveries and one unreferenced event")
                    .isEqualTo(3);
            assertThat(repo.delivery("org_a", failed.id())).isEmpty();
            assertThat(repo.delivery("org_a", "whd_replay")).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void limitsPerEndpointAndDisabledEndpointsEndTheirPendingDeliveries(DatabaseSettings settings) {
        try (PooledDatabase db = open(settings)) {
            WebhookRepository repo = new WebhookRepository(db.dataSource());
            repo.createEndpoint(endpoint("wh_busy", "org_a", T0));
            repo.createEndpoint(endpoint("wh_idle", "org_a", T0));
            List<String> busy = enqueue(db, "wh_busy", 5, T0);
            List<String> idle = enqueue(db, "wh_idle", 2, T0.plusSeconds(1));
            Instant now = T0.plusSeconds(2);
            // at most one of the busy endpoint's in this round, and the other's
            AtomicInteger taken = new AtomicInteger();
            List<String> claimed = new ArrayList<>();
            repo.claim(
                            "n/1",
                            now,
                            now.plusSeconds(30),
                            7,
                            e -> !e.equals("wh_busy") || taken.incrementAndGet() <= 1)
                    .forEach(k -> claimed.add(k.deliveryId()));
            assertThat(claimed).hasSize(3).containsAll(idle);
            assertThat(claimed).filteredOn(busy::contains).hasSize(1);
            // disabling ends the pending ones that are not being sent
            assertThat(repo.failPending("wh_busy", "the webhook was disabled", now)).isEqualTo(4);
            List<WebhookRepository.Delivery> ended = repo.deliveries("wh_busy", null, null, 10);
            assertThat(ended)
                    .extracting(WebhookRepository.Delivery::status)
                    .containsOnly(WebhookRepository.FAILED, WebhookRepository.PENDING);
            assertThat(ended)
                    .filteredOn(d -> d.status().equals(WebhookRepository.FAILED))
                    .allSatisfy(
                            d -> {
                                assertThat(d.lastError()).isEqualTo("the webhook was disabled");
                                assertThat(busy).contains(d.id());
                            })
                    .hasSize(4);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void concurrentClaimsNeverShareADelivery(DatabaseSettings settings) throws Exception {
        try (PooledDatabase db = open(settings)) {
            WebhookRepository repo = new WebhookRepository(db.dataSource());
            repo.createEndpoint(endpoint("wh_1", "org_a", T0));
            List<String> ids = enqueue(db, "wh_1", 400, T0);
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                CountDownLatch start = new CountDownLatch(1);
                List<Future<List<String>>> futures = new ArrayList<>();
                for (int n = 0; n < 4; n++) {
                    String node = "node-" + n;
                    Callable<List<String>> claimer =
                            () -> {
                                start.await();
                                List<String> mine = new ArrayList<>();
                                for (int round = 0; round < 50; round++) {
                                    Instant now = T0.plusSeconds(1);
                                    for (WebhookRepository.Claimed k :
                                            repo.claim(
                                                    node + "/" + round,
                                                    now,
                                                    now.plusSeconds(60),
                                                    25,
                                                    e -> true)) {
                                        mine.add(k.deliveryId());
                                    }
                                }
                                return mine;
                            };
                    futures.add(pool.submit(claimer));
                }
                start.countDown();
                List<String> claimed = Collections.synchronizedList(new ArrayList<>());
                for (Future<List<String>> f : futures) {
                    claimed.addAll(f.get());
                }
                assertThat(claimed).doesNotHaveDuplicates();
                assertThat(claimed).containsExactlyInAnyOrderElementsOf(ids);
            } finally {
                pool.shutdownNow();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void listenersWriteInTheTransactionOfTheChange(DatabaseSettings settings) {
        try (PooledDatabase db = open(settings)) {
            List<String> seen = new ArrayList<>();
            ChangeListener recording =
                    new ChangeListener() {
                        @Override
                        public void connectionCreated(Connection c, ConnectionRow connection) {
                            seen.add("created " + connection.id());
                        }

                        @Override
                        public void statusChanged(
                                Connection c,
                                ConnectionRow before,
                                String status,
                                String reason,
                                Instant at)
                                throws SQLException {
                            seen.add(before.status() + " -> " + status + ": " + reason);
                            if (reason.equals("fail")) {
                                throw new SQLException("the outbox is broken");
                            }
                        }

                        @Override
                        public void syncRunEnded(Connection c, SyncRunRow run) {
                            seen.add("run " + run.entity() + " " + run.status());
                        }
                    };
            ConnectionRepository connections = new ConnectionRepository(db.dataSource(), recording);
            ConnectionRow row =
                    new ConnectionRow(
                            "conn_1",
                            "org_a",
                            "sandbox",
                            "cust-1",
                            "Sandbox",
                            "cloud",
                            null,
                            ConnectionRow.ACTIVE,
                            "connected",
                            T0,
                            1,
                            "h".repeat(64),
                            "ibt_abcd",
                            "v1:secret",
                            90,
                            300,
                            List.of("vendors"),
                            T0,
                            null,
                            null,
                            null,
                            86_400); // reconcile daily
            AtomicInteger runs = new AtomicInteger();
            connections.create(row, List.of("vendors"), () -> "run_" + runs.incrementAndGet());
            assertThat(
                            connections.changeStatus(
                                    "conn_1",
                                    Set.of(ConnectionRow.ACTIVE),
                                    ConnectionRow.DEGRADED,
                                    "slow",
                                    T0.plusSeconds(1)))
                    .isTrue();
            // not from the given statuses: no change, no call
            assertThat(
                            connections.changeStatus(
                                    "conn_1",
                                    Set.of(ConnectionRow.ACTIVE),
                                    ConnectionRow.DEGRADED,
                                    "again",
                                    T0.plusSeconds(2)))
                    .isFalse();
            // a listener that fails rolls the change back
            assertThatThrownBy(
                            () ->
                                    connections.changeStatus(
                                            "conn_1",
                                            Set.of(ConnectionRow.DEGRADED),
                                            ConnectionRow.ACTIVE,
                                            "fail",
                                            T0.plusSeconds(3)))
                    .isInstanceOf(StoreException.class);
            assertThat(connections.find("conn_1").orElseThrow().status())
                    .isEqualTo(ConnectionRow.DEGRADED);

            SyncRepository syncs = new SyncRepository(db.dataSource(), recording);
            assertThat(syncs.claim("conn_1", "vendors", "me", T0, T0.plusSeconds(60))).isPresent();
            SyncRunRow run =
                    syncs.startRun("conn_1", "vendors", "run_x", "initial", null, "me", T0);
            syncs.succeed("conn_1", "vendors", run.id(), "initial", "me", T0, T0.plusSeconds(60));

            assertThat(seen)
                    .containsExactly(
                            "created conn_1",
                            "active -> degraded: slow",
                            "degraded -> active: fail",
                            "run vendors succeeded");
        }
    }
}
