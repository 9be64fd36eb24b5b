package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ironbridge.engine.internal.ConnectionServiceTest.failure;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ironbridge.api.connector.Category;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.CredentialField;
import org.ironbridge.api.connector.Deployment;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.ConnectResult;
import org.ironbridge.engine.ConnectSessionService;
import org.ironbridge.engine.ConnectSessionView;
import org.ironbridge.engine.CreatedConnectSession;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.InstalledConnector;
import org.ironbridge.engine.NewConnectSession;
import org.ironbridge.engine.Tokens;
import org.ironbridge.store.ConnectSessionRepository;
import org.ironbridge.store.DatabaseSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The connect flow's sessions, codes and exchange on H2 and MariaDB with the fake connector. */
class ConnectSessionServiceTest {

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("connect");
    }

    private static ConnectSessionManager service(Fixture f) {
        return f.engine.connectSessions();
    }

    private static CreatedConnectSession open(Fixture f, String org, String redirect)
            throws EngineException {
        return service(f)
                .create(
                        org,
                        new NewConnectSession("cust-42", List.of(FakeConnector.SYSTEM), redirect));
    }

    private static Map<String, String> credentials(String password) {
        Map<String, String> c = new HashMap<>(Fixture.goodCredentials());
        c.put("password", password);
        return c;
    }

    private static String storedTokenHash(Fixture f, String connectionId) throws Exception {
        try (var c = f.db.dataSource().getConnection();
                var ps = c.prepareStatement("SELECT token_hash FROM connections WHERE id = ?")) {
            ps.setString(1, connectionId);
            try (var rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                return rs.getString(1);
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aSessionIsOpenedWithATokenStoredOnlyAsAHash(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            CreatedConnectSession created = open(f, "org_a", "https://app.example.com/done");

            assertThat(Tokens.looksLike(created.token(), Tokens.CONNECT_SESSION)).isTrue();
            ConnectSessionView v = created.session();
            assertThat(v.organizationId()).isEqualTo("org_a");
            assertThat(v.customerId()).isEqualTo("cust-42");
            assertThat(v.systems()).containsExactly(FakeConnector.SYSTEM);
            assertThat(v.redirectUrl()).isEqualTo("https://app.example.com/done");
            assertThat(v.status()).isEqualTo(ConnectSessionView.OPEN);
            assertThat(v.createdAt()).isEqualTo(Fixture.T0);
            assertThat(v.expiresAt()).isEqualTo(Fixture.T0.plus(Duration.ofMinutes(30)));

            try (var c = f.db.dataSource().getConnection();
                    var st = c.createStatement();
                    var rs = st.executeQuery("SELECT token_hash FROM connect_sessions")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getString(1)).isEqualTo(Tokens.hash(created.token()));
            }
            assertThat(service(f).authenticate(created.token())).isEqualTo(v);
            assertThat(service(f).find(created.token())).contains(v);
            assertThat(service(f).systems(v))
                    .extracting(InstalledConnector::system)
                    .containsExactly(FakeConnector.SYSTEM);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aSessionRequestIsValidated(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            EngineException e =
                    failure(
                            () ->
                                    service(f)
                                            .create(
                                                    "org_a",
                                                    new NewConnectSession(
                                                            " ",
                                                            List.of("fake", "nope", " "),
                                                            "ftp://files.example.com/x")));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors())
                    .extracting(FieldError::field)
                    .containsExactly("customer_id", "systems[1]", "systems[2]", "redirect_url");

            for (String bad :
                    List.of(
                            "/relative/path",
                            "javascript:alert(1)",
                            "https://user:pw@app.example.com/x",
                            "https:///no-host",
                            "https://app.example.com/" + "x".repeat(2000))) {
                EngineException r =
                        failure(
                                () ->
                                        service(f)
                                                .create(
                                                        "org_a",
                                                        new NewConnectSession("c", null, bad)));
                assertThat(r.errors())
                        .extracting(FieldError::field)
                        .containsExactly("redirect_url");
            }
            EngineException empty =
                    failure(
                            () ->
                                    service(f)
                                            .create(
                                                    "org_a",
                                                    new NewConnectSession("c", List.of(), null)));
            assertThat(empty.errors()).extracting(FieldError::field).containsExactly("systems");

            // on-prem-only connectors cannot be offered: the connect flow creates cloud
            // connections
            f.registry.install(onPremOnly());
            EngineException onPrem =
                    failure(
                            () ->
                                    service(f)
                                            .create(
                                                    "org_a",
                                                    new NewConnectSession(
                                                            "c", List.of("agent-only"), null)));
            assertThat(onPrem.errors()).extracting(FieldError::field).containsExactly("systems[0]");

            // without systems every installed connector that can be connected is offered
            CreatedConnectSession all =
                    service(f).create("org_a", new NewConnectSession("c", null, null));
            assertThat(all.session().systems()).isEmpty();
            assertThat(service(f).systems(all.session()))
                    .extracting(InstalledConnector::system)
                    .containsExactly(FakeConnector.SYSTEM);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void unknownAndExpiredSessionsAreRefused(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            CreatedConnectSession created = open(f, "org_a", null);
            for (String token :
                    new String[] {
                        "ibs_unknownSessionToken000000000000",
                        "ibt_notASessionToken0000000000000",
                        "ibs_short",
                        null
                    }) {
                assertThat(failure(() -> service(f).authenticate(token)).code())
                        .isEqualTo(Code.TOKEN_INVALID);
                assertThat(service(f).find(token)).isEmpty();
            }

            f.clock.advance(Duration.ofMinutes(30));
            EngineException e = failure(() -> service(f).authenticate(created.token()));
            assertThat(e.code()).isEqualTo(Code.TOKEN_INVALID);
            assertThat(e.getMessage()).contains("expired");
            assertThat(service(f).find(created.token()).orElseThrow().status())
                    .isEqualTo(ConnectSessionView.EXPIRED);
            EngineException connect =
                    failure(
                            () ->
                                    service(f)
                                            .connect(
                                                    created.token(),
                                                    FakeConnector.SYSTEM,
                                                    Fixture.goodCredentials()));
            assertThat(connect.code()).isEqualTo(Code.TOKEN_INVALID);
            assertThat(f.connections().list("org_a", null, null, null, null, 10).data()).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aRejectedPasswordLeavesTheSessionOpenAndTheRightOneSpendsIt(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            CreatedConnectSession created =
                    open(f, "org_a", "https://app.example.com/done?tenant=7#top");
            String token = created.token();

            EngineException rejected =
                    failure(
                            () ->
                                    service(f)
                                            .connect(
                                                    token,
                                                    FakeConnector.SYSTEM,
                                                    credentials("wrong")));
            assertThat(rejected.code()).isEqualTo(Code.CREDENTIALS_REJECTED);
            assertThat(rejected.getMessage()).isEqualTo("Invalid username or password");
            EngineException missing =
                    failure(() -> service(f).connect(token, FakeConnector.SYSTEM, Map.of()));
            assertThat(missing.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(missing.errors())
                    .extracting(FieldError::field)
                    .contains("credentials.password");
            f.fake.verifyFailure = ConnectorException.sourceUnavailable("no answer", null);
            assertThat(
                            failure(
                                            () ->
                                                    service(f)
                                                            .connect(
                                                                    token,
                                                                    FakeConnector.SYSTEM,
                                                                    Fixture.goodCredentials()))
                                    .code())
                    .isEqualTo(Code.SOURCE_UNAVAILABLE);
            f.fake.verifyFailure = null;
            assertThat(service(f).authenticate(token).status()).isEqualTo(ConnectSessionView.OPEN);

            ConnectResult result =
                    service(f).connect(token, FakeConnector.SYSTEM, Fixture.goodCredentials());

            assertThat(result.connectionId()).startsWith("conn_");
            assertThat(result.system()).isEqualTo(FakeConnector.SYSTEM);
            assertThat(result.code()).hasSize(32);
            assertThat(result.codeExpiresAt()).isEqualTo(Fixture.T0.plus(Duration.ofMinutes(10)));
            assertThat(result.redirectUrl())
                    .isEqualTo(
                            "https://app.example.com/done?tenant=7&connection_id="
                                    + result.connectionId()
                                    + "&code="
                                    + result.code()
                                    + "#top");
            var connection = f.connections().find("org_a", result.connectionId()).orElseThrow();
            assertThat(connection.customerId()).isEqualTo("cust-42");
            assertThat(connection.deployment()).isEqualTo("cloud");
            assertThat(connection.status()).isEqualTo("active");

            // the session is spent: its token no longer works, a second connection is refused
            ConnectSessionView spent = service(f).find(token).orElseThrow();
            assertThat(spent.status()).isEqualTo(ConnectSessionView.COMPLETED);
            assertThat(spent.connectionId()).isEqualTo(result.connectionId());
            EngineException again =
                    failure(
                            () ->
                                    service(f)
                                            .connect(
                                                    token,
                                                    FakeConnector.SYSTEM,
                                                    Fixture.goodCredentials()));
            assertThat(again.code()).isEqualTo(Code.TOKEN_INVALID);
            assertThat(again.getMessage()).contains("already used");
            assertThat(f.connections().list("org_a", null, null, null, null, 10).data()).hasSize(1);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theSessionsChecksAreThoseOfTheAdminCreate(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            String token = open(f, "org_a", null).token();
            EngineException notOffered =
                    failure(() -> service(f).connect(token, "other", Fixture.goodCredentials()));
            assertThat(notOffered.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(notOffered.errors()).extracting(FieldError::field).containsExactly("system");
            EngineException none =
                    failure(() -> service(f).connect(token, " ", Fixture.goodCredentials()));
            assertThat(none.errors()).extracting(FieldError::field).containsExactly("system");

            // org_a has 10 credits and a fake connection costs 2: the sixth is refused
            for (int i = 0; i < 5; i++) {
                f.connect("org_a");
            }
            EngineException credits =
                    failure(
                            () ->
                                    service(f)
                                            .connect(
                                                    token,
                                                    FakeConnector.SYSTEM,
                                                    Fixture.goodCredentials()));
            assertThat(credits.code()).isEqualTo(Code.INSUFFICIENT_CREDITS);
            assertThat(service(f).authenticate(token).status()).isEqualTo(ConnectSessionView.OPEN);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anAttemptInProgressHoldsTheSessionUntilItsClaimLapses(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            CreatedConnectSession created = open(f, "org_a", null);
            ConnectSessionRepository repo = new ConnectSessionRepository(f.db.dataSource());
            Instant now = f.clock.instant();
            assertThat(repo.claim(created.session().id(), now, now.plusSeconds(120))).isTrue();

            EngineException busy =
                    failure(
                            () ->
                                    service(f)
                                            .connect(
                                                    created.token(),
                                                    FakeConnector.SYSTEM,
                                                    Fixture.goodCredentials()));
            assertThat(busy.code()).isEqualTo(Code.CONFLICT);

            // a node that died mid-attempt does not block the customer for long
            f.clock.advance(ConnectSessionManager.CLAIM);
            assertThat(
                            service(f)
                                    .connect(
                                            created.token(),
                                            FakeConnector.SYSTEM,
                                            Fixture.goodCredentials())
                                    .connectionId())
                    .startsWith("conn_");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theCodeIsExchangedOnceForTheOnlyWorkingToken(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            CreatedConnectSession created = open(f, "org_a", null);
            String token = created.token();
            EngineException early = failure(() -> service(f).exchange("org_a", token, "x"));
            assertThat(early.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(early.errors()).extracting(FieldError::field).containsExactly("code");

            ConnectResult result =
                    service(f).connect(token, FakeConnector.SYSTEM, Fixture.goodCredentials());
            String hashBefore = storedTokenHash(f, result.connectionId());

            // another organization does not see the session at all
            assertThat(failure(() -> service(f).exchange("org_b", token, result.code())).code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(
                            failure(
                                            () ->
                                                    service(f)
                                                            .exchange(
                                                                    "org_a",
                                                                    "ibs_unknownSessionToken0000000000",
                                                                    result.code()))
                                    .code())
                    .isEqualTo(Code.NOT_FOUND);
            for (String bad : new String[] {null, " ", "wrong-code"}) {
                EngineException e = failure(() -> service(f).exchange("org_a", token, bad));
                assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
                assertThat(e.errors()).extracting(FieldError::field).containsExactly("code");
            }

            CreatedConnection exchanged = service(f).exchange("org_a", token, result.code());

            assertThat(exchanged.connection().id()).isEqualTo(result.connectionId());
            assertThat(exchanged.connection().customerId()).isEqualTo("cust-42");
            assertThat(Tokens.looksLike(exchanged.token(), Tokens.CONNECTION_TOKEN)).isTrue();
            assertThat(storedTokenHash(f, result.connectionId()))
                    .isEqualTo(Tokens.hash(exchanged.token()))
                    .isNotEqualTo(hashBefore);
            assertThat(f.connections().authenticate(exchanged.token()).id())
                    .isEqualTo(result.connectionId());

            EngineException reused =
                    failure(() -> service(f).exchange("org_a", token, result.code()));
            assertThat(reused.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(reused.errors().get(0).message()).isEqualTo("was already exchanged");
            // the token handed out stays the one that works
            assertThat(f.connections().authenticate(exchanged.token()).id())
                    .isEqualTo(result.connectionId());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anExpiredCodeIsRefusedAndOldSessionsArePurged(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            String token = open(f, "org_a", null).token();
            ConnectResult result =
                    service(f).connect(token, FakeConnector.SYSTEM, Fixture.goodCredentials());
            f.clock.advance(ConnectSessionService.CODE_TTL);
            EngineException expired =
                    failure(() -> service(f).exchange("org_a", token, result.code()));
            assertThat(expired.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(expired.errors().get(0).message()).startsWith("has expired");

            String unused = open(f, "org_b", null).token();
            assertThat(service(f).purgeExpired()).isZero();
            f.clock.advance(Duration.ofDays(8));
            assertThat(service(f).purgeExpired()).isEqualTo(2);
            assertThat(service(f).find(token)).isEmpty();
            assertThat(service(f).find(unused)).isEmpty();
        }
    }

    @Test
    void theRedirectKeepsTheQueryAndFragmentOfTheUrl() {
        assertThat(ConnectSessionManager.redirect("http://localhost:3000/cb", "conn_1", "abc"))
                .isEqualTo("http://localhost:3000/cb?connection_id=conn_1&code=abc");
        assertThat(ConnectSessionManager.redirect("https://a.example/x?y=%20z#/r", "c", "d"))
                .isEqualTo("https://a.example/x?y=%20z&connection_id=c&code=d#/r");
        assertThat(ConnectSessionManager.redirect("https://a.example", "c", "d"))
                .isEqualTo("https://a.example?connection_id=c&code=d");
        assertThatThrownBy(
                        () ->
                                new ConnectSessionManager(null, null, null, null)
                                        .sessionTtl(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** A connector that supports only on-prem deployments. */
    private static ConnectorFactory onPremOnly() {
        ConnectorDescriptor d =
                ConnectorDescriptor.builder("agent-only")
                        .name("Agent only")
                        .category(Category.ERP)
                        .deployment(Deployment.ON_PREM, 1)
                        .credentialField(
                                CredentialField.required("host", "Host", CredentialField.Type.TEXT))
                        .build();
        return new ConnectorFactory() {
            @Override
            public ConnectorDescriptor descriptor() {
                return d;
            }

            @Override
            public ConnectorSession open(
                    org.ironbridge.api.connector.Credentials credentials,
                    org.ironbridge.api.connector.ConnectorContext context) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
