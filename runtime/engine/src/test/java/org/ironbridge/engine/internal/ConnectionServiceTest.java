package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.RecordQuery;
import org.ironbridge.engine.StatusEntry;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.engine.SyncView;
import org.ironbridge.engine.Tokens;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.SyncRepository;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** ConnectionService on H2 and MariaDB with the fake connector. */
class ConnectionServiceTest {

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("conn");
    }

    static EngineException failure(ThrowingCallable call) {
        try {
            call.call();
        } catch (EngineException e) {
            return e;
        } catch (Throwable t) {
            throw new AssertionError("expected an EngineException", t);
        }
        throw new AssertionError("expected an EngineException, nothing was thrown");
    }

    private static NewConnection request(Map<String, String> credentials) {
        return new NewConnection(FakeConnector.SYSTEM, "cust-1", "My ERP", null, credentials, null);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void createVerifiesStoresEncryptedIssuesATokenAndQueuesTheInitialSync(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            Map<String, String> creds = new HashMap<>(Fixture.goodCredentials());
            creds.put("url", "  https://erp.example.com  ");
            CreatedConnection c = f.connections().create("org_a", request(creds));

            assertThat(c.token()).startsWith("ibt_");
            assertThat(Tokens.looksLike(c.token(), Tokens.CONNECTION_TOKEN)).isTrue();
            ConnectionView v = c.connection();
            assertThat(v.id()).startsWith("conn_");
            assertThat(v.organizationId()).isEqualTo("org_a");
            assertThat(v.system()).isEqualTo("fake");
            assertThat(v.customerId()).isEqualTo("cust-1");
            assertThat(v.name()).isEqualTo("My ERP");
            assertThat(v.deployment()).isEqualTo("cloud");
            assertThat(v.status()).isEqualTo("active");
            assertThat(v.credits()).isEqualTo(2);
            assertThat(v.createdAt()).isEqualTo(Fixture.T0);
            // stored with the server's default reconciliation interval
            assertThat(v.sync())
                    .isEqualTo(
                            new SyncSettings(
                                    SyncSettings.DEFAULT_INITIAL_DAYS,
                                    SyncSettings.DEFAULT_INTERVAL_SECONDS,
                                    Set.of(),
                                    SyncSettings.DEFAULT_RECONCILE_SECONDS));
            // every listable entity is queued for its initial sync
            assertThat(v.lastSync().keySet())
                    .containsExactlyInAnyOrder("vendors", "items", "purchase-orders", "assets");
            assertThat(v.lastSync().values())
                    .allSatisfy(
                            r -> {
                                assertThat(r.kind()).isEqualTo("initial");
                                assertThat(r.status()).isEqualTo("queued");
                            });
            assertThat(new SyncRepository(f.db.dataSource()).due(Fixture.T0, 10)).hasSize(4);

            // the credentials were checked live, trimmed, defaulted, and are stored encrypted
            assertThat(f.fake.openedWith.get(0))
                    .containsEntry("url", "https://erp.example.com")
                    .containsEntry("mode", "live")
                    .doesNotContainKey("timeout");
            try (var con = f.db.dataSource().getConnection();
                    var st = con.createStatement();
                    var rs =
                            st.executeQuery(
                                    "SELECT credentials, token_hash FROM connections WHERE id = '"
                                            + v.id()
                                            + "'")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1))
                        .startsWith("v1:")
                        .doesNotContain(FakeConnector.PASSWORD);
                assertThat(rs.getString(2)).isEqualTo(Tokens.hash(c.token()));
            }
            assertThat(
                            f.engine
                                    .sessions()
                                    .decrypt(
                                            new org.ironbridge.store.ConnectionRepository(
                                                            f.db.dataSource())
                                                    .find(v.id())
                                                    .orElseThrow()))
                    .containsEntry("password", FakeConnector.PASSWORD);

            assertThat(f.connections().statusHistory("org_a", v.id()))
                    .extracting(StatusEntry::status, StatusEntry::reason, StatusEntry::at)
                    .containsExactly(
                            org.assertj.core.groups.Tuple.tuple("active", "connected", Fixture.T0));
            assertThat(f.connections().find("org_a", v.id())).contains(v);
            assertThat(f.connections().credits("org_a"))
                    .isEqualTo(new org.ironbridge.engine.CreditBalance(10, 2, 8));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theSourcesRefusalsAreReportedAndNothingIsStored(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            Map<String, String> wrong = new HashMap<>(Fixture.goodCredentials());
            wrong.put("password", "guess");
            EngineException e = failure(() -> f.connections().create("org_a", request(wrong)));
            assertThat(e.code()).isEqualTo(Code.CREDENTIALS_REJECTED);
            assertThat(e.getMessage()).isEqualTo("Invalid username or password");

            f.fake.verifyFailure =
                    ConnectorException.sourceUnavailable(
                            "erp.example.com refused the connection", null);
            e = failure(() -> f.connections().create("org_a", request(Fixture.goodCredentials())));
            assertThat(e.code()).isEqualTo(Code.SOURCE_UNAVAILABLE);
            assertThat(e.getMessage()).contains("refused the connection");

            f.fake.verifyFailure =
                    ConnectorException.rateLimited("slow down", Duration.ofSeconds(42));
            e = failure(() -> f.connections().create("org_a", request(Fixture.goodCredentials())));
            assertThat(e.code()).isEqualTo(Code.RATE_LIMITED);
            assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(42));

            f.fake.verifyFailure =
                    ConnectorException.validationFailed(
                            "bad company",
                            List.of(new FieldError("credentials.username", "unknown company")));
            e = failure(() -> f.connections().create("org_a", request(Fixture.goodCredentials())));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors())
                    .containsExactly(new FieldError("credentials.username", "unknown company"));

            f.fake.verifyFailure = null;
            f.fake.bug = new NullPointerException("oops");
            e = failure(() -> f.connections().create("org_a", request(Fixture.goodCredentials())));
            assertThat(e.code()).isEqualTo(Code.SOURCE_ERROR);
            assertThat(e.getMessage()).isEqualTo("The connector failed");

            assertThat(f.connections().list("org_a", null, null, null, null, 10).data()).isEmpty();
            assertThat(f.connections().credits("org_a").used()).isZero();
            // every session opened for a refused connection was closed
            assertThat(f.fake.closed.get()).isEqualTo(f.fake.openedWith.size());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void everyInvalidFieldIsReported(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            Map<String, String> creds = new HashMap<>();
            creds.put("url", "ftp://nope");
            creds.put("username", " ");
            creds.put("mode", "turbo");
            creds.put("timeout", "soon");
            creds.put("api_key", "x");
            EngineException e =
                    failure(
                            () ->
                                    f.connections()
                                            .create(
                                                    "org_a",
                                                    new NewConnection(
                                                            "fake",
                                                            "",
                                                            "x".repeat(201),
                                                            "on_site",
                                                            creds,
                                                            new SyncSettings(
                                                                    -1,
                                                                    5,
                                                                    Set.of(
                                                                            EntityType.VENDORS,
                                                                            EntityType.WORK_ORDERS,
                                                                            EntityType
                                                                                    .STOCK_LEVELS)))));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors())
                    .containsExactlyInAnyOrder(
                            new FieldError("customer_id", "is required"),
                            new FieldError("name", "must be at most 200 characters long"),
                            new FieldError("deployment", "must be one of: cloud, on_prem"),
                            new FieldError("sync.interval_seconds", "must be at least 10"),
                            new FieldError("sync.initial_days", "must be at least 0"),
                            new FieldError(
                                    "sync.entities", "work-orders cannot be synced from fake"),
                            new FieldError(
                                    "sync.entities", "stock-levels cannot be synced from fake"),
                            new FieldError("credentials.api_key", "is not a known field"),
                            new FieldError(
                                    "credentials.url",
                                    "must be an http or https URL such as https://erp.example.com"),
                            new FieldError("credentials.username", "is required"),
                            new FieldError("credentials.password", "is required"),
                            new FieldError("credentials.mode", "must be one of: live, test"),
                            new FieldError("credentials.timeout", "must be a number"));
            assertThat(f.fake.openedWith).isEmpty();

            e =
                    failure(
                            () ->
                                    f.connections()
                                            .create(
                                                    "org_a",
                                                    new NewConnection(
                                                            "nosuch",
                                                            "c",
                                                            null,
                                                            null,
                                                            Fixture.goodCredentials(),
                                                            null)));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors()).containsExactly(new FieldError("system", "unknown system"));
            e =
                    failure(
                            () ->
                                    f.connections()
                                            .create(
                                                    "org_a",
                                                    new NewConnection(
                                                            null,
                                                            "c",
                                                            null,
                                                            null,
                                                            Fixture.goodCredentials(),
                                                            null)));
            assertThat(e.errors()).containsExactly(new FieldError("system", "is required"));

            // a system the organization used before but whose bundle is gone
            f.connect("org_a");
            f.registry.remove("fake");
            e = failure(() -> f.connect("org_a"));
            assertThat(e.code()).isEqualTo(Code.CONNECTOR_UNAVAILABLE);
            // another organization never heard of it
            e = failure(() -> f.connect("org_b"));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors()).containsExactly(new FieldError("system", "unknown system"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void creditsMustCoverTheDeploymentsCost(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            // cloud costs 2, on_prem 3; org_a has 10
            f.connect("org_a");
            f.connect("org_a");
            CreatedConnection third = f.connect("org_a");
            CreatedConnection fourth = f.connect("org_a");
            NewConnection onPrem =
                    new NewConnection(
                            "fake", "cust-2", null, "on_prem", Fixture.goodCredentials(), null);
            EngineException e = failure(() -> f.connections().create("org_a", onPrem));
            assertThat(e.code()).isEqualTo(Code.INSUFFICIENT_CREDITS);
            assertThat(e.getMessage()).contains("costs 3 credits").contains("2 available");
            assertThat(f.fake.openedWith).hasSize(4); // refused before calling the source
            f.connect("org_a");
            assertThat(f.connections().credits("org_a"))
                    .isEqualTo(new org.ironbridge.engine.CreditBalance(10, 10, 0));
            assertThat(failure(() -> f.connect("org_a")).code())
                    .isEqualTo(Code.INSUFFICIENT_CREDITS);
            // disconnecting returns the credits
            f.connections().disconnect("org_a", third.connection().id());
            f.connections().disconnect("org_a", fourth.connection().id());
            assertThat(f.connections().create("org_a", onPrem).connection().credits()).isEqualTo(3);
            assertThat(f.connections().credits("org_a").available()).isEqualTo(1);
            // other organizations are not affected
            assertThat(f.connections().credits("org_b").available()).isEqualTo(10);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void tokensAuthenticateUntilDisconnected(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            CreatedConnection c = f.connect("org_a", EntityType.VENDORS);
            ConnectionView first = f.connections().authenticate(c.token());
            assertThat(first.id()).isEqualTo(c.connection().id());
            assertThat(first.lastSync()).containsOnlyKeys("vendors");
            // the hot path answers from memory: a change in the database is not seen at once
            try (var con = f.db.dataSource().getConnection();
                    var st = con.createStatement()) {
                st.executeUpdate(
                        "UPDATE connections SET name = 'renamed' WHERE id = '" + first.id() + "'");
            }
            assertThat(f.connections().authenticate(c.token()).name()).isEqualTo("Fake ERP");
            assertThat(f.connections().find("org_a", first.id()).orElseThrow().name())
                    .isEqualTo("renamed");

            assertThat(failure(() -> f.connections().authenticate("ibt_" + "x".repeat(32))).code())
                    .isEqualTo(Code.TOKEN_INVALID);
            assertThat(failure(() -> f.connections().authenticate("ibk_" + "x".repeat(32))).code())
                    .isEqualTo(Code.TOKEN_INVALID);
            assertThat(failure(() -> f.connections().authenticate("garbage")).code())
                    .isEqualTo(Code.TOKEN_INVALID);
            assertThat(failure(() -> f.connections().authenticate(null)).code())
                    .isEqualTo(Code.TOKEN_INVALID);

            f.connections().disconnect("org_a", c.connection().id());
            EngineException e = failure(() -> f.connections().authenticate(c.token()));
            assertThat(e.code()).isEqualTo(Code.TOKEN_REVOKED);
            // idempotent
            f.connections().disconnect("org_a", c.connection().id());
            ConnectionView v = f.connections().find("org_a", c.connection().id()).orElseThrow();
            assertThat(v.status()).isEqualTo("disconnected");
            assertThat(v.disconnectedAt()).isEqualTo(Fixture.T0);
            assertThat(f.connections().statusHistory("org_a", v.id()))
                    .extracting(StatusEntry::status)
                    .containsExactly("active", "disconnected");
            // a disconnected connection does not sync
            assertThat(f.sync(v.id(), EntityType.VENDORS)).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void organizationsNeverSeeEachOthersConnections(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            CreatedConnection a = f.connect("org_a", EntityType.VENDORS);
            f.fake.put(EntityType.VENDORS, "V1", FakeConnector.vendor("Acme", "active"));
            assertThat(f.sync(a.connection().id(), EntityType.VENDORS)).isTrue();
            String id = a.connection().id();

            assertThat(f.connections().find("org_b", id)).isEmpty();
            assertThat(f.connections().list("org_b", null, null, null, null, 100).data()).isEmpty();
            assertThat(failure(() -> f.connections().syncs("org_b", id, 10)).code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(failure(() -> f.connections().statusHistory("org_b", id)).code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(failure(() -> f.connections().disconnect("org_b", id)).code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(failure(() -> f.connections().purge("org_b", id)).code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(
                            failure(() -> f.connections().requestSync("org_b", id, Set.of(), false))
                                    .code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(
                            failure(
                                            () ->
                                                    f.connections()
                                                            .reconnect(
                                                                    "org_b",
                                                                    id,
                                                                    Fixture.goodCredentials()))
                                    .code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(f.connections().find("org_a", id).orElseThrow().status())
                    .isEqualTo("active");

            // B's connection to the same source gets its own ids: A's token never sees them
            CreatedConnection b = f.connect("org_b", EntityType.VENDORS);
            assertThat(f.sync(b.connection().id(), EntityType.VENDORS)).isTrue();
            String idOfB = RecordIds.of(b.connection().id(), EntityType.VENDORS, "V1");
            String idOfA = RecordIds.of(id, EntityType.VENDORS, "V1");
            assertThat(idOfB).isNotEqualTo(idOfA);
            assertThat(f.records().get(id, EntityType.VENDORS, idOfB, false)).isEmpty();
            assertThat(f.records().get(id, EntityType.VENDORS, idOfA, false)).isPresent();
            RecordQuery all = new RecordQuery(100, null, null, null, true, false, Map.of());
            assertThat(f.records().list(id, EntityType.VENDORS, all).data())
                    .extracting(n -> n.get("id").asText())
                    .containsExactly(idOfA);
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.VENDORS,
                                            new RecordQuery(
                                                    100,
                                                    null,
                                                    null,
                                                    null,
                                                    true,
                                                    false,
                                                    Map.of("remote_id", "V1")))
                                    .data())
                    .extracting(n -> n.get("id").asText())
                    .containsExactly(idOfA);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void listsAreNewestFirstFilteredAndPagedWithOpaqueCursors(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                ids.add(0, f.connect("org_a").connection().id());
                if (i % 2 == 0) {
                    f.clock.advance(Duration.ofSeconds(1)); // some share a created_at
                }
            }
            List<String> seen = new ArrayList<>();
            String cursor = null;
            do {
                Page<ConnectionView> p = f.connections().list("org_a", null, null, null, cursor, 2);
                assertThat(p.data().size()).isLessThanOrEqualTo(2);
                p.data().forEach(v -> seen.add(v.id()));
                cursor = p.nextCursor();
            } while (cursor != null);
            assertThat(seen)
                    .hasSize(5)
                    .doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(ids);
            List<java.time.Instant> times = new ArrayList<>();
            for (String id : seen) {
                times.add(f.connections().find("org_a", id).orElseThrow().createdAt());
            }
            assertThat(times).isSortedAccordingTo(java.util.Comparator.reverseOrder());

            f.connections().disconnect("org_a", ids.get(0));
            assertThat(f.connections().list("org_a", null, null, "disconnected", null, 10).data())
                    .extracting(ConnectionView::id)
                    .containsExactly(ids.get(0));
            assertThat(f.connections().list("org_a", "cust-1", "fake", "active", null, 10).data())
                    .hasSize(4);
            assertThat(f.connections().list("org_a", "cust-2", null, null, null, 10).data())
                    .isEmpty();
            assertThat(f.connections().list("org_a", null, "tryton", null, null, 10).data())
                    .isEmpty();

            EngineException e =
                    failure(
                            () ->
                                    f.connections()
                                            .list(
                                                    "org_a",
                                                    null,
                                                    null,
                                                    null,
                                                    "bm90IGEgY3Vyc29y",
                                                    10));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors())
                    .containsExactly(new FieldError("cursor", "is not a valid cursor"));
            assertThat(
                            failure(() -> f.connections().list("org_a", null, null, null, null, 0))
                                    .errors())
                    .extracting(FieldError::field)
                    .containsExactly("page_size");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void reconnectReplacesAndPurgeNeedsADisconnectedConnection(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            CreatedConnection old = f.connect("org_a", EntityType.VENDORS);
            f.fake.put(EntityType.VENDORS, "V1", FakeConnector.vendor("Acme", "active"));
            f.sync(old.connection().id(), EntityType.VENDORS);
            String id = old.connection().id();
            EngineException e = failure(() -> f.connections().purge("org_a", id));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors())
                    .containsExactly(new FieldError("status", "must be disconnected"));

            Map<String, String> wrong = new HashMap<>(Fixture.goodCredentials());
            wrong.put("password", "nope");
            assertThat(failure(() -> f.connections().reconnect("org_a", id, wrong)).code())
                    .isEqualTo(Code.CREDENTIALS_REJECTED);
            assertThat(f.connections().find("org_a", id).orElseThrow().status())
                    .isEqualTo("active");

            CreatedConnection fresh =
                    f.connections().reconnect("org_a", id, Fixture.goodCredentials());
            assertThat(fresh.connection().id()).isNotEqualTo(id);
            assertThat(fresh.token()).isNotEqualTo(old.token());
            assertThat(fresh.connection().sync().entities()).containsExactly(EntityType.VENDORS);
            assertThat(fresh.connection().customerId()).isEqualTo("cust-1");
            assertThat(f.connections().find("org_a", id).orElseThrow().status())
                    .isEqualTo("disconnected");
            assertThat(failure(() -> f.connections().authenticate(old.token())).code())
                    .isEqualTo(Code.TOKEN_REVOKED);
            assertThat(f.connections().authenticate(fresh.token()).id())
                    .isEqualTo(fresh.connection().id());
            assertThat(f.connections().credits("org_a").used()).isEqualTo(2);

            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.VENDORS,
                                            new RecordQuery(
                                                    10, null, null, null, true, false, Map.of()))
                                    .data())
                    .hasSize(1);
            f.connections().purge("org_a", id);
            assertThat(
                            f.records()
                                    .list(
                                            id,
                                            EntityType.VENDORS,
                                            new RecordQuery(
                                                    10, null, null, null, true, false, Map.of()))
                                    .data())
                    .isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRejectionOfStoredCredentialsRequiresReauthorizationOnce(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            CreatedConnection c = f.connect("org_a", EntityType.VENDORS);
            String id = c.connection().id();
            f.fake.password = "changed-at-the-source";
            var body = FakeConnector.vendor("New", "active");
            EngineException e = failure(() -> f.records().create(id, EntityType.VENDORS, body));
            assertThat(e.code()).isEqualTo(Code.REAUTHORIZATION_REQUIRED);
            assertThat(e.getMessage())
                    .contains("Invalid username or password")
                    .contains("Reconnect");
            ConnectionView v = f.connections().find("org_a", id).orElseThrow();
            assertThat(v.status()).isEqualTo("reauthorization_required");
            assertThat(v.statusReason()).contains("Invalid username or password");
            // later calls fail fast, without recording the status again
            assertThat(failure(() -> f.records().create(id, EntityType.VENDORS, body)).code())
                    .isEqualTo(Code.REAUTHORIZATION_REQUIRED);
            assertThat(f.fake.writesReceived).isEmpty();
            assertThat(f.connections().statusHistory("org_a", id))
                    .extracting(StatusEntry::status)
                    .containsExactly("active", "reauthorization_required");
            // the token still reads the stored data, but syncs stop
            assertThat(f.connections().authenticate(c.token()).status())
                    .isEqualTo("reauthorization_required");
            assertThat(f.sync(id, EntityType.VENDORS)).isFalse();
            assertThat(
                            failure(() -> f.connections().requestSync("org_a", id, Set.of(), false))
                                    .errors())
                    .containsExactly(new FieldError("status", "is reauthorization_required"));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRemovedConnectorMakesItsConnectionsUnavailableUntilItReturns(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            CreatedConnection c = f.connect("org_a", EntityType.VENDORS);
            String id = c.connection().id();
            int closedBefore = f.fake.closed.get();
            f.registry.remove("fake");
            var body = FakeConnector.vendor("New", "active");
            EngineException e = failure(() -> f.records().create(id, EntityType.VENDORS, body));
            assertThat(e.code()).isEqualTo(Code.CONNECTOR_UNAVAILABLE);
            assertThat(f.fake.closed.get())
                    .isEqualTo(closedBefore + 1); // the cached session was dropped
            // no failed run is recorded for a missing connector: the sync waits
            assertThat(f.sync(id, EntityType.VENDORS)).isTrue();
            List<SyncView> runs = f.connections().syncs("org_a", id, 10);
            assertThat(runs).extracting(SyncView::status).containsExactly("queued");

            f.registry.install(f.fake);
            int opened = f.fake.openedWith.size();
            assertThat(f.records().create(id, EntityType.VENDORS, body).get("name").asText())
                    .isEqualTo("New");
            assertThat(f.fake.openedWith).hasSize(opened + 1); // reopened from stored credentials
            assertThat(f.fake.openedWith.get(opened))
                    .containsEntry("password", FakeConnector.PASSWORD);
        }
    }
}
