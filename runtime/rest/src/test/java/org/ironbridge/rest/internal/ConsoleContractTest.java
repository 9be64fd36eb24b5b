package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.Fakes.CONN_A1;
import static org.ironbridge.rest.internal.Fakes.CONN_B1;
import static org.ironbridge.rest.internal.Fakes.KEY_A;
import static org.ironbridge.rest.internal.Fakes.KEY_B;
import static org.ironbridge.rest.internal.Fakes.ORG_A;
import static org.ironbridge.rest.internal.Fakes.ORG_B;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.ironbridge.engine.ConsoleUser;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The web console's login: {@code /v1/console/session}, the session cookie on the admin API with
 * its CSRF token, logout, and console users at {@code /v1/admin/console-users}.
 */
class ConsoleContractTest extends ApiTestBase {
    private static final String PASSWORD = "correct horse battery";
    private static final String CREATE_CONNECTION =
            "{'system':'acme-erp','customer_id':'cust-9','name':'Plant 9',"
                    + "'credentials':{'base_url':'https://erp.example','username':'u','password':'p'}}";

    /** A logged-in browser: its cookie's token and the session's CSRF token. */
    record Browser(String token, String csrf, Res login) {}

    ConsoleUser alice;
    ConsoleUser bob;

    @BeforeEach
    void users() throws Exception {
        alice = consoles.createUser(ORG_A, "alice@example.com", PASSWORD);
        bob = consoles.createUser(ORG_B, "bob@example.com", PASSWORD);
    }

    private static String cookieToken(Res r) {
        String setCookie = r.header("Set-Cookie");
        assertThat(setCookie).as("Set-Cookie of %s", r).startsWith("ironbridge_session=");
        return setCookie.substring("ironbridge_session=".length(), setCookie.indexOf(';'));
    }

    private Browser logIn(String singleQuotedBody) {
        Res r = post("/v1/console/session").json(singleQuotedBody).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return new Browser(cookieToken(r), r.json().path("csrf_token").asText(), r);
    }

    private Browser logInA() {
        return logIn("{'admin_key':'" + KEY_A + "'}");
    }

    private Call as(Browser b, Call c) {
        return c.header("Cookie", "ironbridge_session=" + b.token());
    }

    private static List<String> ids(Res r) {
        List<String> out = new ArrayList<>();
        r.json().path("data").forEach(n -> out.add(n.path("id").asText()));
        return out;
    }

