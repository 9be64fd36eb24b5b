package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.Fakes.CONN_A1;
import static org.ironbridge.rest.internal.Fakes.CONN_A2;
import static org.ironbridge.rest.internal.Fakes.CONN_A3;
import static org.ironbridge.rest.internal.Fakes.CONN_AR;
import static org.ironbridge.rest.internal.Fakes.CONN_B1;
import static org.ironbridge.rest.internal.Fakes.KEY_A;
import static org.ironbridge.rest.internal.Fakes.KEY_B;
import static org.ironbridge.rest.internal.Fakes.ORG_A;
import static org.ironbridge.rest.internal.Fakes.ORG_B;
import static org.ironbridge.rest.internal.Fakes.PO_A1_1;
import static org.ironbridge.rest.internal.Fakes.PO_AR_1;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A1;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A2;
import static org.ironbridge.rest.internal.Fakes.TOKEN_B1;
import static org.ironbridge.rest.internal.Fakes.VEN_AR_1;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ironbridge.engine.StatusEntry;
import org.ironbridge.engine.Tokens;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The connection lifecycle of the admin API: disconnect, reconnect, purge, status history, sync now
 * and the organization's credits. Like the rest of the admin API, always scoped to the key's
 * organization: another organization's connection is "not found".
 */
class ConnectionLifecycleContractTest extends ApiTestBase {
    private static final String CREDENTIALS =
            "{'credentials':{'base_url':'https://erp.example','username':'u','password':'p2'}}";

    private static final String SYNC_FIELDS =
            "id,connection_id,entity,kind,status,started_at,finished_at,records_seen,"
                    + "records_changed,records_deleted,progress,error";

    private static String path(String id, String tail) {
        return "/v1/admin/connections/" + id + tail;
    }

    private static List<String> keys(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    private Res disconnect(String id, String key) {
        return call("DELETE", path(id, "")).token(key).send();
    }

    private Res reconnect(String id, String body) {
        return post(path(id, "/reconnect")).token(KEY_A).json(body).send();
    }

    private Res purge(String id, String key) {
        return post(path(id, "/purge")).token(key).send();
    }

    private Res history(String id, String key) {
        return get(path(id, "/status-history")).token(key).send();
    }

    private Res syncNow(String id, String body) {
        Call c = post(path(id, "/syncs")).token(KEY_A);
        return (body == null ? c : c.json(body)).send();
    }

    private Res credits(String key) {
        return get("/v1/admin/credits").token(key).send();
    }

    private JsonNode connection(String id) {
        Res r = get(path(id, "")).token(KEY_A).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        return r.json();
    }

    private static void expect404(Res r) {
        assertThat(r.status()).as("%s", r).isEqualTo(404);
        assertThat(r.code()).as("%s", r).isEqualTo("not_found");
        assertThat(r.body()).doesNotContain("cust-1").doesNotContain("acme-erp");
    }

    private static void expect422(Res r, String... fields) {
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.code()).as("%s", r).isEqualTo("validation_failed");
        assertThat(r.errorFields()).as("%s", r).containsExactly(fields);
    }

    private boolean hasRecord(String connection, EntityType type, String id) {
        return records.get(connection, type, id, false).isPresent();
    }

    // --- DELETE /v1/admin/connections/{id} ---

    @Test
    void disconnectIs204AndTheConnectionShowsIt() {
        Res r = disconnect(CONN_A1, KEY_A);
        assertThat(r.status()).as("%s", r).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(connections.disconnects).containsExactly(CONN_A1);

        JsonNode c = connection(CONN_A1);
        assertThat(c.path("status").asText()).isEqualTo("disconnected");
        assertThat(c.path("status_reason").asText()).isNotBlank();
        assertThat(OffsetDateTime.parse(c.path("disconnected_at").asText())).isNotNull();
        // the other connections are untouched
        assertThat(connection(CONN_A2).path("status").asText()).isEqualTo("active");
    }

