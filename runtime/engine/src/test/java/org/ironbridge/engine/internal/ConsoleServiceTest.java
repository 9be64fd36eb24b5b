package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.engine.internal.ConnectionServiceTest.failure;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.ironbridge.engine.ConsoleLogin;
import org.ironbridge.engine.ConsoleSession;
import org.ironbridge.engine.ConsoleUser;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.Tokens;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.OrganizationRepository;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Console users, sessions and login throttling on H2 and MariaDB. */
class ConsoleServiceTest {
    private static final String PASSWORD = "correct horse battery";
    private static final String KEY_C = "ibk_consoleTestKeyOfOrgC000000000";

    static Stream<DatabaseSettings> databases() throws Exception {
        return TestDatabases.fresh("console");
    }

    /** Fast hashes (1000 iterations), 12 h idle, 7 days absolute, 10 failures per 15 minutes. */
    private static ConsoleManager console(Fixture f) {
        ConsoleManager c = f.engine.console();
        c.configure(
                new ConsoleManager.Settings(
                        Duration.ofHours(12),
                        Duration.ofDays(7),
                        1000,
                        10,
                        Duration.ofMinutes(15)));
        return c;
    }

    /** Every value of every column of a table, as text. */
    private static List<String> allValues(Fixture f, String table) throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = f.db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT * FROM " + table);
                ResultSet rs = ps.executeQuery()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= n; i++) {
                    out.add(String.valueOf(rs.getObject(i)));
                }
            }
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void usersAreValidatedHashedListedPerOrganizationAndDeleted(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            ConsoleManager console = console(f);
            ConsoleUser alice = console.createUser("org_a", "  Alice@Example.COM ", PASSWORD);
            assertThat(alice.email()).isEqualTo("alice@example.com");
            assertThat(alice.organizationId()).isEqualTo("org_a");
            assertThat(alice.id()).startsWith("user_");
            assertThat(alice.createdAt()).isEqualTo(Fixture.T0);

            // the password is stored only as a self-describing slow hash
            List<String> stored = allValues(f, "console_users");
            assertThat(stored).noneMatch(v -> v.contains(PASSWORD));
            assertThat(stored).anyMatch(v -> v.matches("pbkdf2_sha256\\$1000\\$.{22}\\$.{43}"));

            EngineException e =
                    failure(() -> console.createUser("org_a", "bob@example.com", "short"));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(e.errors())
                    .extracting(x -> x.field() + " " + x.message())
                    .containsExactly("password must be at least 12 characters long");
            f.clock.advance(Duration.ofSeconds(1));
            // 11 characters, counted as code points (an emoji is one)
            e =
                    failure(
                            () ->
                                    console.createUser(
                                            "org_a", "bob@example.com", "abcdefghij\uD83D\uDE00"));
            assertThat(e.code()).isEqualTo(Code.VALIDATION_FAILED);
            assertThat(
                            console.createUser(
                                            "org_a", "bob@example.com", "abcdefghijk\uD83D\uDE00")
                                    .email())
                    .isEqualTo("bob@example.com");
            e = failure(() -> console.createUser("org_a", "not an email", null));
            assertThat(e.errors())
                    .extracting(x -> x.field() + " " + x.message())
                    .containsExactly("email must be an email address", "password is required");
            e = failure(() -> console.createUser("org_a", null, "x".repeat(1025)));
            assertThat(e.errors())
                    .extracting(x -> x.field() + " " + x.message())
                    .containsExactly(
                            "email is required", "password must be at most 1024 characters long");

            // unique per organization, whatever the case
            e = failure(() -> console.createUser("org_a", "ALICE@example.com", PASSWORD));
            assertThat(e.code()).isEqualTo(Code.CONFLICT);
            ConsoleUser aliceB =
                    console.createUser("org_b", "alice@example.com", "another password!");

            assertThat(console.users("org_a"))
                    .extracting(ConsoleUser::email)
                    .containsExactly("alice@example.com", "bob@example.com");
            assertThat(console.users("org_b")).containsExactly(aliceB);

            // one organization cannot delete another's user
            assertThat(failure(() -> console.deleteUser("org_a", aliceB.id())).code())
                    .isEqualTo(Code.NOT_FOUND);
            assertThat(failure(() -> console.deleteUser("org_a", "user_nothere")).code())
                    .isEqualTo(Code.NOT_FOUND);
            console.deleteUser("org_b", aliceB.id());
            assertThat(console.users("org_b")).isEmpty();
            assertThat(console.users("org_a")).hasSize(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aPasswordLoginOpensASessionStoredOnlyByTheHashOfItsToken(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            ConsoleManager console = console(f);
            ConsoleUser alice = console.createUser("org_a", "alice@example.com", PASSWORD);
            ConsoleLogin login =
                    console.logInWithPassword("ALICE@example.com ", PASSWORD, null, "10.0.0.1");
            assertThat(login.token()).startsWith(Tokens.CONSOLE_SESSION);
            assertThat(Tokens.looksLike(login.token(), Tokens.CONSOLE_SESSION)).isTrue();
            ConsoleSession session = login.session();
            assertThat(session.organizationId()).isEqualTo("org_a");
            assertThat(session.user()).isEqualTo(alice);
            assertThat(session.csrfToken()).hasSize(32).matches("[A-Za-z0-9]+");
            assertThat(session.createdAt()).isEqualTo(Fixture.T0);
            assertThat(session.expiresAt()).isEqualTo(Fixture.T0.plus(Duration.ofHours(12)));
            assertThat(login.toString()).doesNotContain(login.token());
            assertThat(session.toString()).doesNotContain(session.csrfToken());

            assertThat(console.session(login.token())).contains(session);
            assertThat(allValues(f, "console_sessions"))
                    .doesNotContain(login.token())
                    .contains(Tokens.hash(login.token()));

            // a second login is a second session with its own CSRF token
            ConsoleLogin again =
                    console.logInWithPassword("alice@example.com", PASSWORD, "org_a", null);
            assertThat(again.token()).isNotEqualTo(login.token());
            assertThat(again.session().csrfToken()).isNotEqualTo(session.csrfToken());

            // logout ends only that session
            assertThat(console.logOut(login.token())).isTrue();
            assertThat(console.session(login.token())).isEmpty();
            assertThat(console.logOut(login.token())).isFalse();
            assertThat(console.session(again.token())).isPresent();

            // unknown and malformed tokens
            assertThat(console.session(Tokens.newToken(Tokens.CONSOLE_SESSION))).isEmpty();
            assertThat(console.session("ibk_" + login.token().substring(4))).isEmpty();
            assertThat(console.session(null)).isEmpty();
            assertThat(console.session("")).isEmpty();
            assertThat(console.logOut("nonsense")).isFalse();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void sessionsEndWhenIdleAndAtTheirAbsoluteLifetimeAndArePurged(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            ConsoleManager console = console(f);
            console.createUser("org_a", "alice@example.com", PASSWORD);
            String idle =
                    console.logInWithPassword("alice@example.com", PASSWORD, null, null).token();
            String busy =
                    console.logInWithPassword("alice@example.com", PASSWORD, null, null).token();

            // used every 11 hours, a session lives on; unused for 12 hours, it ends
            f.clock.advance(Duration.ofHours(11));
            assertThat(console.session(busy).orElseThrow().expiresAt())
                    .isEqualTo(Fixture.T0.plus(Duration.ofHours(23)));
            f.clock.advance(Duration.ofHours(1));
            assertThat(console.session(idle)).isEmpty();
            assertThat(console.session(busy)).isPresent();

            // within a minute of the last use (just now), the expiry is not rewritten
            f.clock.advance(Duration.ofSeconds(30));
            assertThat(console.session(busy).orElseThrow().expiresAt())
                    .isEqualTo(Fixture.T0.plus(Duration.ofHours(24)));

            // however much it is used, a session ends 7 days after it was opened
            for (int i = 0; i < 16; i++) {
                f.clock.advance(Duration.ofHours(11));
                if (f.clock.instant().isBefore(Fixture.T0.plus(Duration.ofDays(7)))) {
                    ConsoleSession live = console.session(busy).orElseThrow();
                    assertThat(live.expiresAt())
                            .isBeforeOrEqualTo(Fixture.T0.plus(Duration.ofDays(7)));
                } else {
                    assertThat(console.session(busy)).isEmpty();
                }
            }
            assertThat(console.session(busy)).isEmpty();

            // the housekeeping deletes expired sessions, and only those
            String fresh =
                    console.logInWithPassword("alice@example.com", PASSWORD, null, null).token();
            assertThat(
                            new org.ironbridge.store.ConsoleRepository(f.db.dataSource())
                                    .countSessions("org_a"))
                    .isEqualTo(3);
            assertThat(console.purgeExpired()).isEqualTo(2);
            assertThat(console.purgeExpired()).isZero();
            assertThat(console.session(fresh)).isPresent();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void wrongPasswordsAndUnknownEmailsFailAlikeAtTheSameCost(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            ConsoleManager console = console(f);
            console.createUser("org_a", "alice@example.com", PASSWORD);
            PasswordHasher h = console.hasher();

            long before = h.derivations();
            EngineException wrongPassword =
                    failure(
                            () ->
                                    console.logInWithPassword(
                                            "alice@example.com", "wrong password!", null, "ip1"));
            long wrongPasswordCost = h.derivations() - before;

            before = h.derivations();
            EngineException unknownEmail =
                    failure(
                            () ->
                                    console.logInWithPassword(
                                            "nobody@example.com", PASSWORD, null, "ip2"));
            long unknownEmailCost = h.derivations() - before;

            before = h.derivations();
            EngineException otherOrganization =
                    failure(
                            () ->
                                    console.logInWithPassword(
                                            "alice@example.com", PASSWORD, "org_b", "ip3"));
            long otherOrganizationCost = h.derivations() - before;

            before = h.derivations();
            EngineException notAnEmail =
                    failure(() -> console.logInWithPassword("", "", null, "ip4"));
            long notAnEmailCost = h.derivations() - before;

            for (EngineException e :
                    List.of(wrongPassword, unknownEmail, otherOrganization, notAnEmail)) {
                assertThat(e.code()).isEqualTo(Code.TOKEN_INVALID);
                assertThat(e.getMessage()).isEqualTo(wrongPassword.getMessage());
            }
            assertThat(wrongPassword.getMessage())
                    .doesNotContain("password")
                    .doesNotContain("email");
            // each costs one PBKDF2 derivation at the configured iterations
            assertThat(
                            List.of(
                                    wrongPasswordCost,
                                    unknownEmailCost,
                                    otherOrganizationCost,
                                    notAnEmailCost))
                    .containsOnly(1L);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void failedLoginsAreThrottledPerEmailAndPerAddress(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            ConsoleManager console = console(f);
            console.createUser("org_a", "alice@example.com", PASSWORD);
            console.createUser("org_a", "bob@example.com", PASSWORD);

            // 10 failures for alice from 10 addresses
            for (int i = 0; i < 10; i++) {
                f.clock.advance(Duration.ofSeconds(10));
                int n = i;
                assertThat(
                                failure(
                                                () ->
                                                        console.logInWithPassword(
                                                                "alice@example.com",
                                                                "guess " + n + " wrong",
                                                                null,
                                                                "10.0.0." + n))
                                        .code())
                        .isEqualTo(Code.TOKEN_INVALID);
            }
            // the 11th is refused, even with the right password, without verifying it
            long before = console.hasher().derivations();
            EngineException limited =
                    failure(
                            () ->
                                    console.logInWithPassword(
                                            "Alice@example.com", PASSWORD, null, "10.9.9.9"));
            assertThat(limited.code()).isEqualTo(Code.RATE_LIMITED);
            assertThat(console.hasher().derivations()).isEqualTo(before);
            // until the oldest failure (100 s ago) leaves the 15-minute window
            assertThat(limited.retryAfter()).isEqualTo(Duration.ofSeconds(900 - 90));
            assertThat(limited.getMessage()).contains("810 seconds");
            // bob is not affected
            assertThat(
                            console.logInWithPassword("bob@example.com", PASSWORD, null, "10.9.9.9")
                                    .session())
                    .isNotNull();

            f.clock.advance(Duration.ofSeconds(900 - 90));
            ConsoleLogin ok =
                    console.logInWithPassword("alice@example.com", PASSWORD, null, "10.9.9.9");
            assertThat(console.session(ok.token())).isPresent();
            // a success forgets the email's failures
            for (int i = 0; i < 9; i++) {
                failure(
                        () ->
                                console.logInWithPassword(
                                        "alice@example.com", "wrong again!!", null, "10.1.1." + 1));
            }
            assertThat(
                            console.logInWithPassword(
                                            "alice@example.com", PASSWORD, null, "10.2.2.2")
                                    .token())
                    .isNotNull();

            // 10 failures from one address, each for another email: that address is refused
            for (int i = 0; i < 10; i++) {
                int n = i;
                failure(
                        () ->
                                console.logInWithPassword(
                                        "user" + n + "@example.com", PASSWORD, null, "192.0.2.7"));
            }
            assertThat(
                            failure(
                                            () ->
                                                    console.logInWithPassword(
                                                            "bob@example.com",
                                                            PASSWORD,
                                                            null,
                                                            "192.0.2.7"))
                                    .code())
                    .isEqualTo(Code.RATE_LIMITED);
            assertThat(failure(() -> console.logInWithAdminKey(KEY_C, "192.0.2.7")).code())
                    .isEqualTo(Code.RATE_LIMITED);
            assertThat(
                            console.logInWithPassword(
                                            "bob@example.com", PASSWORD, null, "192.0.2.8")
                                    .token())
                    .isNotNull();

            // the housekeeping forgets failures older than the window
            f.clock.advance(Duration.ofMinutes(16));
            console.purgeExpired();
            assertThat(allValues(f, "console_login_failures")).isEmpty();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void anAdminKeyOpensASessionWithoutAUserThatEndsWhenTheKeyIsRevoked(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            ConsoleManager console = console(f);
            new OrganizationRepository(f.db.dataSource())
                    .createWithAdminKey(
                            "org_c", "C", 1, "key_c", Tokens.hash(KEY_C), "ibk_cons", Fixture.T0);
            ConsoleLogin login = console.logInWithAdminKey(KEY_C, "127.0.0.1");
            assertThat(login.session().organizationId()).isEqualTo("org_c");
            assertThat(login.session().user()).isNull();
            assertThat(console.session(login.token())).contains(login.session());

            for (String wrong :
                    new String[] {
                        "ibk_unknownKey0000000000000000000",
                        "ibt_consoleTestKeyOfOrgC000000000",
                        "",
                        null
                    }) {
                EngineException e = failure(() -> console.logInWithAdminKey(wrong, "127.0.0.1"));
                assertThat(e.code()).isEqualTo(Code.TOKEN_INVALID);
            }

            try (Connection c = f.db.dataSource().getConnection();
                    PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE admin_api_keys SET revoked_at = 1 WHERE id = 'key_c'")) {
                ps.executeUpdate();
            }
            assertThat(console.session(login.token())).isEmpty();
            assertThat(failure(() -> console.logInWithAdminKey(KEY_C, "127.0.0.2")).code())
                    .isEqualTo(Code.TOKEN_INVALID);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void deletingAUserEndsItsSessionsAndOnlyThose(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            ConsoleManager console = console(f);
            ConsoleUser alice = console.createUser("org_a", "alice@example.com", PASSWORD);
            console.createUser("org_a", "bob@example.com", PASSWORD);
            String a1 =
                    console.logInWithPassword("alice@example.com", PASSWORD, null, null).token();
            String a2 =
                    console.logInWithPassword("alice@example.com", PASSWORD, null, null).token();
            String b = console.logInWithPassword("bob@example.com", PASSWORD, null, null).token();
            console.deleteUser("org_a", alice.id());
            assertThat(console.session(a1)).isEmpty();
            assertThat(console.session(a2)).isEmpty();
            assertThat(console.session(b)).isPresent();
            assertThat(
                            failure(
                                            () ->
                                                    console.logInWithPassword(
                                                            "alice@example.com",
                                                            PASSWORD,
                                                            null,
                                                            null))
                                    .code())
                    .isEqualTo(Code.TOKEN_INVALID);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void oneEmailInTwoOrganizationsLogsIntoTheOneWhosePasswordMatches(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            ConsoleManager console = console(f);
            console.createUser("org_a", "ops@example.com", "password of org a");
            console.createUser("org_b", "ops@example.com", "password of org b");
            assertThat(
                            console.logInWithPassword(
                                            "ops@example.com", "password of org b", null, null)
                                    .session()
                                    .organizationId())
                    .isEqualTo("org_b");
            assertThat(
                            console.logInWithPassword(
                                            "ops@example.com", "password of org a", null, null)
                                    .session()
                                    .organizationId())
                    .isEqualTo("org_a");
            assertThat(
                            failure(
                                            () ->
                                                    console.logInWithPassword(
                                                            "ops@example.com",
                                                            "password of org b",
                                                            "org_a",
                                                            null))
                                    .code())
                    .isEqualTo(Code.TOKEN_INVALID);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void aLoginRehashesAPasswordHashedAtALowerCost(DatabaseSettings s) throws Exception {
        try (Fixture f = new Fixture(s)) {
            ConsoleManager console = console(f);
            console.createUser("org_a", "alice@example.com", PASSWORD);
            console.configure(
                    new ConsoleManager.Settings(
                            Duration.ofHours(12),
                            Duration.ofDays(7),
                            2000,
                            10,
                            Duration.ofMinutes(15)));
            assertThat(allValues(f, "console_users"))
                    .anyMatch(v -> v.startsWith("pbkdf2_sha256$1000$"));
            console.logInWithPassword("alice@example.com", PASSWORD, null, null);
            assertThat(allValues(f, "console_users"))
                    .anyMatch(v -> v.startsWith("pbkdf2_sha256$2000$"))
                    .noneMatch(v -> v.startsWith("pbkdf2_sha256$1000$"));
            assertThat(console.logInWithPassword("alice@example.com", PASSWORD, null, null).token())
                    .isNotNull();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void theBootstrapCreatesTheConsoleUserOfTheEnvironmentOnce(DatabaseSettings s)
            throws Exception {
        try (Fixture f = new Fixture(s)) {
            ConsoleManager console = console(f);
            new OrganizationRepository(f.db.dataSource())
                    .createWithAdminKey(
                            BootstrapComponent.DEFAULT_ORG,
                            "D",
                            1,
                            "key_d",
                            "d".repeat(64),
                            "ibk_d",
                            Fixture.T0);
            assertThat(BootstrapComponent.ensureConsoleUser(console, "Admin@Example.com", PASSWORD))
                    .isTrue();
            assertThat(
                            BootstrapComponent.ensureConsoleUser(
                                    console, "admin@example.com", "another password"))
                    .isFalse();
            assertThat(BootstrapComponent.ensureConsoleUser(console, "second@example.com", null))
                    .isFalse();
            assertThat(BootstrapComponent.ensureConsoleUser(console, "third@example.com", "short"))
                    .isFalse();
            assertThat(console.users(BootstrapComponent.DEFAULT_ORG))
                    .extracting(ConsoleUser::email)
                    .containsExactly("admin@example.com");
            // the first password stays
            assertThat(
                            console.logInWithPassword("admin@example.com", PASSWORD, null, null)
                                    .session()
                                    .organizationId())
                    .isEqualTo(BootstrapComponent.DEFAULT_ORG);
        }
    }
}