    private static void expect(Res r, int status, String code) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.code()).as("%s", r).isEqualTo(code);
    }

    // --- login ---

    @Test
    void anAdminKeyLoginSetsAnHttpOnlyStrictCookieAndReturnsTheCsrfToken() {
        Browser b = logInA();
        JsonNode body = b.login().json();
        assertThat(body.path("organization_id").asText()).isEqualTo(ORG_A);
        assertThat(body.has("user")).isTrue();
        assertThat(body.path("user").isNull()).isTrue();
        assertThat(body.path("csrf_token").asText()).hasSize(32);
        assertThat(body.path("expires_at").asText()).isEqualTo("2026-11-01T20:00:00Z");
        List<String> fields = new ArrayList<>();
        body.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("organization_id", "user", "csrf_token", "expires_at");

        assertThat(b.token()).startsWith("ibc_");
        assertThat(b.login().header("Set-Cookie"))
                .isEqualTo(
                        "ironbridge_session=" + b.token() + "; Path=/; HttpOnly; SameSite=Strict");
        assertThat(b.login().header("Cache-Control")).isEqualTo("no-store");
        // the token is only in the cookie, never in the body
        assertThat(b.login().body()).doesNotContain(b.token()).doesNotContain(KEY_A);
    }

    @Test
    void overHttpsTheCookieIsSecure() {
        Res r =
                post("/v1/console/session")
                        .header("X-Forwarded-Proto", "https")
                        .json("{'admin_key':'" + KEY_A + "'}")
                        .send();
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Set-Cookie")).endsWith("; Path=/; HttpOnly; SameSite=Strict; Secure");
        Res out =
                as(new Browser(cookieToken(r), null, r), call("DELETE", "/v1/console/session"))
                        .header("X-Forwarded-Proto", "https")
                        .header("X-CSRF-Token", r.json().path("csrf_token").asText())
                        .send();
        assertThat(out.header("Set-Cookie"))
                .isEqualTo(
                        "ironbridge_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict;"
                                + " Secure");
    }

    @Test
    void aConsoleUserLogsInWithEmailAndPassword() {
        Browser b = logIn("{'email':'Alice@Example.com','password':'" + PASSWORD + "'}");
        JsonNode body = b.login().json();
        assertThat(body.path("organization_id").asText()).isEqualTo(ORG_A);
        assertThat(body.path("user").path("id").asText()).isEqualTo(alice.id());
        assertThat(body.path("user").path("email").asText()).isEqualTo("alice@example.com");
        assertThat(body.path("user").path("created_at").asText()).isEqualTo("2026-11-22T10:15:30Z");
        assertThat(body.path("user").size()).isEqualTo(3);
        assertThat(b.login().body()).doesNotContain(PASSWORD);
        // organization_id narrows the login to one organization
        Res other =
                post("/v1/console/session")
                        .json(
                                "{'email':'alice@example.com','password':'"
                                        + PASSWORD
                                        + "','organization_id':'"
                                        + ORG_B
                                        + "'}")
                        .send();
        expect(other, 401, "token_invalid");
    }

    @Test
    void wrongCredentialsAre401TokenInvalidWithOneDetailWhateverWasWrong() {
        List<Res> failures =
                List.of(
                        post("/v1/console/session")
                                .json("{'email':'alice@example.com','password':'wrong password!'}")
                                .send(),
                        post("/v1/console/session")
                                .json(
                                        "{'email':'nobody@example.com','password':'"
                                                + PASSWORD
                                                + "'}")
                                .send(),
                        post("/v1/console/session")
                                .json("{'admin_key':'" + Fakes.KEY_UNKNOWN + "'}")
                                .send(),
                        post("/v1/console/session")
                                .json("{'admin_key':'" + Fakes.TOKEN_A1 + "'}")
                                .send());
        for (Res r : failures) {
            expect(r, 401, "token_invalid");
            assertThat(r.header("Set-Cookie")).as("%s", r).isNull();
            assertThat(r.json().path("detail").asText()).isEqualTo(FakeConsoleService.INVALID);
        }
        assertThat(consoles.sessions).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{}",
                "{'email':'alice@example.com'}",
                "{'password':'" + PASSWORD + "'}",
                "{'admin_key':'" + KEY_A + "','email':'alice@example.com'}",
                "{'admin_key':'" + KEY_A + "','organization_id':'org_a'}",
                "{'username':'alice','password':'" + PASSWORD + "'}",
                "[]",
                "not json"
            })
    void malformedLoginsAre422(String body) {
        Res r = post("/v1/console/session").json(body).send();
        expect(r, 422, "validation_failed");
        assertThat(r.header("Set-Cookie")).isNull();
        assertThat(r.body()).doesNotContain(PASSWORD).doesNotContain(KEY_A);
        assertThat(consoles.sessions).isEmpty();
    }

    @Test
    void anEmptyLoginNamesTheFieldsItNeeds() {
        Res r = post("/v1/console/session").send();
        expect(r, 422, "validation_failed");
        assertThat(r.errorFields()).containsExactly("admin_key");
        r = post("/v1/console/session").json("{'email':'alice@example.com'}").send();
        assertThat(r.errorFields()).containsExactly("password");
        r = post("/v1/console/session").contentType("text/plain").body("admin_key=x").send();
        expect(r, 415, "unsupported_media_type");
    }

    @Test
    void tooManyFailuresAre429WithRetryAfterAndTheClientAddressIsPassedOn() {
        for (int i = 0; i < FakeConsoleService.MAX_FAILURES; i++) {
            Res r =
                    post("/v1/console/session")
                            .header("X-Forwarded-For", "198.51.100.7, 10.0.0.2")
                            .json(
                                    "{'email':'alice@example.com','password':'guess number "
                                            + i
                                            + "'}")
                            .send();
            expect(r, 401, "token_invalid");
        }
        Res limited =
                post("/v1/console/session")
                        .json("{'email':'alice@example.com','password':'" + PASSWORD + "'}")
                        .send();
        expect(limited, 429, "rate_limited");
        assertThat(limited.header("Retry-After")).isEqualTo("600");
        assertThat(limited.header("Set-Cookie")).isNull();
        // no servlet peer in memory: the last X-Forwarded-For hop is the client
        assertThat(consoles.addresses).first().isEqualTo("10.0.0.2");
    }

    // --- the cookie on the admin API ---

    @Test
    void theCookieAuthenticatesTheAdminApiForItsOrganizationOnly() {
        Browser a = logInA();
        Res list = as(a, get("/v1/admin/connections")).send();
        assertThat(list.status()).as("%s", list).isEqualTo(200);
        assertThat(ids(list))
                .containsExactlyInAnyOrder(CONN_A1, Fakes.CONN_A2, Fakes.CONN_A3, Fakes.CONN_AR);
        expect(as(a, get("/v1/admin/connections/" + CONN_B1)).send(), 404, "not_found");
        assertThat(as(a, get("/v1/admin/credits")).send().status()).isEqualTo(200);
        assertThat(as(a, get("/v1/admin/connectors")).send().status()).isEqualTo(200);
    }

    @Test
    void anotherOrganizationsSessionSeesNoneOfItsConnectionsOrUsers() {
        Browser b = logIn("{'email':'bob@example.com','password':'" + PASSWORD + "'}");
        assertThat(b.login().json().path("organization_id").asText()).isEqualTo(ORG_B);
        Res list = as(b, get("/v1/admin/connections")).send();
        assertThat(ids(list)).containsExactlyInAnyOrder(CONN_B1, Fakes.CONN_B2);
        assertThat(list.body()).doesNotContain(CONN_A1);
        expect(as(b, get("/v1/admin/connections/" + CONN_A1)).send(), 404, "not_found");
        expect(
                as(b, call("DELETE", "/v1/admin/connections/" + CONN_A1))
                        .header("X-CSRF-Token", b.csrf())
                        .send(),
                404,
                "not_found");
        Res users = as(b, get("/v1/admin/console-users")).send();
        assertThat(ids(users)).containsExactly(bob.id());
        assertThat(users.body()).doesNotContain("alice");
        expect(
                as(b, call("DELETE", "/v1/admin/console-users/" + alice.id()))
                        .header("X-CSRF-Token", b.csrf())
                        .send(),
                404,
                "not_found");
        assertThat(consoles.users).containsKey(alice.id());
        assertThat(connections.disconnects).isEmpty();
    }

    @Test
    void unsafeMethodsWithTheCookieNeedTheSessionsCsrfToken() {
        Browser a = logInA();
        Browser other = logIn("{'admin_key':'" + KEY_B + "'}");

        Res missing = as(a, post("/v1/admin/connections")).json(CREATE_CONNECTION).send();
        expect(missing, 403, "csrf_token_invalid");
        assertThat(missing.json().path("detail").asText()).contains("X-CSRF-Token");
        expect(
                as(a, post("/v1/admin/connections"))
                        .header("X-CSRF-Token", "")
                        .json(CREATE_CONNECTION)
                        .send(),
                403,
                "csrf_token_invalid");
        expect(
                as(a, post("/v1/admin/connections"))
                        .header("X-CSRF-Token", a.csrf() + "x")
                        .json(CREATE_CONNECTION)
                        .send(),
                403,
                "csrf_token_invalid");
        // another session's token does not do
        expect(
                as(a, post("/v1/admin/connections"))
                        .header("X-CSRF-Token", other.csrf())
                        .json(CREATE_CONNECTION)
                        .send(),
                403,
                "csrf_token_invalid");
        expect(
                as(a, call("DELETE", "/v1/admin/connections/" + CONN_A1)).send(),
                403,
                "csrf_token_invalid");
        expect(
                as(a, post("/v1/admin/connections/" + CONN_A1 + "/syncs")).json("{}").send(),
                403,
                "csrf_token_invalid");
        expect(
                as(a, post("/v1/admin/console-users"))
                        .json("{'email':'carol@example.com','password':'" + PASSWORD + "'}")
                        .send(),
                403,
                "csrf_token_invalid");
        assertThat(connections.created).isEmpty();
        assertThat(connections.disconnects).isEmpty();
        assertThat(connections.syncRequests).isEmpty();
        assertThat(consoles.users).hasSize(2);

        // with the token, they go through, as the organization of the session
        Res created =
                as(a, post("/v1/admin/connections"))
                        .header("X-CSRF-Token", a.csrf())
                        .json(CREATE_CONNECTION)
                        .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(connections.createdBy).containsExactly(ORG_A);
        Res gone =
                as(a, call("DELETE", "/v1/admin/connections/" + CONN_A1))
                        .header("X-CSRF-Token", a.csrf())
                        .send();
        assertThat(gone.status()).as("%s", gone).isEqualTo(204);
        assertThat(connections.disconnects).containsExactly(CONN_A1);
    }

    @Test
    void theBearerAdminKeyWorksAsBeforeAndWinsOverACookie() {
        Browser a = logInA();
        // no CSRF token with the bearer key: a cross-site page cannot send that header
        Res created = post("/v1/admin/connections").token(KEY_A).json(CREATE_CONNECTION).send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        // an Authorization header is authenticated as such, even beside a valid cookie
        expect(
                as(a, get("/v1/admin/connections")).token(Fakes.KEY_UNKNOWN).send(),
                401,
                "token_invalid");
        Res asB = as(a, get("/v1/admin/connections")).token(KEY_B).send();
        assertThat(ids(asB)).containsExactlyInAnyOrder(CONN_B1, Fakes.CONN_B2);
    }

    @Test
    void anEndedOrUnknownSessionIs401AndAMissingServiceIs503() {
        Browser a = logInA();
        consoles.expire(a.token());
        expect(as(a, get("/v1/admin/connections")).send(), 401, "token_invalid");
        expect(as(a, get("/v1/console/session")).send(), 401, "token_invalid");
        expect(
                get("/v1/admin/connections")
                        .header("Cookie", "ironbridge_session=ibc_unknownSession0000000000000000")
                        .send(),
                401,
                "token_invalid");
        expect(
                get("/v1/admin/connections").header("Cookie", "ironbridge_session=garbage").send(),
                401,
                "token_invalid");
        // another cookie is no session: no token at all
        expect(
                get("/v1/admin/connections").header("Cookie", "other=1").send(),
                401,
                "token_missing");

        Browser b = logInA();
        services.console = null;
        expect(as(b, get("/v1/admin/connections")).send(), 503, "service_unavailable");
        expect(
                post("/v1/console/session").json("{'admin_key':'" + KEY_A + "'}").send(),
                503,
                "service_unavailable");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "ironbridge_session",
                "ironbridge_session=",
                "=;;",
                "ironbridge_session=\"ibc_quoted\"",
                "ironbridge_session=a=b; ironbridge_session=c",
                "ironbridge_session=\u00e9t\u00e9"
            })
    void malformedCookiesAre401NeverAnError(String cookie) {
        Res r = get("/v1/admin/connections").header("Cookie", cookie).send();
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        assertThat(r.code()).isIn("token_missing", "token_invalid");
        r = get("/v1/console/session").header("Cookie", cookie).send();
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        r = call("DELETE", "/v1/console/session").header("Cookie", cookie).send();
        assertThat(r.status()).as("%s", r).isEqualTo(204);
    }

    // --- current session and logout ---

    @Test
    void theCurrentSessionIsShownWithItsCsrfToken() {
        Browser b = logIn("{'email':'alice@example.com','password':'" + PASSWORD + "'}");
        Res r = as(b, get("/v1/console/session")).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.body()).isEqualTo(b.login().body());
        assertThat(r.header("Cache-Control")).isEqualTo("no-store");
        assertThat(r.header("Set-Cookie")).isNull();
        expect(get("/v1/console/session").send(), 401, "token_missing");
    }

    @Test
    void logoutEndsTheSessionAndClearsTheCookie() {
        Browser a = logInA();
        Browser a2 = logInA();
        // without the CSRF token, a cross-site page cannot log the user out
        expect(as(a, call("DELETE", "/v1/console/session")).send(), 403, "csrf_token_invalid");
        assertThat(as(a, get("/v1/admin/connections")).send().status()).isEqualTo(200);

        Res out =
                as(a, call("DELETE", "/v1/console/session"))
                        .header("X-CSRF-Token", a.csrf())
                        .send();
        assertThat(out.status()).as("%s", out).isEqualTo(204);
        assertThat(out.header("Set-Cookie"))
                .isEqualTo("ironbridge_session=; Max-Age=0; Path=/; HttpOnly; SameSite=Strict");
        expect(as(a, get("/v1/admin/connections")).send(), 401, "token_invalid");
        expect(as(a, get("/v1/console/session")).send(), 401, "token_invalid");
        // only that session ended
        assertThat(as(a2, get("/v1/admin/connections")).send().status()).isEqualTo(200);

        // logging out again, or without a session, just clears the cookie
        assertThat(as(a, call("DELETE", "/v1/console/session")).send().status()).isEqualTo(204);
        Res none = call("DELETE", "/v1/console/session").send();
        assertThat(none.status()).isEqualTo(204);
        assertThat(none.header("Set-Cookie")).startsWith("ironbridge_session=; Max-Age=0");
    }

    @Test
    void loggingInAgainEndsTheBrowsersPreviousSession() {
        Browser first = logInA();
        Res again =
                as(first, post("/v1/console/session"))
                        .json("{'email':'alice@example.com','password':'" + PASSWORD + "'}")
                        .send();
        assertThat(again.status()).isEqualTo(200);
        assertThat(consoles.sessions).doesNotContainKey(first.token()).hasSize(1);
    }

    // --- console users ---

    @Test
    void consoleUsersAreCreatedListedAndDeletedWithoutEverShowingPasswords() {
        Res created =
                post("/v1/admin/console-users")
                        .token(KEY_A)
                        .json("{'email':'Carol@Example.com','password':'" + PASSWORD + "'}")
                        .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(created.header("Location")).endsWith("/v1/admin/console-users/" + id);
        assertThat(created.json().path("email").asText()).isEqualTo("carol@example.com");
        assertThat(created.json().size()).isEqualTo(3);
        assertThat(created.body()).doesNotContain(PASSWORD).doesNotContain("password");

        Res list = get("/v1/admin/console-users").token(KEY_A).send();
        assertThat(list.status()).isEqualTo(200);
        assertThat(ids(list)).containsExactly(alice.id(), id);
        assertThat(list.body()).doesNotContain("password").doesNotContain(PASSWORD);
        assertThat(ids(get("/v1/admin/console-users").token(KEY_B).send()))
                .containsExactly(bob.id());

        // the new user logs in; deleting the user ends the session
        Browser carol = logIn("{'email':'carol@example.com','password':'" + PASSWORD + "'}");
        Res deleted = call("DELETE", "/v1/admin/console-users/" + id).token(KEY_A).send();
        assertThat(deleted.status()).as("%s", deleted).isEqualTo(204);
        expect(as(carol, get("/v1/admin/connections")).send(), 401, "token_invalid");
        expect(
                call("DELETE", "/v1/admin/console-users/" + id).token(KEY_A).send(),
                404,
                "not_found");
        expect(
                call("DELETE", "/v1/admin/console-users/" + bob.id()).token(KEY_A).send(),
                404,
                "not_found");
        assertThat(consoles.users).containsKey(bob.id());
    }

    @Test
    void aConsoleUserNeedsAnEmailAndAPasswordOfAtLeast12Characters() {
        Res r =
                post("/v1/admin/console-users")
                        .token(KEY_A)
                        .json("{'email':'carol@example.com','password':'elevenchars'}")
                        .send();
        expect(r, 422, "validation_failed");
        assertThat(r.errorFields()).containsExactly("password");
        assertThat(r.body()).doesNotContain("elevenchars");
        r = post("/v1/admin/console-users").token(KEY_A).json("{}").send();
        expect(r, 422, "validation_failed");
        assertThat(r.errorFields()).containsExactly("email", "password");
        r = post("/v1/admin/console-users").token(KEY_A).send();
        assertThat(r.errorFields()).containsExactly("email", "password");
        r =
                post("/v1/admin/console-users")
                        .token(KEY_A)
                        .json("{'email':'x@y','password':'" + PASSWORD + "','role':'admin'}")
                        .send();
        expect(r, 422, "validation_failed");
        r =
                post("/v1/admin/console-users")
                        .token(KEY_A)
                        .json("{'email':'ALICE@example.com','password':'" + PASSWORD + "'}")
                        .send();
        expect(r, 409, "conflict");
        assertThat(consoles.users).hasSize(2);
        expect(get("/v1/admin/console-users").send(), 401, "token_missing");
    }
}