    @Test
    void afterDisconnectTheTokenIs401TokenRevokedOnTheDataApi() {
        assertThat(get("/v1/connection").token(TOKEN_A1).send().status()).isEqualTo(200);
        assertThat(get("/v1/purchase-orders/" + PO_A1_1).token(TOKEN_A1).send().status())
                .isEqualTo(200);

        assertThat(disconnect(CONN_A1, KEY_A).status()).isEqualTo(204);

        for (Res r :
                List.of(
                        get("/v1/connection").token(TOKEN_A1).send(),
                        get("/v1/purchase-orders").token(TOKEN_A1).send(),
                        get("/v1/purchase-orders/" + PO_A1_1).token(TOKEN_A1).send(),
                        post("/v1/purchase-orders")
                                .token(TOKEN_A1)
                                .json(
                                        "{'vendor_id':'ven_a1one','lines':[{'quantity':'1','unit_price':'1'}]}")
                                .send(),
                        get("/v1/capabilities").token(TOKEN_A1).send())) {
            assertThat(r.status()).as("%s", r).isEqualTo(401);
            assertThat(r.code()).as("%s", r).isEqualTo("token_revoked");
        }
        assertThat(records.creates).hasValue(0);
        // another connection's token still works; the records are kept until purged
        assertThat(get("/v1/connection").token(TOKEN_A2).send().status()).isEqualTo(200);
        assertThat(hasRecord(CONN_A1, EntityType.PURCHASE_ORDERS, PO_A1_1)).isTrue();
    }

    @Test
    void disconnectIsIdempotent() {
        assertThat(disconnect(CONN_A1, KEY_A).status()).isEqualTo(204);
        String at = connection(CONN_A1).path("disconnected_at").asText();
        Res again = disconnect(CONN_A1, KEY_A);
        assertThat(again.status()).as("%s", again).isEqualTo(204);
        assertThat(connection(CONN_A1).path("disconnected_at").asText()).isEqualTo(at);
        assertThat(history(CONN_A1, KEY_A).json().path("data").size()).isEqualTo(2);

        // one that was disconnected before
        Res ar = disconnect(CONN_AR, KEY_A);
        assertThat(ar.status()).as("%s", ar).isEqualTo(204);
        assertThat(connection(CONN_AR).path("disconnected_at").asText())
                .isEqualTo("2026-11-01T08:00:00Z");
    }

    @Test
    void disconnectReturnsTheConnectionsCredits() {
        assertThat(credits(KEY_A).json().path("used").asInt()).isEqualTo(3);
        disconnect(CONN_A1, KEY_A);
        JsonNode c = credits(KEY_A).json();
        assertThat(c.path("used").asInt()).isEqualTo(2);
        assertThat(c.path("available").asInt()).isEqualTo(8);
    }

    @Test
    void disconnectOfAnotherOrganizationsConnectionIs404AndChangesNothing() {
        expect404(disconnect(CONN_B1, KEY_A));
        expect404(disconnect(CONN_A1, KEY_B));
        expect404(disconnect("con_nothere", KEY_A));
        assertThat(connections.byId.get(CONN_B1).status()).isEqualTo("active");
        assertThat(connections.byId.get(CONN_A1).status()).isEqualTo("active");
        assertThat(get("/v1/connection").token(TOKEN_B1).send().status()).isEqualTo(200);
        // the detail does not tell "exists elsewhere" from "does not exist"
        String foreign = disconnect(CONN_B1, KEY_A).json().path("detail").asText();
        String unknown = disconnect("con_nothere", KEY_A).json().path("detail").asText();
        assertThat(foreign.replace(CONN_B1, "X")).isEqualTo(unknown.replace("con_nothere", "X"));
    }

    // --- POST /v1/admin/connections/{id}/reconnect ---

