package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.FakeConnectSessionService.SESSION_A;
import static org.ironbridge.rest.internal.FakeConnectSessionService.SESSION_A_ALL;
import static org.ironbridge.rest.internal.FakeConnectSessionService.SESSION_B;
import static org.ironbridge.rest.internal.FakeConnectSessionService.SESSION_EXPIRED;
import static org.ironbridge.rest.internal.Fakes.KEY_A;
import static org.ironbridge.rest.internal.Fakes.KEY_B;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A1;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ironbridge.engine.Tokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connect flow's API (API.md "Connect flow"): sessions opened with the admin key, the page's
 * API with the session token, and the exchange of the one-time code. Each kind of token works only
 * on its own API; another organization never sees a session.
 */
class ConnectFlowContractTest extends ApiTestBase {
    private static final String GOOD =
            "{'system':'acme-erp','credentials':{'base_url':'https://erp.example','username':'u',"
                    + "'password':'p'}}";

    private static String connectBody(String password) {
        return GOOD.replace("'password':'p'", "'password':'" + password + "'");
    }

    private static void expectProblem(Res r, int status, String code) {
        assertThat(r.status()).as("%s", r).isEqualTo(status);
        assertThat(r.code()).as("%s", r).isEqualTo(code);
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private Res connect(String session, String body) {
        return post("/v1/connect/connections").token(session).json(body).send();
    }

    // --- POST /v1/admin/connect-sessions ---

    @Test
    void anOrganizationOpensASessionAndGetsItsTokenUrlAndExpiry() {
        Res r =
                post("/v1/admin/connect-sessions")
                        .token(KEY_A)
                        .json(
                                "{'customer_id':'cust-77','systems':['acme-erp'],"
                                        + "'redirect_url':'https://app.example.com/done'}")
                        .send();

        assertThat(r.status()).as("%s", r).isEqualTo(201);
        JsonNode b = r.json();
        assertThat(keys(b)).containsExactly("token", "url", "expires_at");
        String token = b.path("token").asText();
        assertThat(Tokens.looksLike(token, Tokens.CONNECT_SESSION)).isTrue();
        assertThat(b.path("url").asText()).matches("https?://[^/]+/connect/" + token);
        assertThat(Instant.parse(b.path("expires_at").asText()))
                .isBetween(Instant.now().plusSeconds(1700), Instant.now().plusSeconds(1800));
        assertThat(r.header("Cache-Control")).contains("no-store");

        var session = connectSessions.find(token).orElseThrow();
        assertThat(session.organizationId()).isEqualTo(Fakes.ORG_A);
        assertThat(session.customerId()).isEqualTo("cust-77");
        assertThat(session.systems()).containsExactly("acme-erp");
        assertThat(session.redirectUrl()).isEqualTo("https://app.example.com/done");

        // the new token works on the connect API at once
        assertThat(get("/v1/connect/systems").token(token).send().status()).isEqualTo(200);
    }

    @Test
    void thePageUrlUsesTheConfiguredPublicUrl() {
        services.publicUrl = "https://connect.example.com/ironbridge/";
        Res r =
                post("/v1/admin/connect-sessions")
                        .token(KEY_A)
                        .json("{'customer_id':'cust-77'}")
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(r.json().path("url").asText())
                .isEqualTo(
                        "https://connect.example.com/ironbridge/connect/"
                                + r.json().path("token").asText());
    }

    @Test
    void aSessionRequestIsValidated() {
        Res r =
                post("/v1/admin/connect-sessions")
                        .token(KEY_A)
                        .json(
                                "{'customer_id':'','systems':['acme-erp','nope'],"
                                        + "'redirect_url':'ftp://files.example.com'}")
                        .send();
        expectProblem(r, 422, "validation_failed");
        assertThat(r.errorFields()).containsExactly("customer_id", "systems[1]", "redirect_url");

        expectProblem(
                post("/v1/admin/connect-sessions")
                        .token(KEY_A)
                        .json("{'customer_id':'c','color':'red'}")
                        .send(),
                422,
                "validation_failed");
        expectProblem(
                post("/v1/admin/connect-sessions")
                        .token(KEY_A)
                        .json("{'customer_id':'c'," + "'systems':{'a':1}}")
                        .send(),
                422,
                "validation_failed");
        Res empty = post("/v1/admin/connect-sessions").token(KEY_A).body("").send();
        expectProblem(empty, 422, "validation_failed");
        assertThat(empty.errorFields()).containsExactly("customer_id");
        expectProblem(
                post("/v1/admin/connect-sessions")
                        .token(KEY_A)
                        .contentType("text/plain")
                        .body("customer_id=c")
                        .send(),
                415,
                "unsupported_media_type");
    }

    @Test
    void openingASessionNeedsAnAdminKey() {
        String body = json("{'customer_id':'c'}");
        expectProblem(post("/v1/admin/connect-sessions").body(body).send(), 401, "token_missing");
        for (String token : List.of(TOKEN_A1, SESSION_A, Fakes.KEY_UNKNOWN)) {
            expectProblem(
                    post("/v1/admin/connect-sessions").token(token).body(body).send(),
                    401,
                    "token_invalid");
        }
    }

    // --- GET /v1/connect/systems ---

    @Test
    void thePageListsTheOfferedSystemsWithTheirFormFields() {
        Res r = get("/v1/connect/systems").token(SESSION_A).send();

        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode data = r.json().path("data");
        assertThat(data).hasSize(1);
        JsonNode erp = data.get(0);
        assertThat(keys(erp))
                .containsExactly("system", "name", "vendor", "category", "credential_fields");
        assertThat(erp.path("system").asText()).isEqualTo("acme-erp");
        assertThat(erp.path("name").asText()).isEqualTo("Acme ERP");
        assertThat(erp.path("category").asText()).isEqualTo("erp");
        JsonNode password = erp.path("credential_fields").get(2);
        assertThat(password.path("name").asText()).isEqualTo("password");
        assertThat(password.path("type").asText()).isEqualTo("secret");
        assertThat(password.path("secret").asBoolean()).isTrue();
        assertThat(password.path("required").asBoolean()).isTrue();
        assertThat(r.json().path("expires_at").asText()).isNotBlank();

        JsonNode all = get("/v1/connect/systems").token(SESSION_A_ALL).send().json().path("data");
        assertThat(all.findValuesAsText("system")).containsExactly("acme-cmms", "acme-erp");
    }

    @Test
    void theConnectApiTakesOnlyAnOpenSessionToken() {
        expectProblem(get("/v1/connect/systems").send(), 401, "token_missing");
        for (String token :
                List.of(
                        KEY_A,
                        TOKEN_A1,
                        SESSION_EXPIRED,
                        "ibs_unknownConnectSession000000000",
                        "ibs_short")) {
            expectProblem(get("/v1/connect/systems").token(token).send(), 401, "token_invalid");
            expectProblem(connect(token, GOOD), 401, "token_invalid");
        }
        assertThat(
                        get("/v1/connect/systems")
                                .token(SESSION_EXPIRED)
                                .send()
                                .json()
                                .path("detail")
                                .asText())
                .contains("expired");
        assertThat(connections.created).isEmpty();
    }

    // --- POST /v1/connect/connections ---

    @Test
    void sourceErrorsAreThoseOfTheAdminCreateAndLeaveTheSessionOpen() {
        Res rejected = connect(SESSION_A, connectBody("wrong"));
        expectProblem(rejected, 422, "credentials_rejected");
        assertThat(rejected.json().path("detail").asText())
                .isEqualTo("Acme ERP said: invalid user name or password.");

        Res down = connect(SESSION_A, connectBody("down"));
        expectProblem(down, 503, "source_unavailable");
        assertThat(down.header("Retry-After")).isEqualTo("120");

        Res other = connect(SESSION_A, "{'system':'acme-cmms','credentials':{'api_key':'k'}}");
        expectProblem(other, 422, "validation_failed");
        assertThat(other.errorFields()).containsExactly("system");

        Res noSystem = connect(SESSION_A, "{'credentials':{}}");
        expectProblem(noSystem, 422, "validation_failed");
        assertThat(noSystem.errorFields()).containsExactly("system");
        Res nested = connect(SESSION_A, "{'system':'acme-erp','credentials':{'password':{'a':1}}}");
        assertThat(nested.errorFields()).containsExactly("credentials.password");
        expectProblem(connect(SESSION_A, "{'system':'acme-erp','x':1}"), 422, "validation_failed");

        // the session is still open after all of these
        assertThat(get("/v1/connect/systems").token(SESSION_A).send().status()).isEqualTo(200);
        assertThat(connections.created).isEmpty();
    }

    @Test
    void aCustomerWithoutCreditsGets402() {
        String token =
                post("/v1/admin/connect-sessions")
                        .token(KEY_A)
                        .json("{'customer_id':'no-credits'}")
                        .send()
                        .json()
                        .path("token")
                        .asText();
        expectProblem(connect(token, GOOD), 402, "insufficient_credits");
    }

    @Test
    void theFullFlowEndsWithAConnectionTokenFromTheExchange() {
        Res created = connect(SESSION_A, GOOD);

        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(created.header("Cache-Control")).contains("no-store");
        JsonNode b = created.json();
        assertThat(keys(b))
                .containsExactly(
                        "connection_id", "system", "code", "code_expires_at", "redirect_url");
        String connectionId = b.path("connection_id").asText();
        String code = b.path("code").asText();
        assertThat(b.path("system").asText()).isEqualTo("acme-erp");
        assertThat(b.path("redirect_url").asText())
                .isEqualTo(
                        FakeConnectSessionService.REDIRECT
                                + "&connection_id="
                                + connectionId
                                + "&code="
                                + code);
        assertThat(b.toString()).doesNotContain("ibt_");
        assertThat(connections.createdBy).containsExactly(Fakes.ORG_A);
        assertThat(connections.created.get(0).customerId()).isEqualTo("cust-9");
        assertThat(connections.created.get(0).deployment()).isEqualTo("cloud");

        // the session is spent
        expectProblem(get("/v1/connect/systems").token(SESSION_A).send(), 401, "token_invalid");
        expectProblem(connect(SESSION_A, GOOD), 401, "token_invalid");

        // another organization cannot exchange the code; a wrong code is refused
        String exchange = "/v1/admin/connect-sessions/" + SESSION_A + "/exchange";
        expectProblem(
                post(exchange).token(KEY_B).json("{'code':'" + code + "'}").send(),
                404,
                "not_found");
        Res wrong = post(exchange).token(KEY_A).json("{'code':'nope'}").send();
        expectProblem(wrong, 422, "validation_failed");
        assertThat(wrong.errorFields()).containsExactly("code");
        Res missing = post(exchange).token(KEY_A).json("{}").send();
        assertThat(missing.errorFields()).containsExactly("code");

        Res ok = post(exchange).token(KEY_A).json("{'code':'" + code + "'}").send();

        assertThat(ok.status()).as("%s", ok).isEqualTo(200);
        assertThat(ok.header("Cache-Control")).contains("no-store");
        assertThat(keys(ok.json())).containsExactly("connection", "token");
        assertThat(ok.json().path("connection").path("id").asText()).isEqualTo(connectionId);
        assertThat(ok.json().path("connection").path("customer_id").asText()).isEqualTo("cust-9");
        String token = ok.json().path("token").asText();
        assertThat(token).startsWith("ibt_");
        Res self = get("/v1/connection").token(token).send();
        assertThat(self.status()).as("%s", self).isEqualTo(200);
        assertThat(self.json().path("id").asText()).isEqualTo(connectionId);

        // the code works once
        Res reused = post(exchange).token(KEY_A).json("{'code':'" + code + "'}").send();
        expectProblem(reused, 422, "validation_failed");
        assertThat(reused.json().path("errors").get(0).path("message").asText())
                .isEqualTo("was already exchanged");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                SESSION_B,
                "ibs_unknownConnectSession000000000",
                "ibk_orgAadminKey00000000000000000",
                "nonsense"
            })
    void exchangingWithAnotherOrganizationsOrAnUnknownSessionIsNotFound(String session) {
        expectProblem(
                post("/v1/admin/connect-sessions/" + session + "/exchange")
                        .token(KEY_A)
                        .json("{'code':'abc'}")
                        .send(),
                404,
                "not_found");
    }

