package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.engine.internal.ConnectionServiceTest.failure;
import static org.ironbridge.engine.internal.WebhookReceiver.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.CreatedWebhook;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.NewWebhook;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.WebhookChange;
import org.ironbridge.engine.WebhookDeliveryView;
import org.ironbridge.engine.WebhookView;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Webhooks end to end, on H2 and on MariaDB: changes write events to the outbox in their own
 * transactions, dispatchers deliver them signed to a real HTTP receiver, whose signatures an
 * independent implementation of Standard Webhooks verifies.
 */
class WebhooksTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("hooks");
    }

    private static JsonNode json(WebhookReceiver.Received r) {
        return Json.read(r.body());
    }

    /** The deliveries of a webhook (first page, newest first). */
    private static List<WebhookDeliveryView> deliveries(Engine e, String org, String webhookId)
            throws Exception {
        return e.webhooks().deliveries(org, webhookId, null, 100).data();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void connectionEventsAreDeliveredSignedPerStandardWebhooks(DatabaseSettings s)
            throws Exception {
        try (WebhookFixture f = new WebhookFixture(s)) {
            Engine e = f.node("a");
            CreatedWebhook hook =
                    f.hook(
                            e,
                            "org_a",
                            "connection.created",
                            "connection.status_changed",
                            "connection.disconnected");
            StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(hook.secret());
            // another organization's changes never reach this endpoint
            f.connect(e, "org_b", EntityType.VENDORS);
            CreatedConnection c = f.connect(e, "org_a", EntityType.VENDORS);
            String id = c.connection().id();

            await("connection.created", WAIT, () -> f.receiver.received.size() >= 1);
            WebhookReceiver.Received created = f.receiver.received.get(0);
            assertThat(verifier.verifies(created)).as("signature of %s", created).isTrue();
            assertThat(created.header("content-type")).startsWith("application/json");
            JsonNode body = json(created);
            assertThat(body.path("type").asText()).isEqualTo("connection.created");
            assertThat(body.path("id").asText())
                    .startsWith("evt_")
                    .isEqualTo(created.header("webhook-id"));
            assertThat(body.path("organization_id").asText()).isEqualTo("org_a");
            assertThat(body.path("connection_id").asText()).isEqualTo(id);
            assertThat(Instant.parse(body.path("created_at").asText()))
                    .isBetween(Instant.now().minusSeconds(60), Instant.now());
            assertThat(body.path("data").path("connection").path("id").asText()).isEqualTo(id);
            assertThat(body.path("data").path("connection").path("status").asText())
                    .isEqualTo("active");
            assertThat(body.toString()).doesNotContain(FakeConnector.PASSWORD);
            assertThat(Long.parseLong(created.header("webhook-timestamp")))
                    .isBetween(Instant.now().getEpochSecond() - 60, Instant.now().getEpochSecond());

            e.connections().disconnect("org_a", id);
            await("the disconnect's events", WAIT, () -> f.receiver.received.size() >= 3);
            assertThat(f.receiver.received).hasSize(3).allMatch(verifier::verifies);
            JsonNode changed = json(f.receiver.ofType("connection.status_changed").get(0));
            assertThat(changed.path("data").path("status").asText()).isEqualTo("disconnected");
            assertThat(changed.path("data").path("previous_status").asText()).isEqualTo("active");
            assertThat(changed.path("data").path("reason").asText())
                    .isEqualTo("disconnected by the organization");
            JsonNode disconnected = json(f.receiver.ofType("connection.disconnected").get(0));
            assertThat(
                            disconnected
                                    .path("data")
                                    .path("connection")
                                    .path("disconnected_at")
                                    .isNull())
                    .isFalse();

            await(
                    "three deliveries recorded as succeeded",
                    WAIT,
                    () -> {
                        try {
                            return deliveries(e, "org_a", hook.webhook().id()).stream()
                                            .filter(d -> d.status().equals("succeeded"))
                                            .count()
                                    == 3;
                        } catch (Exception x) {
                            throw new IllegalStateException(x);
                        }
                    });
            for (WebhookDeliveryView d : deliveries(e, "org_a", hook.webhook().id())) {
                assertThat(d.attemptCount()).isEqualTo(1);
                assertThat(d.nextAttemptAt()).isNull();
                assertThat(d.attempts()).hasSize(1);
                assertThat(d.attempts().get(0).statusCode()).isEqualTo(204);
                assertThat(d.attempts().get(0).error()).isNull();
                assertThat(d.connectionId()).isEqualTo(id);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aReceiverThatFailsTwiceGetsTheSameEventOnTheThirdAttempt(DatabaseSettings s)
            throws Exception {
        try (WebhookFixture f = new WebhookFixture(s)) {
            Engine e = f.node("a");
            CreatedWebhook hook = f.hook(e, "org_a", "connection.created");
            f.receiver.answer(500, 503);
            f.connect(e, "org_a", EntityType.VENDORS);

            await("three attempts", WAIT, () -> f.receiver.received.size() >= 3);
            List<WebhookReceiver.Received> got = new ArrayList<>(f.receiver.received);
            assertThat(got)
                    .extracting(r -> r.header("webhook-id"))
                    .containsOnly(got.get(0).header("webhook-id"));
            assertThat(got)
                    .extracting(WebhookReceiver.Received::body)
                    .containsOnly(got.get(0).body());
            StandardWebhooksVerifier verifier = new StandardWebhooksVerifier(hook.secret());
            assertThat(got).allMatch(verifier::verifies);
            // exponential: about 1 and 4 times the base of 100 ms (±10%)
            long first = (got.get(1).nanoTime() - got.get(0).nanoTime()) / 1_000_000;
            long second = (got.get(2).nanoTime() - got.get(1).nanoTime()) / 1_000_000;
            assertThat(first).isGreaterThanOrEqualTo(90);
            assertThat(second).isGreaterThanOrEqualTo(360);

            await(
                    "the delivery recorded as succeeded",
                    WAIT,
                    () -> {
                        try {
                            return deliveries(e, "org_a", hook.webhook().id())
                                    .get(0)
                                    .status()
                                    .equals("succeeded");
                        } catch (Exception x) {
                            throw new IllegalStateException(x);
                        }
                    });
            WebhookDeliveryView d = deliveries(e, "org_a", hook.webhook().id()).get(0);
            assertThat(d.attemptCount()).isEqualTo(3);
            assertThat(d.attempts())
                    .extracting(WebhookDeliveryView.Attempt::statusCode)
                    .containsExactly(500, 503, 204);
            assertThat(d.attempts().get(0).error()).isEqualTo("the receiver answered HTTP 500");
            assertThat(d.attempts().get(0).nextAttemptAt()).isNotNull();
            assertThat(d.attempts().get(1).nextAttemptAt()).isNotNull();
            assertThat(d.attempts().get(2).nextAttemptAt()).isNull();
            assertThat(d.attempts()).allMatch(a -> a.latencyMs() >= 0);
            assertThat(f.receiver.received).hasSize(3);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aDeliveryFailsAfterItsRetryWindowAndCanBeReplayed(DatabaseSettings s) throws Exception {
        try (WebhookFixture f = new WebhookFixture(s)) {
            // retries after about 100 ms and 400 ms fit in a window of 1.5 s even when a loaded
            // machine
            // runs them up to a second late; the next one (about 2 s later) never does
            Engine e = f.engine("a", WebhookFixture.fast("a", Duration.ofMillis(1500)));
            e.dispatcher().start();
            CreatedWebhook hook = f.hook(e, "org_a", "connection.created");
            String webhookId = hook.webhook().id();
            f.receiver.answerAlways(500);
            f.connect(e, "org_a", EntityType.VENDORS);
            await(
                    "the delivery failed for good",
                    WAIT,
                    () -> {
                        try {
                            List<WebhookDeliveryView> all = deliveries(e, "org_a", webhookId);
                            return !all.isEmpty() && all.get(0).status().equals("failed");
                        } catch (Exception x) {
                            throw new IllegalStateException(x);
                        }
                    });
            WebhookDeliveryView failed = deliveries(e, "org_a", webhookId).get(0);
            // 100 ms, then 400 ms: the third retry would be 2 s after, beyond 1.5 s
            assertThat(failed.attemptCount()).isEqualTo(3);
            assertThat(failed.nextAttemptAt()).isNull();
            assertThat(failed.finishedAt()).isNotNull();
            assertThat(failed.attempts().get(2).nextAttemptAt()).isNull();
            int before = f.receiver.received.size();
            Thread.sleep(300);
            assertThat(f.receiver.received).hasSize(before);

            // another organization cannot replay it
            assertThat(failure(() -> e.webhooks().replay("org_b", failed.id())).code())
                    .isEqualTo(Code.NOT_FOUND);
            f.receiver.answerAlways(200);
            WebhookDeliveryView replay = e.webhooks().replay("org_a", failed.id());
            assertThat(replay.replayOf()).isEqualTo(failed.id());
            assertThat(replay.eventId()).isEqualTo(failed.eventId());
            assertThat(replay.status()).isEqualTo("pending");
            await("the replay", WAIT, () -> f.receiver.received.size() > before);
            WebhookReceiver.Received r = f.receiver.received.get(f.receiver.received.size() - 1);
            assertThat(r.header("webhook-id")).isEqualTo(failed.eventId());
            assertThat(new StandardWebhooksVerifier(hook.secret()).verifies(r)).isTrue();
            await(
                    "the replay recorded as succeeded",
                    WAIT,
                    () -> {
                        try {
                            return deliveries(e, "org_a", webhookId).stream()
                                    .anyMatch(
                                            d ->
                                                    d.id().equals(replay.id())
                                                            && d.status().equals("succeeded"));
                        } catch (Exception x) {
                            throw new IllegalStateException(x);
                        }
                    });
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void reauthorizationIsAnnouncedExactlyOncePerIncident(DatabaseSettings s) throws Exception {
        try (WebhookFixture f = new WebhookFixture(s)) {
            Engine e = f.node("a");
            f.hook(e, "org_a", "connection.reauthorization_required", "connection.status_changed");
            f.fake.put(EntityType.VENDORS, "V1", FakeConnector.vendor("Acme", "active"));
            CreatedConnection c = f.connect(e, "org_a", EntityType.VENDORS);
            String id = c.connection().id();
            f.sync(e, id, EntityType.VENDORS);

            // the password changes at the source; live calls and a sync all hit the rejection
            f.fake.password = "changed-at-the-source";
            ExecutorService pool = Executors.newFixedThreadPool(6);
            CountDownLatch start = new CountDownLatch(1);
            for (int i = 0; i < 6; i++) {
                pool.submit(
                        () -> {
                            start.await();
                            ObjectNode body = FakeConnector.vendor("New", "active");
                            failure(() -> e.records().create(id, EntityType.VENDORS, body));
                            return null;
                        });
            }
            start.countDown();
            pool.shutdown();
            assertThat(pool.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            new org.ironbridge.store.SyncRepository(f.db.dataSource())
                    .request(id, "vendors", "incremental", "sync_again", Instant.now());
            e.syncEngine().runIfDue(id, "vendors");

            await(
                    "the reauthorization webhook",
                    WAIT,
                    () -> !f.receiver.ofType("connection.reauthorization_required").isEmpty());
            Thread.sleep(500); // time for any duplicate to arrive
            List<WebhookReceiver.Received> reauth =
                    f.receiver.ofType("connection.reauthorization_required");
            assertThat(reauth).hasSize(1);
            JsonNode body = json(reauth.get(0));
            assertThat(body.path("connection_id").asText()).isEqualTo(id);
            assertThat(body.path("data").path("reason").asText())
                    .contains("Invalid username or password");
            assertThat(body.path("data").path("previous_status").asText()).isEqualTo("active");
            assertThat(f.receiver.ofType("connection.status_changed")).hasSize(1);

            // a new incident on the reconnected connection is announced again, once
            f.fake.password = FakeConnector.PASSWORD;
            CreatedConnection again =
                    e.connections().reconnect("org_a", id, WebhookFixture.credentials());
            f.fake.password = "changed-again";
            failure(
                    () ->
                            e.records()
                                    .create(
                                            again.connection().id(),
                                            EntityType.VENDORS,
                                            FakeConnector.vendor("X", "active")));
            failure(
                    () ->
                            e.records()
                                    .create(
                                            again.connection().id(),
                                            EntityType.VENDORS,
                                            FakeConnector.vendor("Y", "active")));
            await(
                    "the second incident",
                    WAIT,
                    () -> f.receiver.ofType("connection.reauthorization_required").size() >= 2);
            Thread.sleep(500);
            assertThat(f.receiver.ofType("connection.reauthorization_required"))
                    .extracting(r -> json(r).path("connection_id").asText())
                    .containsExactly(id, again.connection().id());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void eventsSurviveARestartBetweenTheChangeAndTheDelivery(DatabaseSettings s) throws Exception {
        try (WebhookFixture f = new WebhookFixture(s)) {
            Engine first = f.engine("first"); // its dispatcher never starts: it "crashes"
            CreatedWebhook hook = f.hook(first, "org_a", "connection.created");
            String id = f.connect(first, "org_a", EntityType.VENDORS).connection().id();
            first.close();
            assertThat(f.count("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'"))
                    .isEqualTo(1);
            assertThat(f.receiver.received).isEmpty();

            Engine second = f.node("second");
            await("the delivery after the restart", WAIT, () -> f.receiver.received.size() >= 1);
            WebhookReceiver.Received r = f.receiver.received.get(0);
            assertThat(new StandardWebhooksVerifier(hook.secret()).verifies(r)).isTrue();
            assertThat(json(r).path("connection_id").asText()).isEqualTo(id);
            await(
                    "recorded by the second node",
                    WAIT,
                    () -> {
                        try {
                            return f.count(
                                            "SELECT COUNT(*) FROM webhook_attempts WHERE node ="
                                                    + " 'second'")
                                    == 1;
                        } catch (Exception x) {
                            throw new IllegalStateException(x);
                        }
                    });
            assertThat(second.dispatcher().started()).isTrue();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void twoDispatchersOnOneDatabaseDeliverEachEventOnce(DatabaseSettings s) throws Exception {
        try (WebhookFixture f = new WebhookFixture(s)) {
            int n = 300;
            for (int i = 0; i < n; i++) {
                f.fake.put(
                        EntityType.VENDORS, "V" + i, FakeConnector.vendor("Vendor " + i, "active"));
            }
            f.fake.pageSize = 100;
            Engine a = f.engine("a");
            Engine b = f.engine("b");
            f.hook(a, "org_a", "record.created");
            String id = f.connect(a, "org_a", EntityType.VENDORS).connection().id();
            f.sync(a, id, EntityType.VENDORS);
            assertThat(f.count("SELECT COUNT(*) FROM webhook_deliveries")).isEqualTo(n);

            a.dispatcher().start();
            b.dispatcher().start();
            await("every event", WAIT, () -> f.receiver.received.size() >= n);
            await(
                    "every attempt recorded",
                    WAIT,
                    () -> {
                        try {
                            return f.count(
                                            "SELECT COUNT(*) FROM webhook_deliveries WHERE status"
                                                    + " = 'succeeded'")
                                    == n;
                        } catch (Exception x) {
                            throw new IllegalStateException(x);
                        }
                    });
            Thread.sleep(300);
            Set<String> ids = new HashSet<>();
            f.receiver.received.forEach(r -> ids.add(r.header("webhook-id")));
            assertThat(f.receiver.received).hasSize(n);
            assertThat(ids).hasSize(n);
            assertThat(f.count("SELECT COUNT(*) FROM webhook_attempts")).isEqualTo(n);
            assertThat(f.count("SELECT MAX(attempts) FROM webhook_deliveries")).isEqualTo(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void recordEventsComeFromSyncsAndLiveWritesAndStayInTheirOrganization(DatabaseSettings s)
            throws Exception {
        try (WebhookFixture f = new WebhookFixture(s);
                WebhookReceiver other = new WebhookReceiver()) {
            Engine e = f.node("a");
            f.hook(e, "org_a", "record.created", "record.updated", "record.deleted");
            f.hookAt(e, "org_b", other.url(), "record.created", "record.updated", "record.deleted");
            f.fake.put(EntityType.VENDORS, "V1", FakeConnector.vendor("Acme", "active"));
            f.fake.put(EntityType.VENDORS, "V2", FakeConnector.vendor("Bolt", "active"));
            String id = f.connect(e, "org_a", EntityType.VENDORS).connection().id();
            f.sync(e, id, EntityType.VENDORS);
            await("two created", WAIT, () -> f.receiver.ofType("record.created").size() >= 2);
            JsonNode created = json(f.receiver.ofType("record.created").get(0));
            assertThat(created.path("connection_id").asText()).isEqualTo(id);
            assertThat(created.path("data").path("collection").asText()).isEqualTo("vendors");
            String recordId = created.path("data").path("id").asText();
            assertThat(e.records().get(id, EntityType.VENDORS, recordId, false)).isPresent();
            assertThat(created.path("data").path("remote_id").asText()).isIn("V1", "V2");

            // unchanged records are not announced again
            f.sync(e, id, EntityType.VENDORS);
            f.fake.put(EntityType.VENDORS, "V1", FakeConnector.vendor("Acme Corp", "active"));
            f.fake.remove(EntityType.VENDORS, "V2");
            f.sync(e, id, EntityType.VENDORS);
            await("updated and deleted", WAIT, () -> f.receiver.received.size() >= 4);
            assertThat(f.receiver.ofType("record.updated"))
                    .singleElement()
                    .satisfies(
                            r ->
                                    assertThat(json(r).path("data").path("remote_id").asText())
                                            .isEqualTo("V1"));
            assertThat(f.receiver.ofType("record.deleted"))
                    .singleElement()
                    .satisfies(
                            r -> {
                                assertThat(json(r).path("data").path("remote_id").asText())
                                        .isEqualTo("V2");
                                assertThat(json(r).path("data").path("deleted_at").isNull())
                                        .isFalse();
                            });

            // a live write
            ObjectNode written =
                    e.records()
                            .create(id, EntityType.VENDORS, FakeConnector.vendor("New", "active"));
            await("the live write", WAIT, () -> f.receiver.ofType("record.created").size() >= 3);
            assertThat(
                            json(f.receiver.ofType("record.created").get(2))
                                    .path("data")
                                    .path("id")
                                    .asText())
                    .isEqualTo(written.path("id").asText());
            Thread.sleep(300);
            assertThat(f.receiver.received).hasSize(5);
            assertThat(other.received).as("org_b's endpoint").isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void withoutSubscribersNothingIsWrittenAndSyncsAreAnnounced(DatabaseSettings s)
            throws Exception {
        try (WebhookFixture f = new WebhookFixture(s)) {
            Engine e = f.node("a");
            for (int i = 0; i < 50; i++) {
                f.fake.put(EntityType.VENDORS, "V" + i, FakeConnector.vendor("V " + i, "active"));
            }
            f.fake.pageSize = 20;
            String id = f.connect(e, "org_a", EntityType.VENDORS).connection().id();
            f.sync(e, id, EntityType.VENDORS);
            assertThat(f.count("SELECT COUNT(*) FROM webhook_events")).isZero();

            // subscribed to sync events only: no record events are written
            f.hook(e, "org_a", "sync.completed", "sync.failed");
            f.fake.put(EntityType.VENDORS, "V0", FakeConnector.vendor("Changed", "active"));
            f.sync(e, id, EntityType.VENDORS);
            await("sync.completed", WAIT, () -> !f.receiver.ofType("sync.completed").isEmpty());
            assertThat(f.count("SELECT COUNT(*) FROM webhook_events WHERE type LIKE 'record.%'"))
                    .isZero();
            JsonNode sync =
                    json(f.receiver.ofType("sync.completed").get(0)).path("data").path("sync");
            assertThat(sync.path("entity").asText()).isEqualTo("vendors");
            assertThat(sync.path("status").asText()).isEqualTo("succeeded");
            assertThat(sync.path("records_changed").asLong()).isEqualTo(1);
            assertThat(sync.path("error").isNull()).isTrue();

            f.fake.failRead(
                    EntityType.VENDORS,
                    1,
                    org.ironbridge.api.connector.ConnectorException.sourceError("boom"));
            f.sync(e, id, EntityType.VENDORS);
            await("sync.failed", WAIT, () -> !f.receiver.ofType("sync.failed").isEmpty());
            JsonNode failed =
                    json(f.receiver.ofType("sync.failed").get(0)).path("data").path("sync");
            assertThat(failed.path("status").asText()).isEqualTo("failed");
            assertThat(failed.path("error").path("code").asText()).isEqualTo("source_error");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void endpointsAreValidatedScopedPagedAndTheirSecretShownOnce(DatabaseSettings s)
            throws Exception {
        try (WebhookFixture f = new WebhookFixture(s)) {
            Engine e = f.node("a");
            var hooks = e.webhooks();
            var bad =
                    failure(
                            () ->
                                    hooks.createWebhook(
                                            "org_a",
                                            new NewWebhook(
                                                    "ftp://example.com/x",
                                                    List.of(
                                                            "connection.created",
                                                            "record.exploded"),
                                                    "x".repeat(501))));
            assertThat(bad.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(bad.errors())
                    .extracting(FieldError::field)
                    .containsExactly("url", "events[1]", "description");
            for (String url :
                    List.of(
                            "",
                            "/relative",
                            "http://",
                            "https://user:pw@example.com/x",
                            "not a url")) {
                assertThat(
                                failure(
                                                () ->
                                                        hooks.createWebhook(
                                                                "org_a",
                                                                new NewWebhook(
                                                                        url,
                                                                        List.of("sync.failed"),
                                                                        null)))
                                        .errors())
                        .as(url)
                        .extracting(FieldError::field)
                        .containsExactly("url");
            }
            assertThat(
                            failure(
                                            () ->
                                                    hooks.createWebhook(
                                                            "org_a",
                                                            new NewWebhook(
                                                                    "https://example.com",
                                                                    List.of(),
                                                                    null)))
                                    .errors())
                    .extracting(FieldError::field)
                    .containsExactly("events");

            CreatedWebhook created =
                    hooks.createWebhook(
                            "org_a",
                            new NewWebhook(
                                    "https://example.com/hooks",
                                    List.of("sync.failed", "connection.created", "sync.failed"),
                                    "ops"));
            assertThat(created.secret()).startsWith("whsec_");
            WebhookView v = created.webhook();
            assertThat(v.events()).containsExactly("connection.created", "sync.failed");
            assertThat(v.enabled()).isTrue();
            assertThat(v.description()).isEqualTo("ops");
            // stored encrypted: the secret is nowhere in the database
            assertThat(
                            f.count(
                                    "SELECT COUNT(*) FROM webhook_endpoints WHERE secret LIKE ?",
                                    "%" + created.secret().substring(6, 20) + "%"))
                    .isZero();
            assertThat(hooks.findWebhook("org_a", v.id())).contains(v);
            assertThat(hooks.findWebhook("org_b", v.id())).isEmpty();
            for (int i = 0; i < 3; i++) {
                hooks.createWebhook(
                        "org_a",
                        new NewWebhook("https://example.com/" + i, List.of("sync.failed"), null));
            }
            Page<WebhookView> page = hooks.listWebhooks("org_a", null, 3);
            assertThat(page.data()).hasSize(3);
            Page<WebhookView> rest = hooks.listWebhooks("org_a", page.nextCursor(), 3);
            assertThat(rest.data()).hasSize(1).first().isEqualTo(v);
            assertThat(rest.nextCursor()).isNull();
            assertThat(hooks.listWebhooks("org_b", null, 10).data()).isEmpty();
            assertThat(failure(() -> hooks.listWebhooks("org_a", "garbage", 10)).code())
                    .isEqualTo(Code.VALIDATION_FAILED);

            // other organizations get not found for everything
            WebhookChange disable = new WebhookChange(null, null, null, false);
            assertThat(failure(() -> hooks.updateWebhook("org_b", v.id(), disable)).code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(failure(() -> hooks.deleteWebhook("org_b", v.id())).code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(failure(() -> hooks.deliveries("org_b", v.id(), null, 10)).code())
                    .isEqualTo(Code.NOT_FOUND);

            WebhookView changed =
                    hooks.updateWebhook(
                            "org_a",
                            v.id(),
                            new WebhookChange(
                                    f.receiver.url(), List.of("connection.created"), "", null));
            assertThat(changed.url()).isEqualTo(f.receiver.url());
            assertThat(changed.events()).containsExactly("connection.created");
            assertThat(changed.description()).isNull();
            assertThat(changed.updatedAt()).isAfterOrEqualTo(v.updatedAt());
            assertThat(
                            failure(
                                            () ->
                                                    hooks.updateWebhook(
                                                            "org_a",
                                                            v.id(),
                                                            new WebhookChange(
                                                                    "mailto:x@example.com",
                                                                    List.of("nope"),
                                                                    null,
                                                                    null)))
                                    .errors())
                    .extracting(FieldError::field)
                    .containsExactly("url", "events[0]");

            // the changed subscription applies at once (the cache is dropped on this node)
            f.connect(e, "org_a", EntityType.VENDORS);
            await("delivered to the new URL", WAIT, () -> f.receiver.received.size() == 1);

            // disabled: no new events for it
            hooks.updateWebhook("org_a", v.id(), disable);
            f.connect(e, "org_a", EntityType.ITEMS);
            Thread.sleep(300);
            assertThat(f.receiver.received).hasSize(1);
            assertThat(hooks.deliveries("org_a", v.id(), null, 10).data()).hasSize(1);

            hooks.deleteWebhook("org_a", v.id());
            assertThat(hooks.findWebhook("org_a", v.id())).isEmpty();
            assertThat(failure(() -> hooks.deleteWebhook("org_a", v.id())).code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(
                            f.count(
                                    "SELECT COUNT(*) FROM webhook_deliveries WHERE endpoint_id = ?",
                                    v.id()))
                    .isZero();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void deliveriesArePagedNewestFirst(DatabaseSettings s) throws Exception {
        try (WebhookFixture f = new WebhookFixture(s)) {
            Engine e = f.node("a");
            CreatedWebhook hook = f.hook(e, "org_a", "connection.created");
            for (int i = 0; i < 5; i++) {
                f.connect(e, "org_a", EntityType.VENDORS);
            }
            await("five", WAIT, () -> f.receiver.received.size() >= 5);
            String id = hook.webhook().id();
            Page<WebhookDeliveryView> first = e.webhooks().deliveries("org_a", id, null, 2);
            assertThat(first.data()).hasSize(2);
            List<String> seen = new ArrayList<>();
            first.data().forEach(d -> seen.add(d.id()));
            String cursor = first.nextCursor();
            while (cursor != null) {
                Page<WebhookDeliveryView> p = e.webhooks().deliveries("org_a", id, cursor, 2);
                p.data().forEach(d -> seen.add(d.id()));
                cursor = p.nextCursor();
            }
            assertThat(seen).hasSize(5).doesNotHaveDuplicates();
            List<Instant> created = new ArrayList<>();
            for (WebhookDeliveryView d : e.webhooks().deliveries("org_a", id, null, 10).data()) {
                created.add(d.createdAt());
            }
            assertThat(created).isSortedAccordingTo((x, y) -> y.compareTo(x));
            // a cursor of another webhook is refused
            CreatedWebhook other = f.hook(e, "org_a", "sync.failed");
            String foreign = first.nextCursor();
            assertThat(
                            failure(
                                            () ->
                                                    e.webhooks()
                                                            .deliveries(
                                                                    "org_a",
                                                                    other.webhook().id(),
                                                                    foreign,
                                                                    2))
                                    .code())
                    .isEqualTo(Code.VALIDATION_FAILED);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aTransactionOlderThanANewEndpointDoesNotHideItFromLaterChanges(DatabaseSettings s)
            throws Exception {
        try (WebhookFixture f = new WebhookFixture(s)) {
            Engine e = f.node("a");
            String id = f.connect(e, "org_a", EntityType.VENDORS).connection().id();
            org.ironbridge.store.ConnectionRow row =
                    new org.ironbridge.store.ConnectionRepository(f.db.dataSource())
                            .find(id)
                            .orElseThrow();
            // a transaction (e.g. a sync page) reads before the endpoint exists ...
            CountDownLatch read = new CountDownLatch(1);
            CountDownLatch created = new CountDownLatch(1);
            Thread older =
                    new Thread(
                            () ->
                                    org.ironbridge.store.Jdbc.inTransaction(
                                            f.db.dataSource(),
                                            "an older transaction",
                                            c -> {
                                                try (var st = c.createStatement();
                                                        var rs =
                                                                st.executeQuery(
                                                                        "SELECT COUNT(*) FROM"
                                                                                + " webhook_endpoints")) {
                                                    rs.next();
                                                }
                                                read.countDown();
                                                awaitQuietly(created);
                                                // ... and looks up the subscriptions after it was
                                                // created (MariaDB: in its older snapshot)
                                                e.webhookEvents()
                                                        .statusChanged(
                                                                c,
                                                                row,
                                                                "active",
                                                                "an old transaction",
                                                                Instant.now());
                                                return null;
                                            }));
            older.start();
            assertThat(read.await(20, TimeUnit.SECONDS)).isTrue();
            f.hook(e, "org_a", "connection.status_changed");
            created.countDown();
            older.join(20_000);
            // a later change is announced to the new endpoint
            e.connections().degraded(id, "slow");
            await(
                    "the later change announced",
                    WAIT,
                    () ->
                            f.receiver.ofType("connection.status_changed").stream()
                                    .anyMatch(
                                            r ->
                                                    json(r).path("data")
                                                            .path("status")
                                                            .asText()
                                                            .equals("degraded")));
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