    @Test
    void reconnectIs201WithANewConnectionAndToken() {
        JsonNode before = connection(CONN_A1);
        Res r = reconnect(CONN_A1, CREDENTIALS);
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        JsonNode body = r.json();
        assertThat(keys(body)).containsExactly("connection", "token");
        String token = body.path("token").asText();
        assertThat(Tokens.looksLike(token, Tokens.CONNECTION_TOKEN)).isTrue();
        assertThat(token).isNotEqualTo(TOKEN_A1);

        JsonNode c = body.path("connection");
        String id = c.path("id").asText();
        assertThat(id).isNotBlank().isNotEqualTo(CONN_A1);
        assertThat(r.header("Location")).endsWith("/v1/admin/connections/" + id);
        for (String same : List.of("system", "customer_id", "name", "deployment", "sync")) {
            assertThat(c.path(same)).as(same).isEqualTo(before.path(same));
        }
        assertThat(c.path("status").asText()).isEqualTo("active");
        assertThat(r.body()).doesNotContain("p2").doesNotContain("credentials");
        assertThat(connections.reconnects)
                .containsExactly(
                        Map.of(
                                "base_url",
                                "https://erp.example",
                                "username",
                                "u",
                                "password",
                                "p2"));

        // the old connection is disconnected and its token revoked; the new token works
        assertThat(connection(CONN_A1).path("status").asText()).isEqualTo("disconnected");
        Res old = get("/v1/connection").token(TOKEN_A1).send();
        assertThat(old.status()).as("%s", old).isEqualTo(401);
        assertThat(old.code()).isEqualTo("token_revoked");
        Res self = get("/v1/connection").token(token).send();
        assertThat(self.status()).as("%s", self).isEqualTo(200);
        assertThat(self.json().path("id").asText()).isEqualTo(id);
        // the new connection is the organization's only
        assertThat(connection(id).path("id").asText()).isEqualTo(id);
        expect404(get(path(id, "")).token(KEY_B).send());
        // the credits move from the old connection to the new one
        assertThat(credits(KEY_A).json().path("used").asInt()).isEqualTo(3);
    }

