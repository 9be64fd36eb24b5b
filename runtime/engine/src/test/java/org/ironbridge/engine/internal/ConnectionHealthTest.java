package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
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
import org.ironbridge.engine.ConnectionHealth;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.StatusEntry;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.engine.SyncView;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.SyncRepository;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Connection status, circuit breaker and health through the real engine, driven by the sandbox
 * connector's failure scenarios, on H2 and MariaDB. The engine's clock is a test clock: the circuit
 * breakers' waits and the sandbox's outage periods follow it.
 */
class ConnectionHealthTest {
    static final EntityType V = EntityType.VENDORS;

    /** Short circuit settings: 4 calls decide, half of them failing opens it for 30 s, 2 probes. */
    static final Circuits.Settings CIRCUIT =
            new Circuits.Settings(50, 4, Duration.ofSeconds(60), Duration.ofSeconds(30), 2);

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("health");
    }

    private static Fixture fixture(DatabaseSettings s) {
        return new Fixture(
                s,
                new Engine.Settings(2, Duration.ofHours(1), "test-node"),
                new Engine.Monitoring(CIRCUIT, Duration.ofDays(8)));
    }

    private static CountingFactory installSandbox(Fixture f) {
        CountingFactory sandbox = new CountingFactory(new SandboxConnectorFactory());
        f.registry.install(sandbox);
        return sandbox;
    }

    /** A sandbox connection of org_a that syncs vendors, with the given scenario values. */
    private static CreatedConnection sandbox(Fixture f, String... scenario) throws Exception {
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
                                new SyncSettings(0, 60, Set.of(V))));
    }

    private static PassthroughRequest listVendors() {
        return new PassthroughRequest("GET", "/vendors", null, null, null);
    }

    private static ConnectionView view(Fixture f, String id) {
        return f.connections().find("org_a", id).orElseThrow();
    }

    private static List<String> history(Fixture f, String id) throws EngineException {
        return f.connections().statusHistory("org_a", id).stream()
                .map(StatusEntry::status)
                .toList();
    }

    private static SyncView latestRun(Fixture f, String id) throws EngineException {
        return f.connections().syncs("org_a", id, 1).get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anOutageOpensTheCircuitCallsFailFastAndHalfOpenProbesCloseIt(DatabaseSettings s)
            throws Exception {
        try (Fixture f = fixture(s)) {
            CountingFactory sandbox = installSandbox(f);
            // the sandbox answers the creation's verify and the initial sync, then is down for 120
            // s
            String id =
                    sandbox(f, "faults_after_calls", "2", "outage_seconds", "120")
                            .connection()
                            .id();
            assertThat(f.sync(id, V)).isTrue();
            assertThat(latestRun(f, id).status()).isEqualTo("succeeded");
            Instant lastSuccess = f.clock.instant();
            assertThat(sandbox.calls(id)).isEqualTo(2);

            // a sync's page read is retried; the third failure opens the circuit (3 of 4 calls
            // failed) and the fourth attempt fails fast, ending the run
            f.clock.advance(Duration.ofSeconds(5));
            Instant down = f.clock.instant();
            f.assertSynced(id, V);
            assertThat(sandbox.calls(id)).isEqualTo(5);
            assertThat(f.sleeps).hasSize(3);
            SyncView failed = latestRun(f, id);
            assertThat(failed.status()).isEqualTo("failed");
            assertThat(failed.error()).contains("circuit open");
            ConnectionView degraded = view(f, id);
            assertThat(degraded.status()).isEqualTo("degraded");
            assertThat(degraded.statusReason())
                    .contains("failed 3 of the last 4 calls")
                    .contains("source_unavailable")
                    .contains("simulated outage");
            assertThat(degraded.health())
                    .isEqualTo(new ConnectionHealth(0.75, 4, lastSuccess, "open"));
            // the failed run waits for the circuit, not the sync interval
            assertThat(new SyncRepository(f.db.dataSource()).state(id, V.collection()))
                    .get()
                    .extracting(st -> st.nextRunAt())
                    .isEqualTo(down.plusSeconds(30));

            // live calls fail fast: 503 source_unavailable with the remaining wait, no source call
            f.clock.advance(Duration.ofSeconds(10));
            EngineException fast = failure(() -> f.records().passthrough(id, listVendors()));
            assertThat(fast.code()).isEqualTo(Code.SOURCE_UNAVAILABLE);
            assertThat(fast.retryAfter()).isEqualTo(Duration.ofSeconds(20));
            assertThat(fast.getMessage()).contains("circuit open");
            EngineException write =
                    failure(
                            () ->
                                    f.records()
                                            .create(
                                                    id,
                                                    V,
                                                    Json.NODES.objectNode().put("name", "New")));
            assertThat(write.code()).isEqualTo(Code.SOURCE_UNAVAILABLE);
            assertThat(sandbox.calls(id)).isEqualTo(5);

            // a due sync skips without calling the source and without a failed run: its queued
            // run waits for the circuit
            f.assertSynced(id, V);
            assertThat(latestRun(f, id).status()).isEqualTo("queued");
            assertThat(sandbox.calls(id)).isEqualTo(5);
            assertThat(new SyncRepository(f.db.dataSource()).state(id, V.collection()))
                    .get()
                    .extracting(st -> st.nextRunAt())
                    .isEqualTo(f.clock.instant().plusSeconds(20));

            // after the wait, half-open probes reach the source; it is still down, so the circuit
            // opens again, without a second status change
            f.clock.advance(Duration.ofSeconds(21));
            for (int i = 0; i < 2; i++) {
                EngineException probe = failure(() -> f.records().passthrough(id, listVendors()));
                assertThat(probe.code()).isEqualTo(Code.SOURCE_UNAVAILABLE);
                assertThat(probe.getMessage()).contains("simulated outage");
            }
            assertThat(sandbox.calls(id)).isEqualTo(7);
            assertThat(failure(() -> f.records().passthrough(id, listVendors())).retryAfter())
                    .isEqualTo(Duration.ofSeconds(30));
            assertThat(view(f, id).health().circuit()).isEqualTo("open");
            assertThat(history(f, id)).containsExactly("active", "degraded");

            // the source comes back (120 s after it went down); the probes succeed and close the
            // circuit: active again, on its own
            f.clock.set(down.plusSeconds(121));
            assertThat(f.records().passthrough(id, listVendors()).status()).isEqualTo(200);
            assertThat(view(f, id).health().circuit()).isEqualTo("half_open");
            assertThat(view(f, id).status()).isEqualTo("degraded");
            assertThat(f.records().passthrough(id, listVendors()).status()).isEqualTo(200);
            ConnectionView active = view(f, id);
            assertThat(active.status()).isEqualTo("active");
            assertThat(active.statusReason())
                    .isEqualTo("the source answers again (circuit closed)");
            assertThat(active.health().circuit()).isEqualTo("closed");
            assertThat(active.health().lastSuccessAt()).isEqualTo(f.clock.instant());
            assertThat(active.health().requests1h()).isEqualTo(8);
            assertThat(active.health().errorRate1h()).isEqualTo(5 / 8.0);
            assertThat(history(f, id)).containsExactly("active", "degraded", "active");

            // and syncs go on, the queued run first
            assertThat(f.sync(id, V)).isTrue();
            assertThat(latestRun(f, id).status()).isEqualTo("succeeded");
            assertThat(history(f, id)).containsExactly("active", "degraded", "active");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anErrorRateDegradesTheConnectionUntilTheErrorsStop(DatabaseSettings s) throws Exception {
        try (Fixture f = fixture(s)) {
            CountingFactory sandbox = installSandbox(f);
            String id =
                    sandbox(
                                    f,
                                    "faults_after_calls",
                                    "1",
                                    "error_rate",
                                    "0.7",
                                    "error_rate_seconds",
                                    "60",
                                    "seed",
                                    "7")
                            .connection()
                            .id();
            int ok = 0;
            int failed = 0;
            EngineException open = null;
            for (int i = 0; i < 30 && open == null; i++) {
                try {
                    f.records().passthrough(id, listVendors());
                    ok++;
                } catch (EngineException e) {
                    assertThat(e.code()).isEqualTo(Code.SOURCE_UNAVAILABLE);
                    if (e instanceof Circuits.Open) {
                        open = e;
                    } else {
                        assertThat(e.getMessage())
                                .isEqualTo("HTTP 503 from sandbox (simulated error)");
                        failed++;
                    }
                }
            }
            assertThat(open).as("the circuit opened").isNotNull();
            assertThat(open.retryAfter()).isEqualTo(Duration.ofSeconds(30));
            assertThat(failed).isGreaterThanOrEqualTo(2);
            assertThat(sandbox.calls(id)).isEqualTo(1 + ok + failed);
            ConnectionView degraded = view(f, id);
            assertThat(degraded.status()).isEqualTo("degraded");
            assertThat(degraded.statusReason()).contains("HTTP 503 from sandbox (simulated error)");
            ConnectionHealth h = degraded.health();
            assertThat(h.requests1h()).isEqualTo(ok + failed);
            assertThat(h.errorRate1h()).isEqualTo((double) failed / (ok + failed));
            assertThat(h.circuit()).isEqualTo("open");

            // the errors stop after 60 s; the next probes close the circuit
            f.clock.advance(Duration.ofSeconds(61));
            f.records().passthrough(id, listVendors());
            f.records().passthrough(id, listVendors());
            assertThat(view(f, id).status()).isEqualTo("active");
            assertThat(history(f, id)).containsExactly("active", "degraded", "active");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void rejectedCredentialsRequireReauthorizationOnceAndStopTheSyncs(DatabaseSettings s)
            throws Exception {
        try (Fixture f = fixture(s)) {
            CountingFactory sandbox = installSandbox(f);
            // verify (1), initial sync (2), one live call (3); the fourth call is rejected
            String id = sandbox(f, "fail_auth_after_calls", "3").connection().id();
            assertThat(f.sync(id, V)).isTrue();
            assertThat(f.records().passthrough(id, listVendors()).status()).isEqualTo(200);
            assertThat(view(f, id).status()).isEqualTo("active");

            EngineException rejected = failure(() -> f.records().passthrough(id, listVendors()));
            assertThat(rejected.code()).isEqualTo(Code.REAUTHORIZATION_REQUIRED);
            assertThat(rejected.getMessage())
                    .contains("simulated password change after 3 calls")
                    .contains("Reconnect this connection");
            ConnectionView v = view(f, id);
            assertThat(v.status()).isEqualTo("reauthorization_required");
            assertThat(v.statusReason()).contains("simulated password change");
            assertThat(sandbox.calls(id)).isEqualTo(4);

            // every later live call is 401 reauthorization_required at once, without a source call
            for (int i = 0; i < 3; i++) {
                assertThat(failure(() -> f.records().passthrough(id, listVendors())).code())
                        .isEqualTo(Code.REAUTHORIZATION_REQUIRED);
                assertThat(
                                failure(
                                                () ->
                                                        f.records()
                                                                .create(
                                                                        id,
                                                                        V,
                                                                        Json.NODES
                                                                                .objectNode()
                                                                                .put("name", "X")))
                                        .code())
                        .isEqualTo(Code.REAUTHORIZATION_REQUIRED);
            }
            // syncs stop: a due sync does not run, and none can be requested
            int runs = f.connections().syncs("org_a", id, 100).size();
            f.clock.advance(Duration.ofMinutes(10));
            f.sync(id, V);
            assertThat(f.connections().syncs("org_a", id, 100)).hasSize(runs);
            assertThat(
                            failure(() -> f.connections().requestSync("org_a", id, Set.of(), false))
                                    .errors())
                    .containsExactly(new FieldError("status", "is reauthorization_required"));
            assertThat(sandbox.calls(id)).isEqualTo(4);
            // recorded once; a rejection is not a source outage: the circuit stays closed
            assertThat(history(f, id)).containsExactly("active", "reauthorization_required");
            ConnectionHealth h = view(f, id).health();
            assertThat(h.circuit()).isEqualTo("closed");
            assertThat(h.requests1h()).isEqualTo(3);
            assertThat(h.errorRate1h()).isEqualTo(1 / 3.0);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void tokenInvalidTokenRevokedReauthorizationAndPermissionsAreFourAnswers(DatabaseSettings s)
            throws Exception {
        try (Fixture f = fixture(s)) {
            installSandbox(f);
            CreatedConnection revoked = sandbox(f);
            f.connections().disconnect("org_a", revoked.connection().id());
            String reauth = sandbox(f, "fail_auth_after_calls", "1").connection().id();
            String readOnly = sandbox(f, "read_only", "true").connection().id();

            EngineException invalid =
                    failure(() -> f.connections().authenticate("ibt_" + "x".repeat(30)));
            EngineException gone = failure(() -> f.connections().authenticate(revoked.token()));
            EngineException rejected =
                    failure(() -> f.records().passthrough(reauth, listVendors()));
            EngineException denied =
                    failure(
                            () ->
                                    f.records()
                                            .create(
                                                    readOnly,
                                                    V,
                                                    Json.NODES.objectNode().put("name", "X")));

            assertThat(List.of(invalid, gone, rejected, denied))
                    .extracting(EngineException::code)
                    .containsExactly(
                            Code.TOKEN_INVALID,
                            Code.TOKEN_REVOKED,
                            Code.REAUTHORIZATION_REQUIRED,
                            Code.INSUFFICIENT_PERMISSIONS);
            assertThat(denied.getMessage()).contains("may read but not change records");
            // a refused permission says nothing about the credentials or the source's health
            ConnectionView v = view(f, readOnly);
            assertThat(v.status()).isEqualTo("active");
            assertThat(v.health().circuit()).isEqualTo("closed");
            assertThat(v.health().errorRate1h()).isEqualTo(1.0);
            assertThat(f.records().passthrough(readOnly, listVendors()).status()).isEqualTo(200);
            assertThat(view(f, reauth).status()).isEqualTo("reauthorization_required");
        }
    }
}
