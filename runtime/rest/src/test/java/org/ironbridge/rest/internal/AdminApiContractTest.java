package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.Fakes.CONN_A1;
import static org.ironbridge.rest.internal.Fakes.CONN_B1;
import static org.ironbridge.rest.internal.Fakes.KEY_A;
import static org.ironbridge.rest.internal.Fakes.KEY_B;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.engine.Tokens;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The admin API: connectors and connections, always scoped to the key's organization. */
class AdminApiContractTest extends ApiTestBase {
    private static final String CREATE =
            "{'system':'acme-erp','customer_id':'cust-9','name':'Plant 9',"
                    + "'credentials':{'base_url':'https://erp.example','username':'u','password':'p'}}";

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private static List<String> ids(Res r) {
        List<String> out = new ArrayList<>();
        r.json().path("data").forEach(n -> out.add(n.path("id").asText()));
        return out;
    }

    private Res create(String body) {
        return post("/v1/admin/connections").token(KEY_A).json(body).send();
    }

    private void expect422(Res r, String... fields) {
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.code()).as("%s", r).isEqualTo("validation_failed");
        assertThat(r.errorFields()).as("%s", r).contains(fields);
        assertThat(connections.created).isEmpty();
    }

    // --- GET /v1/admin/connectors ---

    @Test
    void connectorsListsTheInstalledConnectors() {
        Res r = get("/v1/admin/connectors").token(KEY_A).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode data = r.json().path("data");
        assertThat(data.size()).isEqualTo(2);
        List<String> systems = new ArrayList<>();
        data.forEach(c -> systems.add(c.path("system").asText()));
        assertThat(systems).containsExactly(Fakes.CMMS, Fakes.ERP);
        JsonNode erp = data.get(1);
        assertThat(keys(erp))
                .contains(
                        "system",
                        "name",
                        "version",
                        "category",
                        "state",
                        "deployments",
                        "credits",
                        "credential_fields",
                        "capabilities");
        assertThat(erp.path("name").asText()).isEqualTo("Acme ERP");
        assertThat(erp.path("version").asText()).isEqualTo("2.0.1");
        assertThat(erp.path("category").asText()).isEqualTo("erp");
        assertThat(erp.path("deployments").toString()).isEqualTo("[\"cloud\",\"on_prem\"]");
        assertThat(erp.path("credits").path("cloud").asInt()).isEqualTo(1);
        assertThat(erp.path("credits").path("on_prem").asInt()).isEqualTo(2);
        JsonNode fields = erp.path("credential_fields");
        assertThat(fields.size()).isEqualTo(3);
        assertThat(fields.get(2).path("name").asText()).isEqualTo("password");
        assertThat(fields.get(2).path("secret").asBoolean()).isTrue();
        assertThat(fields.get(2).path("required").asBoolean()).isTrue();
        assertThat(fields.get(0).path("type").asText()).isEqualTo("url");
        JsonNode caps = erp.path("capabilities");
        assertThat(caps.path("purchase-orders").path("create").asBoolean()).isTrue();
        assertThat(caps.path("vendors").path("create").asBoolean()).isFalse();
    }

    @Test
    void connectorsShowTheDeclaredRateLimitAndNewestFirstReads() {
        JsonNode data = get("/v1/admin/connectors").token(KEY_A).send().json().path("data");
        JsonNode cmms = data.get(0);
        JsonNode erp = data.get(1);
        assertThat(erp.path("rate_limit").path("requests").asInt()).isEqualTo(600);
        assertThat(erp.path("rate_limit").path("period_seconds").asDouble()).isEqualTo(60.0);
        assertThat(cmms.has("rate_limit")).isTrue();
        assertThat(cmms.path("rate_limit").isNull()).isTrue();
        JsonNode caps = erp.path("capabilities");
        assertThat(caps.path("purchase-orders").path("newest_first").asBoolean()).isTrue();
        assertThat(caps.path("vendors").path("newest_first").isBoolean()).isTrue();
        assertThat(caps.path("vendors").path("newest_first").asBoolean()).isFalse();
        assertThat(cmms.path("capabilities").path("work-orders").path("newest_first").asBoolean())
                .isFalse();
        // the per-connection matrix of API.md (GET /v1/capabilities) keeps its flags
        JsonNode connectionCaps = get("/v1/capabilities").token(Fakes.TOKEN_A1).send().json();
        assertThat(connectionCaps.path("purchase-orders").has("newest_first")).isFalse();
    }

    @Test
    void theOpenApiDocumentDescribesTheConnectorsFieldForField() {
        JsonNode doc = get("/openapi.json").send().json();
        JsonNode schemas = doc.path("components").path("schemas");
        JsonNode erp = get("/v1/admin/connectors").token(KEY_A).send().json().path("data").get(1);
        assertThat(names(schemas.path("Connector").path("properties"))).isEqualTo(names(erp));
        java.util.Set<String> required = new java.util.TreeSet<>();
        schemas.path("Connector").path("required").forEach(n -> required.add(n.asText()));
        assertThat(required).isEqualTo(names(erp));
        assertThat(names(schemas.path("RateLimit").path("properties")))
                .isEqualTo(names(erp.path("rate_limit")));
        assertThat(names(schemas.path("ConnectorCapabilityFlags").path("properties")))
                .isEqualTo(names(erp.path("capabilities").path("purchase-orders")));
        JsonNode example =
                doc.path("paths")
                        .path("/v1/admin/connectors")
                        .path("get")
                        .path("responses")
                        .path("200")
                        .path("content")
                        .path("application/json")
                        .path("example")
                        .path("data")
                        .get(0);
        assertThat(names(example)).isEqualTo(names(erp));
        example.path("capabilities")
                .forEach(
                        c ->
                                assertThat(names(c))
                                        .isEqualTo(
                                                names(
                                                        erp.path("capabilities")
                                                                .path("purchase-orders"))));
    }

    private static java.util.Set<String> names(JsonNode object) {
        java.util.Set<String> out = new java.util.TreeSet<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void connectorsIsTheSameForEveryOrganization() {
        assertThat(get("/v1/admin/connectors").token(KEY_B).send().json())
                .isEqualTo(get("/v1/admin/connectors").token(KEY_A).send().json());
    }

    @Test
    void connectorsWithoutAnyInstalledIsAnEmptyList() {
        connectors.installed.clear();
        Res r = get("/v1/admin/connectors").token(KEY_A).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("data").size()).isZero();
    }

    // --- POST /v1/admin/connections ---

    @Test
    void createIs201WithLocationConnectionAndToken() {
        Res r = create(CREATE);
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        JsonNode body = r.json();
        assertThat(keys(body)).containsExactly("connection", "token");
        String token = body.path("token").asText();
        assertThat(Tokens.looksLike(token, Tokens.CONNECTION_TOKEN)).isTrue();
        JsonNode c = body.path("connection");
        String id = c.path("id").asText();
        assertThat(id).isNotBlank();
        assertThat(c.path("system").asText()).isEqualTo(Fakes.ERP);
        assertThat(c.path("customer_id").asText()).isEqualTo("cust-9");
        assertThat(c.path("name").asText()).isEqualTo("Plant 9");
        assertThat(r.header("Location")).endsWith("/v1/admin/connections/" + id);
        assertThat(r.body()).doesNotContain("\"p\"").doesNotContain("credentials");

        assertThat(connections.createdBy).containsExactly(Fakes.ORG_A);
        NewConnection nc = connections.created.get(0);
        assertThat(nc.system()).isEqualTo(Fakes.ERP);
        assertThat(nc.customerId()).isEqualTo("cust-9");
        assertThat(nc.credentials())
                .isEqualTo(
                        Map.of(
                                "base_url", "https://erp.example",
                                "username", "u",
                                "password", "p"));
        assertThat(nc.sync()).isNull();

        // the new connection is the organization's: visible with its key, not with another's
        String path = URI.create(r.header("Location")).getPath();
        assertThat(get(path).token(KEY_A).send().status()).isEqualTo(200);
        assertThat(get(path).token(KEY_B).send().status()).isEqualTo(404);
        // and its token works on the data API
        Res self = get("/v1/connection").token(token).send();
        assertThat(self.json().path("id").asText()).isEqualTo(id);
    }

    @Test
    void createPassesDeploymentSyncAndScalarCredentials() {
        Res r =
                create(
                        "{'system':'acme-erp','customer_id':'c','deployment':'on_prem','agent_id':'agt_1',"
                                + "'credentials':{'base_url':'http://10.0.0.5','username':'u','password':'p',"
                                + "'port':8443,'tls':true,'unused':null},"
                                + "'sync':{'initial_days':30,'interval_seconds':600,"
                                + "'entities':['purchase-orders','vendors']}}");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        NewConnection nc = connections.created.get(0);
        assertThat(nc.deployment()).isEqualTo("on_prem");
        assertThat(nc.credentials()).containsEntry("port", "8443").containsEntry("tls", "true");
        assertThat(nc.credentials()).doesNotContainKey("unused");
        assertThat(nc.sync())
                .isEqualTo(
                        new SyncSettings(
                                30, 600, Set.of(EntityType.PURCHASE_ORDERS, EntityType.VENDORS)));
        assertThat(r.json().path("connection").path("deployment").asText()).isEqualTo("on_prem");
    }

    @Test
    void createWithPartialSyncTakesTheDefaults() {
        Res r =
                create(
                        "{'system':'acme-erp','customer_id':'c','credentials':{'password':'p'},"
                                + "'sync':{'entities':['vendors']}}");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        SyncSettings s = connections.created.get(0).sync();
        assertThat(s.initialDays()).isEqualTo(SyncSettings.DEFAULT_INITIAL_DAYS);
        assertThat(s.intervalSeconds()).isEqualTo(SyncSettings.DEFAULT_INTERVAL_SECONDS);
        assertThat(s.entities()).containsExactly(EntityType.VENDORS);
    }

    @Test
    void theReconciliationIntervalIsPassedStoredAndShown() {
        Res r =
                create(
                        "{'system':'acme-erp','customer_id':'c','credentials':{'password':'p'},"
                                + "'sync':{'entities':['vendors'],'reconcile_seconds':3600}}");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(connections.created.get(0).sync().reconcileSeconds()).isEqualTo(3600);
        JsonNode sync = r.json().path("connection").path("sync");
        assertThat(sync.path("reconcile_seconds").asInt()).isEqualTo(3600);
        String id = r.json().path("connection").path("id").asText();
        Res view = get("/v1/admin/connections/" + id).token(KEY_A).send();
        assertThat(view.status()).as("%s", view).isEqualTo(200);
        assertThat(view.json().path("sync").path("reconcile_seconds").asInt()).isEqualTo(3600);
    }

    @Test
    void withoutAReconciliationIntervalTheServerDefaultIsShown() {
        Res r =
                create(
                        "{'system':'acme-erp','customer_id':'c','credentials':{'password':'p'},"
                                + "'sync':{'entities':['vendors']}}");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        // 0 asks the engine for the server's default
        assertThat(connections.created.get(0).sync().reconcileSeconds()).isZero();
        assertThat(r.json().path("connection").path("sync").path("reconcile_seconds").asInt())
                .isEqualTo(86_400);
    }

    @Test
    void aReconciliationIntervalBelowAMinuteOrOfTheWrongTypeIs422() {
        expect422(
                create(
                        "{'system':'acme-erp','customer_id':'c','credentials':{'password':'p'},"
                                + "'sync':{'reconcile_seconds':59}}"),
                "sync.reconcile_seconds");
        expect422(
                create(
                        "{'system':'acme-erp','customer_id':'c','credentials':{'password':'p'},"
                                + "'sync':{'reconcile_seconds':'daily'}}"),
                "sync.reconcile_seconds");
    }

    @Test
    void theOpenApiDocumentDescribesTheReconciliationInterval() {
        JsonNode schemas = get("/openapi.json").send().json().path("components").path("schemas");
        JsonNode request = schemas.path("SyncRequest").path("properties").path("reconcile_seconds");
        assertThat(request.path("type").asText()).isEqualTo("integer");
        assertThat(request.path("minimum").asInt()).isEqualTo(60);
        assertThat(request.path("default").asInt()).isEqualTo(86_400);
        JsonNode config = schemas.path("SyncConfig");
        assertThat(config.path("properties").path("reconcile_seconds").path("minimum").asInt())
                .isEqualTo(60);
        assertThat(config.path("required").toString()).contains("\"reconcile_seconds\"");
    }

    @Test
    void createWithoutRequiredFieldsIs422ListingEachField() {
        expect422(create("{}"), "system", "customer_id", "credentials");
        expect422(create("{'system':'acme-erp','credentials':{}}"), "customer_id");
        expect422(create("{'customer_id':'c','credentials':{}}"), "system");
        expect422(create("{'system':'acme-erp','customer_id':'c'}"), "credentials");
        expect422(create("{'system':' ','customer_id':'','credentials':{}}"), "system");
    }

    @Test
    void createWithANestedCredentialIs422() {
        expect422(
                create(
                        "{'system':'acme-erp','customer_id':'c',"
                                + "'credentials':{'password':{'value':'p'},'username':'u'}}"),
                "credentials.password");
        expect422(
                create(
                        "{'system':'acme-erp','customer_id':'c','credentials':{'scopes':['a','b']}}"),
                "credentials.scopes");
    }

    @Test
    void createWithAnUnknownSyncEntityIs422() {
        Res r =
                create(
                        "{'system':'acme-erp','customer_id':'c','credentials':{},"
                                + "'sync':{'entities':['vendors','spaceships']}}");
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.code()).isEqualTo("validation_failed");
        assertThat(r.errorFields()).anyMatch(f -> f.startsWith("sync.entities"));
        assertThat(r.json().path("errors").toString()).contains("spaceships");
        assertThat(connections.created).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"moon", "CLOUD", "on-prem", ""})
    void createWithABadDeploymentIs422(String deployment) {
        expect422(
                create(
                        "{'system':'acme-erp','customer_id':'c','deployment':'"
                                + deployment
                                + "','credentials':{}}"),
                "deployment");
    }

    @Test
    void createWithTooLongValuesIs422() {
        expect422(
                create(
                        "{'system':'acme-erp','customer_id':'"
                                + "c".repeat(256)
                                + "','credentials':{}}"),
                "customer_id");
        expect422(
                create(
                        "{'system':'acme-erp','customer_id':'c','name':'"
                                + "n".repeat(201)
                                + "','credentials':{}}"),
                "name");
    }

    @Test
    void createWithUnknownFieldsIs422WithTheirPaths() {
        expect422(
                create("{'system':'acme-erp','customer_id':'c','credentials':{},'colour':'red'}"),
                "colour");
        expect422(
                create(
                        "{'system':'acme-erp','customer_id':'c','credentials':{},"
                                + "'sync':{'initial_days':1,'every':'day'}}"),
                "sync.every");
    }

    @Test
    void createWithWrongTypesIs422WithTheirPaths() {
        expect422(
                create("{'system':'acme-erp','customer_id':{'id':1},'credentials':{}}"),
                "customer_id");
        expect422(
                create(
                        "{'system':'acme-erp','customer_id':'c','credentials':{},"
                                + "'sync':{'initial_days':'ninety'}}"),
                "sync.initial_days");
        expect422(
                create(
                        "{'system':'acme-erp','customer_id':'c','credentials':{},"
                                + "'sync':{'entities':'vendors'}}"),
                "sync.entities");
        expect422(
                create("{'system':'acme-erp','customer_id':'c','credentials':['a']}"),
                "credentials");
        expect422(create("{'system':['acme-erp'],'customer_id':'c','credentials':{}}"), "system");
    }

    @Test
    void createWithMalformedOrNonObjectJsonIs422() {
        for (String body : List.of("{", "{'system':}", "[" + CREATE + "]", "'x'", "", "null")) {
            Res r = post("/v1/admin/connections").token(KEY_A).json(body).send();
            assertThat(r.status()).as("%s -> %s", body, r).isEqualTo(422);
            assertThat(r.code()).isEqualTo("validation_failed");
        }
        assertThat(connections.created).isEmpty();
    }

    /**
     * A JSON array or string is valid JSON of the wrong shape: the problem must say the body must
     * be an object (as the data API does), not that it is not valid JSON.
     */
    @Test
    void aNonObjectBodyIsNotCalledInvalidJson() {
        for (String body : List.of("[1]", "[" + CREATE + "]", "'text'")) {
            Res r = post("/v1/admin/connections").token(KEY_A).json(body).send();
            assertThat(r.status()).as("%s", r).isEqualTo(422);
            assertThat(r.json().path("detail").asText())
                    .as("%s -> %s", body, r)
                    .doesNotContain("not valid JSON");
        }
    }

    @Test
    void createOfAnUnknownSystemIs422FromTheEngine() {
        Res r = create(CREATE.replace("acme-erp", "nope-erp"));
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.code()).isEqualTo("validation_failed");
        assertThat(r.errorFields()).containsExactly("system");
    }

    @Test
    void rejectedCredentialsAre422CredentialsRejected() {
        Res r = create(CREATE.replace("'password':'p'", "'password':'wrong'"));
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.code()).isEqualTo("credentials_rejected");
        assertThat(r.json().path("detail").asText()).contains("invalid user name or password");
    }

    @Test
    void anUnreachableSourceIs503WithRetryAfter() {
        Res r = create(CREATE.replace("'password':'p'", "'password':'down'"));
        assertThat(r.status()).as("%s", r).isEqualTo(503);
        assertThat(r.code()).isEqualTo("source_unavailable");
        assertThat(r.header("Retry-After")).isEqualTo("120");
    }

    @Test
    void aRateLimitedSourceIs429WithRetryAfter() {
        Res r = create(CREATE.replace("'password':'p'", "'password':'throttled'"));
        assertThat(r.status()).as("%s", r).isEqualTo(429);
        assertThat(r.code()).isEqualTo("rate_limited");
        assertThat(r.header("Retry-After")).matches("[1-9][0-9]*");
    }

    @Test
    void noCreditsIs402() {
        Res r = create(CREATE.replace("cust-9", "no-credits"));
        assertThat(r.status()).as("%s", r).isEqualTo(402);
        assertThat(r.code()).isEqualTo("insufficient_credits");
    }

    // --- GET /v1/admin/connections ---

    @Test
    void listIsTheOrganizationsConnections() {
        Res a = get("/v1/admin/connections").token(KEY_A).send();
        assertThat(a.status()).isEqualTo(200);
        assertThat(keys(a.json())).containsExactly("data", "next_cursor");
        assertThat(ids(a))
                .containsExactlyInAnyOrder(CONN_A1, Fakes.CONN_A2, Fakes.CONN_A3, Fakes.CONN_AR);
        assertThat(a.json().get("next_cursor").isNull()).isTrue();
        assertThat(connections.lastListArgs)
                .isEqualTo(Arrays.asList(Fakes.ORG_A, null, null, null, null, 20));

        Res b = get("/v1/admin/connections").token(KEY_B).send();
        assertThat(ids(b)).containsExactlyInAnyOrder(CONN_B1, Fakes.CONN_B2);
        assertThat(a.body()).doesNotContain(CONN_B1);
    }

    @Test
    void listFiltersAndPagesReachTheService() {
        Res r =
                get("/v1/admin/connections")
                        .token(KEY_A)
                        .query("customer_id", "cust-1")
                        .query("system", "acme-erp")
                        .query("status", "active")
                        .query("page_size", "5")
                        .query("unknown", "ignored")
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(ids(r)).containsExactly(CONN_A1);
        assertThat(connections.lastListArgs)
                .isEqualTo(Arrays.asList(Fakes.ORG_A, "cust-1", "acme-erp", "active", null, 5));

        Res first = get("/v1/admin/connections").token(KEY_A).query("page_size", "3").send();
        assertThat(first.json().path("data").size()).isEqualTo(3);
        String cursor = first.json().path("next_cursor").asText();
        assertThat(cursor).isNotBlank();
        Res second =
                get("/v1/admin/connections")
                        .token(KEY_A)
                        .query("page_size", "3")
                        .query("cursor", cursor)
                        .send();
        assertThat(second.json().path("data").size()).isEqualTo(1);
        assertThat(second.json().get("next_cursor").isNull()).isTrue();
        assertThat(connections.lastListArgs.get(4)).isEqualTo(cursor);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "101", "abc", "-5"})
    void listWithABadPageSizeIs422(String pageSize) {
        Res r = get("/v1/admin/connections").token(KEY_A).query("page_size", pageSize).send();
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.errorFields()).containsExactly("page_size");
        assertThat(connections.lastListArgs).isNull();
    }

    @Test
    void listWithAMalformedCursorIs422() {
        Res r = get("/v1/admin/connections").token(KEY_A).query("cursor", "garbage!").send();
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.errorFields()).containsExactly("cursor");
    }

    // --- GET /v1/admin/connections/{id} ---

    @Test
    void getHasTheDocumentedFields() {
        Res r = get("/v1/admin/connections/" + CONN_A1).token(KEY_A).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode c = r.json();
        assertThat(keys(c))
                .contains(
                        "id",
                        "system",
                        "customer_id",
                        "name",
                        "deployment",
                        "status",
                        "status_reason",
                        "created_at",
                        "disconnected_at",
                        "credits",
                        "last_sync");
        assertThat(c.path("id").asText()).isEqualTo(CONN_A1);
        assertThat(c.path("created_at").asText()).isEqualTo("2026-10-31T08:00:00Z");
        assertThat(c.get("disconnected_at").isNull()).isTrue();
        assertThat(c.path("credits").asInt()).isEqualTo(1);
        JsonNode last = c.path("last_sync").path("purchase-orders");
        assertThat(last.path("status").asText()).isEqualTo("succeeded");
        assertThat(last.path("records_changed").asLong()).isEqualTo(3);
        assertThat(r.body()).doesNotContain("org_a").doesNotContain("ibt_");
    }

    @Test
    void aDisconnectedConnectionShowsItsStatus() {
        JsonNode c = get("/v1/admin/connections/" + Fakes.CONN_AR).token(KEY_A).send().json();
        assertThat(c.path("status").asText()).isEqualTo("disconnected");
        assertThat(c.path("disconnected_at").asText()).isEqualTo("2026-11-01T08:00:00Z");
        assertThat(c.path("status_reason").asText()).isNotBlank();
    }

    @Test
    void anotherOrganizationsConnectionIs404() {
        Res r = get("/v1/admin/connections/" + CONN_B1).token(KEY_A).send();
        assertThat(r.status()).as("%s", r).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
        assertThat(r.body()).doesNotContain("cust-1").doesNotContain("acme-erp");
        Res reverse = get("/v1/admin/connections/" + CONN_A1).token(KEY_B).send();
        assertThat(reverse.status()).isEqualTo(404);
    }

    @Test
    void anUnknownConnectionIs404LikeAForeignOne() {
        Res unknown = get("/v1/admin/connections/con_nothere").token(KEY_A).send();
        Res foreign = get("/v1/admin/connections/" + CONN_B1).token(KEY_A).send();
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(foreign.status()).isEqualTo(404);
        // the detail must not tell "exists elsewhere" from "does not exist"
        assertThat(foreign.json().path("detail").asText().replace(CONN_B1, "X"))
                .isEqualTo(unknown.json().path("detail").asText().replace("con_nothere", "X"));
    }

    // --- GET /v1/admin/connections/{id}/syncs ---

    @Test
    void syncsListsTheRuns() {
        Res r = get("/v1/admin/connections/" + CONN_A1 + "/syncs").token(KEY_A).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode data = r.json().path("data");
        assertThat(data.size()).isEqualTo(2);
        JsonNode running = data.get(0);
        assertThat(keys(running))
                .contains(
                        "id",
                        "entity",
                        "kind",
                        "status",
                        "started_at",
                        "finished_at",
                        "records_seen",
                        "records_changed",
                        "records_deleted",
                        "progress",
                        "error");
        assertThat(running.path("kind").asText()).isIn("initial", "incremental", "full");
        assertThat(running.path("status").asText())
                .isIn("queued", "running", "succeeded", "failed");
        assertThat(running.path("progress").asDouble()).isEqualTo(0.25);
        assertThat(running.get("finished_at").isNull()).isTrue();
        assertThat(data.get(1).path("finished_at").asText()).isEqualTo("2026-11-01T08:00:12Z");
    }

    @Test
    void syncsOfAnotherOrganizationsConnectionIs404() {
        Res r = get("/v1/admin/connections/" + CONN_B1 + "/syncs").token(KEY_A).send();
        assertThat(r.status()).as("%s", r).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
        Res unknown = get("/v1/admin/connections/con_nothere/syncs").token(KEY_A).send();
        assertThat(unknown.status()).isEqualTo(404);
    }
}