    @Test
    void reconnectPassesScalarCredentialsAsText() {
        Res r =
                reconnect(
                        CONN_A1,
                        "{'credentials':{'base_url':'https://erp.example','username':42,"
                                + "'password':true,'unused':null}}");
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        assertThat(connections.reconnects.get(0))
                .isEqualTo(
                        Map.of(
                                "base_url", "https://erp.example",
                                "username", "42",
                                "password", "true"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"{}", "{'credentials':null}", "", "null"})
    void reconnectWithoutCredentialsIs422(String body) {
        expect422(reconnect(CONN_A1, body), "credentials");
        assertThat(connections.reconnects).isEmpty();
        assertThat(connections.byId.get(CONN_A1).status()).isEqualTo("active");
    }

    @Test
    void reconnectWithNestedCredentialValuesIs422WithTheirPaths() {
        expect422(
                reconnect(
                        CONN_A1,
                        "{'credentials':{'base_url':'https://x','username':'u','password':{'value':'p'}}}"),
                "credentials.password");
        expect422(
                reconnect(
                        CONN_A1,
                        "{'credentials':{'base_url':'https://x','username':'u','password':'p','scopes':['a']}}"),
                "credentials.scopes");
        assertThat(connections.reconnects).isEmpty();
    }

    @Test
    void reconnectWithWrongTypesOrUnknownFieldsIs422WithTheirPaths() {
        expect422(reconnect(CONN_A1, "{'credentials':['a']}"), "credentials");
        expect422(reconnect(CONN_A1, "{'credentials':'secret'}"), "credentials");
        expect422(
                reconnect(
                        CONN_A1,
                        "{'credentials':{'base_url':'https://x','username':'u','password':'p'},'system':'acme-cmms'}"),
                "system");
        assertThat(connections.reconnects).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{'credentials':}", "[{'credentials':{}}]", "'x'", "[1]"})
    void reconnectWithMalformedOrNonObjectJsonIs422(String body) {
        Res r = reconnect(CONN_A1, body);
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.code()).isEqualTo("validation_failed");
        assertThat(connections.reconnects).isEmpty();
    }

    @Test
    void reconnectWithTextPlainIs415() {
        Res r =
                post(path(CONN_A1, "/reconnect"))
                        .token(KEY_A)
                        .contentType("text/plain")
                        .body(json(CREDENTIALS))
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(415);
        assertThat(r.code()).isEqualTo("unsupported_media_type");
        assertThat(connections.reconnects).isEmpty();
    }

    @Test
    void reconnectWithCredentialsTheConnectorDoesNotAcceptIs422FromTheEngine() {
        expect422(
                reconnect(CONN_A1, "{'credentials':{'password':'p'}}"),
                "credentials.base_url",
                "credentials.username");
        expect422(
                reconnect(
                        CONN_A1,
                        "{'credentials':{'base_url':'https://x','username':'u','password':'p','colour':'red'}}"),
                "credentials.colour");
        assertThat(connections.byId.get(CONN_A1).status()).isEqualTo("active");
    }

    @Test
    void reconnectMapsEngineErrorsAsCreateDoes() {
        Res rejected = reconnect(CONN_A1, CREDENTIALS.replace("p2", "wrong"));
        assertThat(rejected.status()).as("%s", rejected).isEqualTo(422);
        assertThat(rejected.code()).isEqualTo("credentials_rejected");
        assertThat(rejected.json().path("detail").asText()).contains("invalid user name");

        Res down = reconnect(CONN_A1, CREDENTIALS.replace("p2", "down"));
        assertThat(down.status()).as("%s", down).isEqualTo(503);
        assertThat(down.code()).isEqualTo("source_unavailable");
        assertThat(down.header("Retry-After")).isEqualTo("120");

        Res throttled = reconnect(CONN_A1, CREDENTIALS.replace("p2", "throttled"));
        assertThat(throttled.status()).as("%s", throttled).isEqualTo(429);
        assertThat(throttled.code()).isEqualTo("rate_limited");
        assertThat(throttled.header("Retry-After")).matches("[1-9][0-9]*");

        Res ghost = reconnect(CONN_A3, CREDENTIALS);
        assertThat(ghost.status()).as("%s", ghost).isEqualTo(503);
        assertThat(ghost.code()).isEqualTo("connector_unavailable");

        // a failed reconnect leaves the old connection as it was
        assertThat(connections.reconnects).isEmpty();
        assertThat(connections.byId.get(CONN_A1).status()).isEqualTo("active");
        assertThat(get("/v1/connection").token(TOKEN_A1).send().status()).isEqualTo(200);
    }

    @Test
    void reconnectCountsTheOldConnectionsCreditsAsReturned() {
        // org B uses all of its pool: only the returned credit pays for the new connection
        connections.pools.put(ORG_B, 2);
        Res r =
                post(path(CONN_B1, "/reconnect"))
                        .token(KEY_B)
                        .json(CREDENTIALS.replace("p2", "p"))
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        JsonNode c = credits(KEY_B).json();
        assertThat(c.path("used").asInt()).isEqualTo(2);
        assertThat(c.path("available").asInt()).isZero();
    }

    @Test
    void reconnectWithoutCreditsIs402() {
        // a disconnected connection's credits are already returned: nothing is left for it
        connections.pools.put(ORG_A, 3);
        Res r = reconnect(CONN_AR, CREDENTIALS);
        assertThat(r.status()).as("%s", r).isEqualTo(402);
        assertThat(r.code()).isEqualTo("insufficient_credits");
        assertThat(connections.reconnects).isEmpty();
    }

    @Test
    void reconnectOfAnotherOrganizationsConnectionIs404() {
        expect404(reconnect(CONN_B1, CREDENTIALS));
        expect404(reconnect("con_nothere", CREDENTIALS));
        assertThat(connections.reconnects).isEmpty();
        assertThat(connections.byId.get(CONN_B1).status()).isEqualTo("active");
        assertThat(get("/v1/connection").token(TOKEN_B1).send().status()).isEqualTo(200);
    }

    // --- POST /v1/admin/connections/{id}/purge ---

    @Test
    void purgeOfADisconnectedConnectionIs204AndDeletesItsRecords() {
        assertThat(hasRecord(CONN_AR, EntityType.PURCHASE_ORDERS, PO_AR_1)).isTrue();
        Res r = purge(CONN_AR, KEY_A);
        assertThat(r.status()).as("%s", r).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(connections.purged).containsExactly(CONN_AR);
        assertThat(hasRecord(CONN_AR, EntityType.PURCHASE_ORDERS, PO_AR_1)).isFalse();
        assertThat(hasRecord(CONN_AR, EntityType.VENDORS, VEN_AR_1)).isFalse();
        // the connection itself stays, disconnected; other connections keep their records
        assertThat(connection(CONN_AR).path("status").asText()).isEqualTo("disconnected");
        assertThat(hasRecord(CONN_A1, EntityType.PURCHASE_ORDERS, PO_A1_1)).isTrue();
        // purging again finds nothing left and is fine
        assertThat(purge(CONN_AR, KEY_A).status()).isEqualTo(204);
    }

    /**
     * Disconnect, then purge: the record the data API served is gone from the store it reads
     * ({@code RecordService.get} is empty, which the data API answers with 404), while the token is
     * revoked from the disconnect on.
     */
    @Test
    void disconnectThenPurgeRemovesTheRecordsTheDataApiServed() {
        Res before = get("/v1/purchase-orders/" + PO_A1_1).token(TOKEN_A1).send();
        assertThat(before.status()).as("%s", before).isEqualTo(200);
        assertThat(disconnect(CONN_A1, KEY_A).status()).isEqualTo(204);
        assertThat(hasRecord(CONN_A1, EntityType.PURCHASE_ORDERS, PO_A1_1)).isTrue();

        assertThat(purge(CONN_A1, KEY_A).status()).isEqualTo(204);

        assertThat(hasRecord(CONN_A1, EntityType.PURCHASE_ORDERS, PO_A1_1)).isFalse();
        assertThat(records.store).doesNotContainKey(CONN_A1);
        Res after = get("/v1/purchase-orders/" + PO_A1_1).token(TOKEN_A1).send();
        assertThat(after.status()).as("%s", after).isEqualTo(401);
        assertThat(after.code()).isEqualTo("token_revoked");
    }

    @Test
    void purgeOfAConnectionThatIsNotDisconnectedIs422Status() {
        Res r = purge(CONN_A1, KEY_A);
        expect422(r, "status");
        assertThat(connections.purged).isEmpty();
        assertThat(hasRecord(CONN_A1, EntityType.PURCHASE_ORDERS, PO_A1_1)).isTrue();
        assertThat(get("/v1/purchase-orders/" + PO_A1_1).token(TOKEN_A1).send().status())
                .isEqualTo(200);
    }

    @Test
    void purgeOfAnotherOrganizationsConnectionIs404AndKeepsItsRecords() {
        expect404(purge(CONN_AR, KEY_B));
        expect404(purge("con_nothere", KEY_A));
        assertThat(connections.purged).isEmpty();
        assertThat(hasRecord(CONN_AR, EntityType.PURCHASE_ORDERS, PO_AR_1)).isTrue();
    }

    // --- GET /v1/admin/connections/{id}/status-history ---

    @Test
    void statusHistoryIsOldestFirst() {
        Res r = history(CONN_AR, KEY_A);
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(keys(r.json())).containsExactly("data");
        JsonNode data = r.json().path("data");
        assertThat(data.size()).isEqualTo(2);
        for (JsonNode e : data) {
            assertThat(keys(e)).containsExactly("status", "reason", "at");
        }
        assertThat(data.get(0).path("status").asText()).isEqualTo("active");
        assertThat(data.get(0).path("reason").asText()).isEqualTo("connected");
        assertThat(data.get(0).path("at").asText()).isEqualTo("2026-10-31T08:00:00Z");
        assertThat(data.get(1).path("status").asText()).isEqualTo("disconnected");
        assertThat(data.get(1).path("reason").asText())
                .isEqualTo("disconnected by the organization");
        assertThat(data.get(1).path("at").asText()).isEqualTo("2026-11-01T08:00:00Z");
    }

    @Test
    void statusHistoryRecordsDisconnectAndReconnect() {
        String id = reconnect(CONN_A1, CREDENTIALS).json().path("connection").path("id").asText();
        JsonNode old = history(CONN_A1, KEY_A).json().path("data");
        assertThat(old.size()).isEqualTo(2);
        assertThat(old.get(1).path("status").asText()).isEqualTo("disconnected");
        assertThat(old.get(1).path("reason").asText()).isEqualTo("replaced by " + id);
        assertThat(OffsetDateTime.parse(old.get(1).path("at").asText())).isNotNull();
        assertThat(old.get(1).path("at").asText()).endsWith("Z");

        JsonNode fresh = history(id, KEY_A).json().path("data");
        assertThat(fresh.size()).isEqualTo(1);
        assertThat(fresh.get(0).path("status").asText()).isEqualTo("active");
        assertThat(fresh.get(0).path("reason").asText()).contains(CONN_A1);
    }

    @Test
    void aStatusEntryWithoutAReasonHasANullReason() {
        connections.history.get(CONN_A2).add(new StatusEntry("degraded", null, Fakes.T0));
        JsonNode e = history(CONN_A2, KEY_A).json().path("data").get(1);
        assertThat(e.has("reason")).isTrue();
        assertThat(e.get("reason").isNull()).isTrue();
        assertThat(e.path("status").asText()).isEqualTo("degraded");
    }

    @Test
    void statusHistoryOfAnotherOrganizationsConnectionIs404() {
        expect404(history(CONN_B1, KEY_A));
        expect404(history(CONN_A1, KEY_B));
        expect404(history("con_nothere", KEY_A));
    }

    // --- POST /v1/admin/connections/{id}/syncs ---

    @Test
    void syncNowWithoutABodyQueuesARunOfEachSyncedEntity() {
        Res r = syncNow(CONN_A1, null);
        assertThat(r.status()).as("%s", r).isEqualTo(202);
        assertThat(keys(r.json())).containsExactly("data");
        JsonNode data = r.json().path("data");
        List<String> entities = new ArrayList<>();
        for (JsonNode s : data) {
            assertThat(keys(s)).containsExactlyInAnyOrder(SYNC_FIELDS.split(","));
            assertThat(s.path("connection_id").asText()).isEqualTo(CONN_A1);
            assertThat(s.path("status").asText()).isEqualTo("queued");
            assertThat(s.path("kind").asText()).isEqualTo("incremental");
            assertThat(s.get("started_at").isNull()).isTrue();
            entities.add(s.path("entity").asText());
        }
        assertThat(entities).containsExactly("vendors", "purchase-orders");
        assertThat(connections.syncRequests)
                .containsExactly(List.of(ORG_A, CONN_A1, Set.of(), false));
        // the queued runs are among the connection's runs
        String runs = get(path(CONN_A1, "/syncs")).token(KEY_A).send().body();
        assertThat(runs).contains(data.get(0).path("id").asText());
    }

    @Test
    void syncNowWithAnEmptyObjectIsLikeNoBody() {
        Res r = syncNow(CONN_A1, "{}");
        assertThat(r.status()).as("%s", r).isEqualTo(202);
        assertThat(r.json().path("data").size()).isEqualTo(2);
        assertThat(connections.syncRequests)
                .containsExactly(List.of(ORG_A, CONN_A1, Set.of(), false));
    }

    /** The body is optional: an empty body or JSON {@code null} sent as JSON is no body. */
    @ParameterizedTest
    @ValueSource(strings = {"", "null"})
    void syncNowWithAnEmptyOrNullJsonBodyIsLikeNoBody(String body) {
        Res r = syncNow(CONN_A1, body);
        assertThat(r.status()).as("%s", r).isEqualTo(202);
        assertThat(r.json().path("data").size()).isEqualTo(2);
    }

    @Test
    void syncNowOfChosenEntitiesAndFull() {
        Res r = syncNow(CONN_A1, "{'entities':['vendors'],'full':true}");
        assertThat(r.status()).as("%s", r).isEqualTo(202);
        JsonNode data = r.json().path("data");
        assertThat(data.size()).isEqualTo(1);
        assertThat(data.get(0).path("entity").asText()).isEqualTo("vendors");
        assertThat(data.get(0).path("kind").asText()).isEqualTo("full");
        assertThat(connections.syncRequests)
                .containsExactly(List.of(ORG_A, CONN_A1, Set.of(EntityType.VENDORS), true));
    }

    @Test
    void syncNowTwiceAnswersTheAlreadyQueuedRun() {
        String first =
                syncNow(CONN_A1, "{'entities':['vendors']}").json().at("/data/0/id").asText();
        Res again = syncNow(CONN_A1, "{'entities':['vendors','vendors'],'full':false}");
        assertThat(again.status()).as("%s", again).isEqualTo(202);
        assertThat(again.json().path("data").size()).isEqualTo(1);
        assertThat(again.json().at("/data/0/id").asText()).isEqualTo(first);
    }

    @Test
    void syncNowWithUnknownEntityNamesIs422NamingEachIndex() {
        expect422(
                syncNow(CONN_A1, "{'entities':['vendors','spaceships','','Vendors']}"),
                "entities[1]",
                "entities[2]",
                "entities[3]");
        expect422(syncNow(CONN_A1, "{'entities':[null]}"), "entities[0]");
        assertThat(connections.syncRequests).isEmpty();
        assertThat(connections.requestedRuns).isEmpty();
    }

    @Test
    void syncNowOfAnEntityTheConnectionDoesNotSyncIs422FromTheEngine() {
        // con_a1 syncs purchase orders and vendors only
        expect422(syncNow(CONN_A1, "{'entities':['items']}"), "entities");
        assertThat(connections.requestedRuns).isEmpty();
    }

    @Test
    void syncNowOfADisconnectedOrUnauthorizedConnectionIs422Status() {
        expect422(syncNow(CONN_AR, null), "status");
        connections.byId.put(
                CONN_A2,
                Fakes.withStatus(
                        connections.byId.get(CONN_A2),
                        "reauthorization_required",
                        "rejected",
                        null));
        expect422(syncNow(CONN_A2, "{}"), "status");
        assertThat(connections.requestedRuns).isEmpty();
    }

    @Test
    void syncNowWithWrongTypesOrUnknownFieldsIs422WithTheirPaths() {
        expect422(syncNow(CONN_A1, "{'entities':'vendors'}"), "entities");
        expect422(syncNow(CONN_A1, "{'full':'yes'}"), "full");
        expect422(syncNow(CONN_A1, "{'entities':[['vendors']]}"), "entities[0]");
        expect422(syncNow(CONN_A1, "{'entity':'vendors'}"), "entity");
        assertThat(connections.syncRequests).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{'entities':}", "[1]", "'x'", "{'full':true}}"})
    void syncNowWithMalformedOrNonObjectJsonIs422(String body) {
        Res r = syncNow(CONN_A1, body);
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.code()).isEqualTo("validation_failed");
        assertThat(connections.syncRequests).isEmpty();
    }

