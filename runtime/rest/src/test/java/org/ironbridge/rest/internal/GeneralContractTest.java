package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A1;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The "General" and "Errors" sections of API.md: request ids, problem documents, unknown paths,
 * methods and media types, the body limit, health and the OpenAPI document.
 */
class GeneralContractTest extends ApiTestBase {
    private static final String PO_BODY =
            "{'vendor_id':'ven_a1one','lines':[{'quantity':'2','unit_price':'10.00'}]}";

    // --- X-Request-Id ---

    @ParameterizedTest
    @ValueSource(strings = {"abc", "req-123_ABC.def", "a", "9f2c0e1d-4b5a-4c3d-8e7f-001122334455"})
    void aValidClientRequestIdIsKept(String id) {
        Res r = get("/health/live").header("X-Request-Id", id).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.requestId()).isEqualTo(id);
    }

    @Test
    void aRequestIdOf128CharactersIsKept() {
        String id = "x".repeat(128);
        assertThat(get("/health/live").header("X-Request-Id", id).send().requestId()).isEqualTo(id);
    }

    @ParameterizedTest
    @ValueSource(strings = {"has spaces", "semi;colon", "slash/ed", "üñí", "quote'd", "a,b"})
    void anInvalidClientRequestIdIsReplaced(String id) {
        Res r = get("/health/live").header("X-Request-Id", id).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.requestId()).isNotEqualTo(id).matches(REQUEST_ID);
    }

    @Test
    void aRequestIdOver128CharactersIsReplaced() {
        String id = "x".repeat(129);
        String longer = "y".repeat(200);
        assertThat(get("/health/live").header("X-Request-Id", id).send().requestId())
                .isNotEqualTo(id)
                .matches(REQUEST_ID);
        assertThat(get("/health/live").header("X-Request-Id", longer).send().requestId())
                .isNotEqualTo(longer)
                .matches(REQUEST_ID);
    }

    @Test
    void eachRequestWithoutAnIdGetsANewOne() {
        String a = get("/health/live").send().requestId();
        String b = get("/health/live").send().requestId();
        assertThat(a).isNotEqualTo(b);
    }

    @Test
    void theProblemDocumentCarriesTheKeptRequestId() {
        Res r = get("/v1/purchase-orders").header("X-Request-Id", "client-id-1").send();
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        assertThat(r.requestId()).isEqualTo("client-id-1");
        assertThat(r.json().path("request_id").asText()).isEqualTo("client-id-1");
    }

    @Test
    void theProblemDocumentCarriesTheGeneratedRequestId() {
        Res r = get("/nowhere").header("X-Request-Id", "not valid!").send();
        assertThat(r.status()).as("%s", r).isEqualTo(404);
        assertThat(r.json().path("request_id").asText())
                .isEqualTo(r.requestId())
                .isNotEqualTo("not valid!");
    }

    @Test
    void requestIdsAreOnEveryKindOfResponse() {
        // checkGeneralRules asserts the header on each; here one of each status family
        List<Res> all = new ArrayList<>();
        all.add(get("/health/live").send());
        all.add(get("/openapi.json").send());
        all.add(get("/v1/purchase-orders").token(TOKEN_A1).send());
        all.add(post("/v1/purchase-orders").token(TOKEN_A1).json(PO_BODY).send());
        all.add(call("DELETE", "/v1/purchase-orders/" + Fakes.PO_A1_1).token(TOKEN_A1).send());
        all.add(get("/nowhere").send());
        all.add(call("PUT", "/health/live").json("{}").send());
        all.add(
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .contentType("text/plain")
                        .body("x")
                        .send());
        assertThat(all)
                .extracting(Res::status)
                .containsExactly(200, 200, 200, 201, 204, 404, 405, 415);
        assertThat(all).allSatisfy(r -> assertThat(r.requestId()).matches(REQUEST_ID));
    }

    // --- unknown paths, methods, media types ---

    @ParameterizedTest
    @ValueSource(strings = {"/", "/nowhere", "/v2/purchase-orders", "/health", "/health/dead"})
    void unknownPathsAre404NotFound(String path) {
        Res r = get(path).send();
        assertThat(r.status()).as("%s", r).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
    }

    @Test
    void unknownPathsUnderV1Are404EvenWithAToken() {
        Res r = get("/v1/admin/nonsense").token(Fakes.KEY_A).send();
        assertThat(r.status()).as("%s", r).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
    }

    @Test
    void aWrongMethodIs405WithAllow() {
        Res r = call("DELETE", "/health/live").send();
        assertThat(r.status()).as("%s", r).isEqualTo(405);
        assertThat(r.code()).isEqualTo("method_not_allowed");
        assertThat(r.header("Allow")).contains("GET");
    }

    @Test
    void aWrongMethodOnACollectionIs405WithAllow() {
        Res r = call("PUT", "/v1/purchase-orders").token(TOKEN_A1).json("{}").send();
        assertThat(r.status()).as("%s", r).isEqualTo(405);
        assertThat(r.code()).isEqualTo("method_not_allowed");
        assertThat(r.header("Allow")).contains("GET").contains("POST");
    }

    @Test
    void aWrongMethodOnARecordIs405WithAllow() {
        Res r =
                call("PUT", "/v1/purchase-orders/" + Fakes.PO_A1_1)
                        .token(TOKEN_A1)
                        .json("{}")
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(405);
        assertThat(r.header("Allow")).contains("GET").contains("PATCH").contains("DELETE");
    }

    @Test
    void aWrongMethodOnTheAdminApiIs405WithAllow() {
        Res r = call("PATCH", "/v1/admin/connections").token(Fakes.KEY_A).json("{}").send();
        assertThat(r.status()).as("%s", r).isEqualTo(405);
        assertThat(r.header("Allow")).contains("GET").contains("POST");
    }

    @Test
    void postWithTextPlainIs415() {
        Res r =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .contentType("text/plain")
                        .body(json(PO_BODY))
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(415);
        assertThat(r.code()).isEqualTo("unsupported_media_type");
        assertThat(records.creates).hasValue(0);
    }

    @Test
    void adminPostWithTextPlainIs415() {
        Res r =
                post("/v1/admin/connections")
                        .token(Fakes.KEY_A)
                        .contentType("text/plain")
                        .body("system=acme-erp")
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(415);
        assertThat(r.code()).isEqualTo("unsupported_media_type");
    }

    @Test
    void jsonWithACharsetIsAccepted() {
        Res r =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .contentType("application/json; charset=utf-8")
                        .json(PO_BODY)
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(201);
    }

    // --- body limit ---

    /** A valid purchase order padded with whitespace to exactly {@code size} bytes. */
    private String poOfSize(long size) {
        String b = json(PO_BODY);
        return b.substring(0, b.length() - 1) + " ".repeat((int) (size - b.length())) + "}";
    }

    @Test
    void aBodyOverTheLimitWithContentLengthIs413() {
        String body = poOfSize(RestComponent.DEFAULT_BODY_LIMIT + 1);
        Res r =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .header("Content-Length", body.length())
                        .body(body)
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(413);
        assertThat(r.code()).isEqualTo("payload_too_large");
        assertThat(records.creates).hasValue(0);
    }

    @Test
    void aChunkedBodyOverTheLimitIs413() {
        // no Content-Length: the limit is enforced while the body is read
        String body = poOfSize(RestComponent.DEFAULT_BODY_LIMIT + 1);
        Res r =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .header("Transfer-Encoding", "chunked")
                        .body(body)
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(413);
        assertThat(r.code()).isEqualTo("payload_too_large");
        assertThat(records.creates).hasValue(0);
    }

    /**
     * Endpoints whose body is bound to a Java record (not a JSON tree) read it through Jackson's
     * bean deserializers: the limit must still give 413, not a 422 about a field.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/v1/admin/connections", "/v1/passthrough"})
    void aChunkedBodyOverTheLimitIs413OnRecordBoundEndpoints(String path) {
        String head =
                path.startsWith("/v1/admin")
                        ? "{'system':'acme-erp','customer_id':'c','credentials':{'x':'"
                        : "{'method':'POST','path':'/','headers':{'x':'";
        String body = json(head) + "y".repeat((int) RestComponent.DEFAULT_BODY_LIMIT) + "\"}}";
        String token = path.startsWith("/v1/admin") ? Fakes.KEY_A : TOKEN_A1;
        Res r = post(path).token(token).body(body).send();
        assertThat(r.status()).as("%s", r).isEqualTo(413);
        assertThat(r.code()).isEqualTo("payload_too_large");
        assertThat(connections.created).isEmpty();
        assertThat(records.passthroughs).isEmpty();
    }

    @Test
    void aBodyOverTheLimitWithContentLengthIs413OnTheAdminApi() {
        String body =
                json("{'system':'acme-erp','customer_id':'c','credentials':{'x':'")
                        + "y".repeat((int) RestComponent.DEFAULT_BODY_LIMIT)
                        + "\"}}";
        Res r =
                post("/v1/admin/connections")
                        .token(Fakes.KEY_A)
                        .header("Content-Length", body.length())
                        .body(body)
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(413);
        assertThat(r.code()).isEqualTo("payload_too_large");
        assertThat(connections.created).isEmpty();
    }

    @Test
    void aBodyOfExactlyTheLimitIsAccepted() {
        String body = poOfSize(RestComponent.DEFAULT_BODY_LIMIT);
        assertThat(body).hasSize((int) RestComponent.DEFAULT_BODY_LIMIT);
        Res r =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .header("Content-Length", body.length())
                        .body(body)
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        Res chunked = post("/v1/purchase-orders").token(TOKEN_A1).body(body).send();
        assertThat(chunked.status()).isEqualTo(201);
    }

    // --- unexpected failures ---

    @Test
    void anUnexpectedFailureIs500InternalErrorNamingTheRequestId() {
        Res r =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .header("X-Request-Id", "bug-report-1")
                        .json(
                                "{'vendor_id':'ven_a1one','notes':'bug','lines':[{'quantity':'1','unit_price':'1'}]}")
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(500);
        assertThat(r.code()).isEqualTo("internal_error");
        assertThat(r.json().path("detail").asText()).contains("bug-report-1");
        assertThat(r.body()).doesNotContain("Secret").doesNotContain("NullPointer");
    }

    // --- health ---

    @Test
    void liveIs200WithoutAToken() {
        Res r = get("/health/live").send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo("up");
    }

    @Test
    void readyIs200WhenTheDatabaseAndCoreServicesAreUp() {
        Res r = get("/health/ready").send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("status").asText()).isEqualTo("ready");
        assertThat(r.body()).doesNotContain("password");
    }

    @Test
    void readyIs503WhenTheDatabaseCheckFails() {
        database.problem = "Cannot connect to MariaDB at db:3306";
        Res r = get("/health/ready").send();
        assertThat(r.status()).as("%s", r).isEqualTo(503);
        assertThat(r.code()).isEqualTo("service_unavailable");
        assertThat(r.json().path("detail").asText()).contains("Cannot connect");
    }

    @Test
    void readyIs503WithoutADatabase() {
        services.database = null;
        Res r = get("/health/ready").send();
        assertThat(r.status()).as("%s", r).isEqualTo(503);
        assertThat(r.code()).isEqualTo("service_unavailable");
    }

    @Test
    void readyIs503WithoutTheEngine() {
        services.adminAuthenticator = null;
        assertThat(get("/health/ready").send().status()).isEqualTo(503);
        services.adminAuthenticator = admins;
        services.connectors = null;
        assertThat(get("/health/ready").send().status()).isEqualTo(503);
    }

    @Test
    void liveStays200WhenTheDatabaseIsDown() {
        database.problem = "down";
        services.connections = null;
        assertThat(get("/health/live").send().status()).isEqualTo(200);
    }

    // --- OpenAPI ---

    @Test
    void openApiIsA31JsonDocumentWithoutAToken() {
        Res r = get("/openapi.json").send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode doc = r.json();
        assertThat(doc.path("openapi").asText()).isEqualTo("3.1.0");
        assertThat(doc.path("info").path("title").isTextual()).isTrue();
        assertThat(doc.path("paths").isObject()).isTrue();
    }

    @Test
    void openApiDocumentsEveryImplementedEndpoint() {
        JsonNode paths = get("/openapi.json").send().json().path("paths");
        List<String> missing = new ArrayList<>();
        for (String p :
                List.of(
                        "/health/live",
                        "/health/ready",
                        "/openapi.json",
                        "/v1/admin/connectors",
                        "/v1/admin/connections",
                        "/v1/admin/connections/{id}",
                        "/v1/admin/connections/{id}/syncs",
                        "/v1/admin/connections/{id}/reconnect",
                        "/v1/admin/connections/{id}/purge",
                        "/v1/admin/connections/{id}/status-history",
                        "/v1/admin/connections/{id}/stats",
                        "/v1/admin/credits",
                        "/v1/admin/console-users",
                        "/v1/admin/console-users/{id}",
                        "/v1/console/session",
                        "/v1/admin/logs",
                        "/v1/admin/logs/{request_id}",
                        "/v1/{collection}",
                        "/v1/{collection}/{id}",
                        "/v1/connection",
                        "/v1/capabilities",
                        "/v1/schemas",
                        "/v1/schemas/{collection}",
                        "/v1/passthrough")) {
            if (!paths.has(p)) {
                missing.add(p);
            }
        }
        assertThat(missing).as("paths missing from openapi.json").isEmpty();
    }

    /** The admin operations, each with its success status, the admin key and its 404 if any. */
    @Test
    void openApiDocumentsTheConnectionLifecycleOperations() {
        JsonNode paths = get("/openapi.json").send().json().path("paths");
        List<String> wrong = new ArrayList<>();
        for (String[] op :
                new String[][] {
                    {"/v1/admin/connections/{id}", "delete", "204"},
                    {"/v1/admin/connections/{id}/reconnect", "post", "201"},
                    {"/v1/admin/connections/{id}/purge", "post", "204"},
                    {"/v1/admin/connections/{id}/status-history", "get", "200"},
                    {"/v1/admin/connections/{id}/stats", "get", "200"},
                    {"/v1/admin/connections/{id}/syncs", "post", "202"},
                    {"/v1/admin/credits", "get", "200"}
                }) {
            JsonNode o = paths.path(op[0]).path(op[1]);
            String name = op[1] + " " + op[0];
            if (o.isMissingNode()) {
                wrong.add(name + ": missing");
                continue;
            }
            if (!o.path("responses").has(op[2])) {
                wrong.add(name + ": no " + op[2]);
            }
            if (!o.path("responses").has("401")) {
                wrong.add(name + ": no 401");
            }
            if (op[0].contains("{id}") && !o.path("responses").has("404")) {
                wrong.add(name + ": no 404");
            }
            if (!o.path("security")
                    .toString()
                    .equals("[{\"adminKey\":[]},{\"consoleSession\":[]}]")) {
                wrong.add(name + ": security " + o.path("security"));
            }
        }
        assertThat(wrong).as("admin operations in openapi.json").isEmpty();
        JsonNode queued =
                paths.at("/~1v1~1admin~1connections~1{id}~1syncs/post/responses/202/content")
                        .path("application/json")
                        .path("schema");
        assertThat(queued.path("$ref").asText()).isEqualTo("#/components/schemas/QueuedSyncs");
    }

    /**
     * Every admin operation takes the admin key or the console's session cookie (AdminAuthFilter),
     * and every error code of the API is documented.
     */
    @Test
    void openApiDocumentsBothCredentialsOfTheAdminApiAndEveryErrorCode() {
        JsonNode doc = get("/openapi.json").send().json();
        List<String> wrong = new ArrayList<>();
        doc.path("paths")
                .fields()
                .forEachRemaining(
                        p -> {
                            if (!p.getKey().startsWith("/v1/admin/")) {
                                return;
                            }
                            p.getValue()
                                    .fields()
                                    .forEachRemaining(
                                            op -> {
                                                if (!op.getKey().equals("parameters")
                                                        && !op.getValue()
                                                                .path("security")
                                                                .toString()
                                                                .equals(
                                                                        "[{\"adminKey\":[]},{\"consoleSession\":[]}]")) {
                                                    wrong.add(op.getKey() + " " + p.getKey());
                                                }
                                            });
                        });
        assertThat(wrong).as("admin operations without both credentials").isEmpty();
        assertThat(doc.at("/components/securitySchemes/consoleSession/in").asText())
                .isEqualTo("cookie");
        assertThat(doc.at("/components/securitySchemes/consoleSession/name").asText())
                .isEqualTo(ConsoleCookie.NAME);
        String text = doc.toString();
        List<String> undocumented = new ArrayList<>();
        for (ErrorCode c : ErrorCode.values()) {
            if (!text.contains("`" + c.wire() + "`")) {
                undocumented.add(c.wire());
            }
        }
        assertThat(undocumented).as("error codes missing from openapi.json").isEmpty();
    }

    /** Every {@code $ref} of the document points at something in it. */
    @Test
    void openApiReferencesAllResolve() {
        JsonNode doc = get("/openapi.json").send().json();
        List<String> refs = new ArrayList<>();
        collectRefs(doc, refs);
        assertThat(refs).hasSizeGreaterThan(100);
        List<String> unresolved = new ArrayList<>();
        for (String ref : refs) {
            if (!ref.startsWith("#/") || doc.at(ref.substring(1)).isMissingNode()) {
                unresolved.add(ref);
            }
        }
        assertThat(unresolved).as("unresolved $refs in openapi.json").isEmpty();
    }

    private static void collectRefs(JsonNode n, List<String> out) {
        if (n.isObject()) {
            n.fields()
                    .forEachRemaining(
                            e -> {
                                if (e.getKey().equals("$ref") && e.getValue().isTextual()) {
                                    out.add(e.getValue().asText());
                                } else {
                                    collectRefs(e.getValue(), out);
                                }
                            });
        } else if (n.isArray()) {
            n.forEach(c -> collectRefs(c, out));
        }
    }
}