    @Test
    void theExchangeNeedsAnAdminKey() {
        String exchange = "/v1/admin/connect-sessions/" + SESSION_A + "/exchange";
        expectProblem(post(exchange).json("{'code':'abc'}").send(), 401, "token_missing");
        expectProblem(
                post(exchange).token(SESSION_A).json("{'code':'abc'}").send(),
                401,
                "token_invalid");
    }

    @Test
    void withoutTheConnectSessionServiceTheConnectFlowIs503() {
        services.connectSessions = null;
        expectProblem(
                get("/v1/connect/systems").token(SESSION_A).send(), 503, "service_unavailable");
        expectProblem(connect(SESSION_A, GOOD), 503, "service_unavailable");
        expectProblem(
                post("/v1/admin/connect-sessions").token(KEY_A).json("{'customer_id':'c'}").send(),
                503,
                "service_unavailable");
        // the token is still checked first: a wrong kind is 401, not 503
        expectProblem(get("/v1/connect/systems").token(KEY_A).send(), 401, "token_invalid");
    }

    // --- the OpenAPI document ---

    @Test
    void openApiDocumentsTheConnectFlow() {
        JsonNode doc = get("/openapi.json").send().json();
        JsonNode paths = doc.path("paths");
        List<String> wrong = new ArrayList<>();
        for (String[] op :
                new String[][] {
                    {"/v1/admin/connect-sessions", "post", "201", "adminKey"},
                    {"/v1/admin/connect-sessions/{token}/exchange", "post", "200", "adminKey"},
                    {"/v1/connect/systems", "get", "200", "connectSessionToken"},
                    {"/v1/connect/connections", "post", "201", "connectSessionToken"}
                }) {
            JsonNode o = paths.path(op[0]).path(op[1]);
            String name = op[1] + " " + op[0];
            if (o.isMissingNode()) {
                wrong.add(name + ": missing");
                continue;
            }
            JsonNode ok = o.path("responses").path(op[2]);
            if (ok.path("content").path("application/json").path("example").isMissingNode()) {
                wrong.add(name + ": no " + op[2] + " with an example");
            }
            if (!o.path("responses").has("401")) {
                wrong.add(name + ": no 401");
            }
            String security = o.path("security").toString();
            boolean admin = op[0].startsWith("/v1/admin/");
            // admin operations also accept the console's session cookie
            if (!security.equals(
                    "[{\"" + op[3] + "\":[]}" + (admin ? ",{\"consoleSession\":[]}" : "") + "]")) {
                wrong.add(name + ": security " + o.path("security"));
            }
        }
        assertThat(wrong).as("connect flow operations in openapi.json").isEmpty();
        assertThat(paths.path("/connect/{token}").path("get").isMissingNode()).isFalse();
        assertThat(doc.at("/components/securitySchemes/connectSessionToken").isObject()).isTrue();
    }
}