    @Test
    void syncNowWithTextPlainIs415() {
        Res r =
                post(path(CONN_A1, "/syncs"))
                        .token(KEY_A)
                        .contentType("text/plain")
                        .body("entities=vendors")
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(415);
        assertThat(r.code()).isEqualTo("unsupported_media_type");
        assertThat(connections.syncRequests).isEmpty();
    }

    @Test
    void syncNowOfAnotherOrganizationsConnectionIs404() {
        expect404(syncNow(CONN_B1, null));
        expect404(syncNow("con_nothere", "{'entities':['vendors']}"));
        assertThat(connections.requestedRuns).isEmpty();
    }

    // --- GET /v1/admin/credits ---

    @Test
    void creditsAreThePoolAndWhatTheConnectionsUse() {
        Res a = credits(KEY_A);
        assertThat(a.status()).as("%s", a).isEqualTo(200);
        assertThat(keys(a.json())).containsExactly("pool", "used", "available");
        // con_a1, con_a2 and con_a3 count; the disconnected con_ar does not
        assertThat(a.json().path("pool").asInt()).isEqualTo(10);
        assertThat(a.json().path("used").asInt()).isEqualTo(3);
        assertThat(a.json().path("available").asInt()).isEqualTo(7);

        JsonNode b = credits(KEY_B).json();
        assertThat(b.path("pool").asInt()).isEqualTo(5);
        assertThat(b.path("used").asInt()).isEqualTo(2);
        assertThat(b.path("available").asInt()).isEqualTo(3);
    }

    @Test
    void creditsFollowCreateAndDisconnect() {
        Res created =
                post("/v1/admin/connections")
                        .token(KEY_A)
                        .json(
                                "{'system':'acme-erp','customer_id':'c','credentials':{'password':'p'}}")
                        .send();
        assertThat(created.status()).as("%s", created).isEqualTo(201);
        assertThat(credits(KEY_A).json().path("used").asInt()).isEqualTo(4);
        disconnect(created.json().at("/connection/id").asText(), KEY_A);
        disconnect(CONN_A2, KEY_A);
        JsonNode c = credits(KEY_A).json();
        assertThat(c.path("used").asInt()).isEqualTo(2);
        assertThat(c.path("available").asInt()).isEqualTo(8);
        // org B's balance is its own
        assertThat(credits(KEY_B).json().path("used").asInt()).isEqualTo(2);
    }

    @Test
    void availableCreditsAreNeverNegative() {
        connections.pools.put(ORG_A, 2);
        JsonNode c = credits(KEY_A).json();
        assertThat(c.path("pool").asInt()).isEqualTo(2);
        assertThat(c.path("used").asInt()).isEqualTo(3);
        assertThat(c.path("available").asInt()).isZero();
    }

    @Test
    void creditsWithoutTheConnectionServiceIs503() {
        services.connections = null;
        Res r = credits(KEY_A);
        assertThat(r.status()).as("%s", r).isEqualTo(503);
        assertThat(r.code()).isEqualTo("service_unavailable");
    }

    @Test
    void creditsOnlyAllowGet() {
        Res r = post("/v1/admin/credits").token(KEY_A).json("{}").send();
        assertThat(r.status()).as("%s", r).isEqualTo(405);
        assertThat(r.header("Allow")).contains("GET");
    }

    // --- body limit and methods ---

    /**
     * The new endpoints bind their bodies to Java records: a body over the limit must still be 413,
     * not a 422 about a field, with and without Content-Length.
     */
    @ParameterizedTest
    @CsvSource({"/reconnect,true", "/reconnect,false", "/syncs,true", "/syncs,false"})
    void aBodyOverTheLimitIs413(String tail, boolean withLength) {
        String head =
                tail.equals("/reconnect")
                        ? json("{'credentials':{'base_url':'https://x','username':'u','password':'")
                        : json("{'entities':['");
        String body =
                head
                        + "y".repeat((int) RestComponent.DEFAULT_BODY_LIMIT)
                        + (tail.equals("/reconnect") ? "\"}}" : "\"]}");
        Call c = post(path(CONN_A1, tail)).token(KEY_A).body(body);
        if (withLength) {
            c.header("Content-Length", body.length());
        }
        Res r = c.send();
        assertThat(r.status()).as("%s", r).isEqualTo(413);
        assertThat(r.code()).isEqualTo("payload_too_large");
        assertThat(connections.reconnects).isEmpty();
        assertThat(connections.syncRequests).isEmpty();
    }

    @ParameterizedTest
    @CsvSource({
        "GET,/reconnect,POST",
        "PUT,/purge,POST",
        "DELETE,/syncs,GET",
        "POST,/status-history,GET",
        "PATCH,,GET"
    })
    void aWrongMethodIs405WithAllow(String method, String tail, String allowed) {
        Call c = call(method, path(CONN_A1, tail == null ? "" : tail)).token(KEY_A);
        Res r = (method.matches("PUT|POST|PATCH") ? c.json("{}") : c).send();
        assertThat(r.status()).as("%s", r).isEqualTo(405);
        assertThat(r.code()).isEqualTo("method_not_allowed");
        assertThat(r.header("Allow")).contains(allowed);
        expectNothingChanged();
    }

    // --- tokens: every new endpoint is admin API only ---

    private Call lifecycleCall(String method, String path) {
        Call c = call(method, path);
        return path.endsWith("/reconnect") ? c.json(CREDENTIALS) : c;
    }

    private void expectNothingChanged() {
        assertThat(connections.disconnects).isEmpty();
        assertThat(connections.reconnects).isEmpty();
        assertThat(connections.purged).isEmpty();
        assertThat(connections.syncRequests).isEmpty();
        assertThat(connections.byId.get(CONN_A1).status()).isEqualTo("active");
    }

    @ParameterizedTest
    @CsvSource({
        "DELETE,/v1/admin/connections/con_a1",
        "POST,/v1/admin/connections/con_a1/reconnect",
        "POST,/v1/admin/connections/con_ar/purge",
        "GET,/v1/admin/connections/con_a1/status-history",
        "POST,/v1/admin/connections/con_a1/syncs",
        "GET,/v1/admin/credits"
    })
    void withoutATokenIs401TokenMissing(String method, String path) {
        Res r = lifecycleCall(method, path).send();
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        assertThat(r.code()).isEqualTo("token_missing");
        expectNothingChanged();
    }

    @ParameterizedTest
    @CsvSource({
        "DELETE,/v1/admin/connections/con_a1",
        "POST,/v1/admin/connections/con_a1/reconnect",
        "POST,/v1/admin/connections/con_ar/purge",
        "GET,/v1/admin/connections/con_a1/status-history",
        "POST,/v1/admin/connections/con_a1/syncs",
        "GET,/v1/admin/credits"
    })
    void aConnectionTokenOrAnUnknownKeyIs401TokenInvalid(String method, String path) {
        for (String token :
                List.of(TOKEN_A1, Fakes.KEY_UNKNOWN, Fakes.SESSION_TOKEN, "ibk_short")) {
            Res r = lifecycleCall(method, path).token(token).send();
            assertThat(r.status()).as("%s with %s", r, token).isEqualTo(401);
            assertThat(r.code()).as("%s with %s", r, token).isEqualTo("token_invalid");
        }
        expectNothingChanged();
    }
}
