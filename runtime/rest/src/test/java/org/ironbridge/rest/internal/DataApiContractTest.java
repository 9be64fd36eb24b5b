package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.Fakes.PO_A1_1;
import static org.ironbridge.rest.internal.Fakes.PO_A1_2;
import static org.ironbridge.rest.internal.Fakes.PO_A1_3;
import static org.ironbridge.rest.internal.Fakes.PO_A2_1;
import static org.ironbridge.rest.internal.Fakes.PO_B1_1;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A1;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A2;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A3;
import static org.ironbridge.rest.internal.Fakes.VEN_A1_1;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ironbridge.engine.RecordQuery;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The unified data API: {@code /v1/{collection}} and {@code /v1/{collection}/{id}}. */
class DataApiContractTest extends ApiTestBase {
    static final String PO =
            "{'vendor_id':'ven_a1one','currency':'EUR','notes':'rush',"
                    + "'lines':[{'line_number':1,'quantity':'2','unit_price':'10.00'}]}";

    private Res list(String collection, Object... query) {
        Call c = get("/v1/" + collection).token(TOKEN_A1);
        for (int i = 0; i < query.length; i += 2) {
            c.query((String) query[i], query[i + 1]);
        }
        return c.send();
    }

    private RecordQuery lastQuery() {
        assertThat(records.queries).isNotEmpty();
        return records.queries.get(records.queries.size() - 1);
    }

    private static List<String> ids(Res r) {
        List<String> out = new ArrayList<>();
        r.json().path("data").forEach(n -> out.add(n.path("id").asText()));
        return out;
    }

    private void expect422(Res r, String field) {
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.code()).as("%s", r).isEqualTo("validation_failed");
        if (field != null) {
            assertThat(r.errorFields()).as("%s", r).contains(field);
        }
    }

    private Res create(String body) {
        return post("/v1/purchase-orders").token(TOKEN_A1).json(body).send();
    }

    // --- list ---

    @Test
    void listHasDataAndNextCursorAndTheDefaults() {
        Res r = list("purchase-orders");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode body = r.json();
        List<String> keys = new ArrayList<>();
        body.fieldNames().forEachRemaining(keys::add);
        assertThat(keys).containsExactly("data", "next_cursor");
        assertThat(body.path("data").isArray()).isTrue();
        assertThat(body.get("next_cursor").isNull()).isTrue();
        assertThat(ids(r)).containsExactly(PO_A1_1, PO_A1_2, PO_A1_3);
        RecordQuery q = lastQuery();
        assertThat(q.pageSize()).isEqualTo(100);
        assertThat(q.cursor()).isNull();
        assertThat(q.modifiedAfter()).isNull();
        assertThat(q.modifiedBefore()).isNull();
        assertThat(q.includeDeleted()).isFalse();
        assertThat(q.includeRemoteData()).isFalse();
        assertThat(q.filters()).isEmpty();
    }

    @Test
    void listPagesWithPageSizeAndCursor() {
        Res first = list("purchase-orders", "page_size", "2");
        assertThat(first.status()).isEqualTo(200);
        assertThat(ids(first)).containsExactly(PO_A1_1, PO_A1_2);
        String cursor = first.json().path("next_cursor").asText();
        assertThat(cursor).isNotBlank();
        assertThat(lastQuery().pageSize()).isEqualTo(2);

        Res second = list("purchase-orders", "page_size", "2", "cursor", cursor);
        assertThat(ids(second)).containsExactly(PO_A1_3);
        assertThat(second.json().get("next_cursor").isNull()).isTrue();
        assertThat(lastQuery().cursor()).isEqualTo(cursor);
    }

    @Test
    void pageSizeBoundsAreAccepted() {
        assertThat(list("purchase-orders", "page_size", "1").status()).isEqualTo(200);
        assertThat(lastQuery().pageSize()).isEqualTo(1);
        assertThat(list("purchase-orders", "page_size", "1000").status()).isEqualTo(200);
        assertThat(lastQuery().pageSize()).isEqualTo(1000);
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1001", "abc", "-1", "1.5", "99999999999"})
    void aBadPageSizeIs422(String pageSize) {
        expect422(list("purchase-orders", "page_size", pageSize), "page_size");
        assertThat(records.queries).isEmpty();
    }

    @Test
    void modifiedAfterAndBeforeReachTheServiceAsInstants() {
        Res r =
                list(
                        "purchase-orders",
                        "modified_after",
                        "2026-11-22T11:15:30+01:00",
                        "modified_before",
                        "2026-11-23T00:00:00Z");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(lastQuery().modifiedAfter()).isEqualTo(Instant.parse("2026-11-22T10:15:30Z"));
        assertThat(lastQuery().modifiedBefore()).isEqualTo(Instant.parse("2026-11-23T00:00:00Z"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"yesterday", "2026-11-22", "2026-11-22T10:15:30", "2026-13-01T00:00Z"})
    void aBadModifiedAfterIs422(String value) {
        expect422(list("purchase-orders", "modified_after", value), "modified_after");
        expect422(list("purchase-orders", "modified_before", value), "modified_before");
    }

    @Test
    void includeFlagsReachTheService() {
        assertThat(
                        list(
                                        "purchase-orders",
                                        "include_deleted",
                                        "true",
                                        "include_remote_data",
                                        "true")
                                .status())
                .isEqualTo(200);
        assertThat(lastQuery().includeDeleted()).isTrue();
        assertThat(lastQuery().includeRemoteData()).isTrue();
        assertThat(list("purchase-orders", "include_deleted", "false").status()).isEqualTo(200);
        assertThat(lastQuery().includeDeleted()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "1", "yes", "tru"})
    void aBadBooleanIs422(String value) {
        expect422(list("purchase-orders", "include_deleted", value), "include_deleted");
        expect422(list("purchase-orders", "include_remote_data", value), "include_remote_data");
    }

    @Test
    void filtersReachTheServiceAsAMap() {
        Res r = list("purchase-orders", "filter[status]", "approved");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(lastQuery().filters()).isEqualTo(Map.of("status", "approved"));
        assertThat(ids(r)).containsExactly(PO_A1_1, PO_A1_3);
    }

    @Test
    void twoFiltersReachTheService() {
        Res r = list("purchase-orders", "filter[status]", "approved", "filter[number]", "PO-3");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(lastQuery().filters()).isEqualTo(Map.of("status", "approved", "number", "PO-3"));
        assertThat(ids(r)).containsExactly(PO_A1_3);
    }

    @Test
    void badFilterSyntaxIs422() {
        expect422(list("purchase-orders", "filter", "approved"), "filter");
        expect422(list("purchase-orders", "filter[]", "approved"), "filter[]");
        expect422(list("purchase-orders", "filter[status", "approved"), "filter[status");
        expect422(
                list("purchase-orders", "filter[status]", "approved", "filter[status]", "draft"),
                "filter[status]");
        assertThat(records.queries).isEmpty();
    }

    @Test
    void anUnknownFilterFieldReportedByTheEngineIs422() {
        expect422(list("purchase-orders", "filter[nope]", "x"), "filter[nope]");
    }

    /**
     * What the engine accepts as a filter ({@code RecordService.filterableFields}): remote_id,
     * status/number/code where the entity has them, and top-level reference fields; anything else
     * (here a plain field) is 422.
     */
    @Test
    void referenceAndRemoteIdFiltersAreAcceptedOtherFieldsAre422() {
        assertThat(records.filterableFields(EntityType.PURCHASE_ORDERS))
                .contains("remote_id", "status", "number", "vendor_id")
                .doesNotContain("currency", "lines", "notes");
        Res byVendor = list("purchase-orders", "filter[vendor_id]", VEN_A1_1);
        assertThat(byVendor.status()).as("%s", byVendor).isEqualTo(200);
        assertThat(ids(byVendor)).containsExactly(PO_A1_1, PO_A1_2, PO_A1_3);
        Res byRemote = list("purchase-orders", "filter[remote_id]", "R-" + PO_A1_2);
        assertThat(ids(byRemote)).containsExactly(PO_A1_2);
        expect422(list("purchase-orders", "filter[currency]", "EUR"), "filter[currency]");
    }

    @Test
    void aMalformedCursorReportedByTheEngineIs422() {
        expect422(list("purchase-orders", "cursor", "garbage!"), "cursor");
    }

    @Test
    void unknownQueryParametersAreIgnored() {
        Res r = list("purchase-orders", "sort", "name", "expand", "lines", "foo", "bar");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(lastQuery().filters()).isEmpty();
    }

    @Test
    void listOnlyShowsTheConnectionsOwnRecords() {
        Res a2 = get("/v1/purchase-orders").token(TOKEN_A2).send();
        assertThat(ids(a2)).containsExactly(PO_A2_1);
        Res b1 = get("/v1/purchase-orders").token(Fakes.TOKEN_B1).send();
        assertThat(ids(b1)).containsExactly(PO_B1_1);
    }

    @Test
    void anEmptyCollectionIsAnEmptyPage() {
        Res r = list("items");
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("data").size()).isZero();
        assertThat(r.json().get("next_cursor").isNull()).isTrue();
    }

    // --- unknown collections ---

    @ParameterizedTest
    @ValueSource(strings = {"/v1/nonsense", "/v1/nonsense/xyz", "/v1/purchase-order", "/v1/PO"})
    void anUnknownCollectionIs404(String path) {
        Res withToken = get(path).token(TOKEN_A1).send();
        assertThat(withToken.status()).isEqualTo(404);
        assertThat(withToken.code()).isEqualTo("not_found");
        Res without = get(path).send();
        assertThat(without.status()).isEqualTo(404);
        assertThat(without.code()).isEqualTo("not_found");
    }

    @Test
    void writesToAnUnknownCollectionAre404() {
        Res post = post("/v1/nonsense").token(TOKEN_A1).json("{}").send();
        assertThat(post.status()).isEqualTo(404);
        Res patch = call("PATCH", "/v1/nonsense/x").token(TOKEN_A1).json("{}").send();
        assertThat(patch.status()).isEqualTo(404);
        Res delete = call("DELETE", "/v1/nonsense/x").token(TOKEN_A1).send();
        assertThat(delete.status()).isEqualTo(404);
    }

    @Test
    void everyDocumentedCollectionIsKnown() {
        for (String c :
                List.of(
                        "vendors",
                        "items",
                        "stock-levels",
                        "locations",
                        "assets",
                        "work-orders",
                        "service-requests",
                        "purchase-orders")) {
            Res r = list(c);
            assertThat(r.status()).as("%s: %s", c, r).isIn(200, 422);
            if (r.status() == 422) {
                assertThat(r.code()).isEqualTo("operation_not_supported");
            }
        }
    }

    // --- capabilities enforced ---

    @Test
    void listingAnUnsupportedCollectionIsOperationNotSupported() {
        Res r = list("work-orders");
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.code()).isEqualTo("operation_not_supported");
        assertThat(records.queries).isEmpty();
    }

    @Test
    void gettingARecordOfAnUnsupportedCollectionIsOperationNotSupported() {
        // consistent with list: the connector cannot GET work orders at all
        Res r = get("/v1/work-orders/wo_123").token(TOKEN_A1).send();
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.code()).isEqualTo("operation_not_supported");
    }

    @Test
    void writingAReadOnlyCollectionIsOperationNotSupported() {
        Res create = post("/v1/vendors").token(TOKEN_A1).json("{'name':'New Vendor Ltd'}").send();
        assertThat(create.status()).isEqualTo(422);
        assertThat(create.code()).isEqualTo("operation_not_supported");
        assertThat(create.json().path("detail").asText()).contains("vendors");

        Res update =
                call("PATCH", "/v1/vendors/" + VEN_A1_1)
                        .token(TOKEN_A1)
                        .json("{'name':'Renamed'}")
                        .send();
        assertThat(update.status()).isEqualTo(422);
        assertThat(update.code()).isEqualTo("operation_not_supported");

        Res delete = call("DELETE", "/v1/vendors/" + VEN_A1_1).token(TOKEN_A1).send();
        assertThat(delete.status()).isEqualTo(422);
        assertThat(delete.code()).isEqualTo("operation_not_supported");

        assertThat(records.creates).hasValue(0);
        assertThat(records.updates).hasValue(0);
        assertThat(records.deletes).hasValue(0);
    }

    @Test
    void readingAReadOnlyCollectionWorks() {
        Res r = get("/v1/vendors/" + VEN_A1_1).token(TOKEN_A1).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("name").asText()).isEqualTo("Bolt Supply");
        assertThat(ids(list("vendors"))).containsExactly(VEN_A1_1);
    }

    @Test
    void aConnectionWhoseConnectorIsNotInstalledIsConnectorUnavailable() {
        Res r = get("/v1/purchase-orders").token(TOKEN_A3).send();
        assertThat(r.status()).as("%s", r).isEqualTo(503);
        assertThat(r.code()).isEqualTo("connector_unavailable");
        Res c = get("/v1/capabilities").token(TOKEN_A3).send();
        assertThat(c.status()).isEqualTo(503);
        assertThat(c.code()).isEqualTo("connector_unavailable");
    }

    // --- get ---

    @Test
    void getReturnsTheRecord() {
        Res r = get("/v1/purchase-orders/" + PO_A1_1).token(TOKEN_A1).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode po = r.json();
        assertThat(po.path("id").asText()).isEqualTo(PO_A1_1);
        assertThat(po.has("remote_id")).isTrue();
        assertThat(po.has("created_at")).isTrue();
        assertThat(po.has("updated_at")).isTrue();
        assertThat(po.has("deleted_at")).isTrue();
        assertThat(po.path("custom_fields").isObject()).isTrue();
        assertThat(po.path("lines").get(0).path("quantity").asText()).isEqualTo("2");
    }

    @Test
    void anUnknownRecordIs404() {
        Res r = get("/v1/purchase-orders/po_nothere").token(TOKEN_A1).send();
        assertThat(r.status()).as("%s", r).isEqualTo(404);
        assertThat(r.code()).isEqualTo("not_found");
    }

    @Test
    void anotherConnectionsRecordIs404() {
        Res sameOrg = get("/v1/purchase-orders/" + PO_A2_1).token(TOKEN_A1).send();
        assertThat(sameOrg.status()).isEqualTo(404);
        assertThat(sameOrg.code()).isEqualTo("not_found");
        Res otherOrg = get("/v1/purchase-orders/" + PO_B1_1).token(TOKEN_A1).send();
        assertThat(otherOrg.status()).isEqualTo(404);
        assertThat(otherOrg.body()).doesNotContain("PO-1");
    }

    @Test
    void aRecordIdOfAnotherCollectionIs404() {
        Res r = get("/v1/vendors/" + PO_A1_1).token(TOKEN_A1).send();
        assertThat(r.status()).as("%s", r).isEqualTo(404);
    }

    @Test
    void aBadIncludeRemoteDataOnGetIs422() {
        expect422(
                get("/v1/purchase-orders/" + PO_A1_1)
                        .token(TOKEN_A1)
                        .query("include_remote_data", "maybe")
                        .send(),
                "include_remote_data");
    }

    // --- create ---

    @Test
    void createIs201WithLocationAndTheRecord() {
        Res r = create(PO);
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        JsonNode po = r.json();
        String id = po.path("id").asText();
        assertThat(id).startsWith("po_");
        assertThat(po.path("notes").asText()).isEqualTo("rush");
        assertThat(r.header("Location")).endsWith("/v1/purchase-orders/" + id);
        assertThat(records.creates).hasValue(1);

        Res again = get("/v1/purchase-orders/" + id).token(TOKEN_A1).send();
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().path("id").asText()).isEqualTo(id);
        assertThat(get("/v1/purchase-orders/" + id).token(TOKEN_A2).send().status()).isEqualTo(404);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "{'vendor_id':}", "not json", "{'a':1}}", "{'a':1} {'b':2}"})
    void malformedJsonIs422(String body) {
        Res r = create(body);
        expect422(r, null);
        assertThat(records.creates).hasValue(0);
    }

    @Test
    void aJsonArrayBodyIs422() {
        expect422(create("[" + PO + "]"), null);
        expect422(
                call("PATCH", "/v1/purchase-orders/" + PO_A1_1)
                        .token(TOKEN_A1)
                        .json("[{'notes':'x'}]")
                        .send(),
                null);
        assertThat(records.creates).hasValue(0);
        assertThat(records.updates).hasValue(0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"'text'", "42", "null", "true"})
    void aNonObjectJsonBodyIs422(String body) {
        expect422(create(body), null);
        assertThat(records.creates).hasValue(0);
    }

    @Test
    void anEmptyBodyIs422() {
        Res r = post("/v1/purchase-orders").token(TOKEN_A1).body("").send();
        expect422(r, null);
        assertThat(records.creates).hasValue(0);
    }

    @Test
    void unknownFieldsAre422WithTheirExactPaths() {
        Res r =
                create(
                        "{'vendor_id':'ven_a1one','colour':'red',"
                                + "'lines':[{'quantity':'1','unit_price':'1'},"
                                + "{'quantity':'1','unit_price':'1','discount':'5'}]}");
        expect422(r, "colour");
        assertThat(r.errorFields()).contains("colour", "lines[1].discount");
        assertThat(records.creates).hasValue(0);
    }

    @Test
    void wrongTypesAre422WithTheirExactPaths() {
        Res r =
                create(
                        "{'vendor_id':'ven_a1one','lines':[{'quantity':5,'unit_price':'10.00'},"
                                + "{'quantity':'0','unit_price':'1'}]}");
        expect422(r, "lines[0].quantity");
        assertThat(r.errorFields()).contains("lines[0].quantity", "lines[1].quantity");
        JsonNode errors = r.json().path("errors");
        assertThat(errors.isArray()).isTrue();
        errors.forEach(e -> assertThat(e.path("message").asText()).isNotBlank());
    }

    @Test
    void missingRequiredAndReadOnlyFieldsAre422() {
        Res r = create("{'id':'po_mine','lines':[{'quantity':'1','unit_price':'1'}]}");
        expect422(r, "vendor_id");
        assertThat(r.errorFields()).contains("id", "vendor_id");
    }

    @Test
    void aBadStatusEnumIs422() {
        expect422(
                create(
                        "{'vendor_id':'v','status':'shipped','lines':[{'quantity':'1','unit_price':'1'}]}"),
                "status");
    }

    @Test
    void sourceFailuresAreMapped() {
        Res down = create(PO.replace("rush", "source-down"));
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.code()).isEqualTo("source_unavailable");
        assertThat(down.header("Retry-After")).isEqualTo("45");

        Res limited = create(PO.replace("rush", "source-rate-limited"));
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.code()).isEqualTo("rate_limited");
        assertThat(limited.header("Retry-After")).isEqualTo("7");

        Res reauth = create(PO.replace("rush", "source-reauth"));
        assertThat(reauth.status()).isEqualTo(401);
        assertThat(reauth.code()).isEqualTo("reauthorization_required");

        Res conflict = create(PO.replace("rush", "source-conflict"));
        assertThat(conflict.status()).isEqualTo(409);
        assertThat(conflict.code()).isEqualTo("conflict");

        Res invalid = create(PO.replace("rush", "source-invalid"));
        assertThat(invalid.status()).isEqualTo(422);
        assertThat(invalid.code()).isEqualTo("validation_failed");
        assertThat(invalid.errorFields()).containsExactly("lines[0].item_id");
    }

    // --- update ---

    @Test
    void patchIs200AndChangesOnlyTheSentFields() {
        Res r =
                call("PATCH", "/v1/purchase-orders/" + PO_A1_2)
                        .token(TOKEN_A1)
                        .json("{'status':'approved','notes':'ok'}")
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode po = r.json();
        assertThat(po.path("id").asText()).isEqualTo(PO_A1_2);
        assertThat(po.path("status").asText()).isEqualTo("approved");
        assertThat(po.path("notes").asText()).isEqualTo("ok");
        assertThat(po.path("number").asText()).isEqualTo("PO-2");
        assertThat(records.updates).hasValue(1);
    }

    @Test
    void patchNeedsNoRequiredFields() {
        Res r =
                call("PATCH", "/v1/purchase-orders/" + PO_A1_2)
                        .token(TOKEN_A1)
                        .json("{'notes':'only this'}")
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
    }

    @Test
    void patchOfAnUnknownOrForeignRecordIs404() {
        for (String id : List.of("po_nothere", PO_A2_1, PO_B1_1)) {
            Res r =
                    call("PATCH", "/v1/purchase-orders/" + id)
                            .token(TOKEN_A1)
                            .json("{'notes':'x'}")
                            .send();
            assertThat(r.status()).as(id).isEqualTo(404);
            assertThat(r.code()).isEqualTo("not_found");
        }
        assertThat(records.updates).hasValue(0);
    }

    @Test
    void patchWithBadFieldsIs422() {
        Res r =
                call("PATCH", "/v1/purchase-orders/" + PO_A1_1)
                        .token(TOKEN_A1)
                        .json("{'notes':7,'remote_status':'X','lines':[{'quantity':'-1'}]}")
                        .send();
        expect422(r, "notes");
        assertThat(r.errorFields()).contains("notes", "remote_status");
        assertThat(r.errorFields()).anyMatch(f -> f.startsWith("lines[0]"));
        assertThat(records.updates).hasValue(0);
    }

    @Test
    void patchWithMalformedJsonOrTextIs4xx() {
        expect422(
                call("PATCH", "/v1/purchase-orders/" + PO_A1_1)
                        .token(TOKEN_A1)
                        .body("{notes:")
                        .send(),
                null);
        Res text =
                call("PATCH", "/v1/purchase-orders/" + PO_A1_1)
                        .token(TOKEN_A1)
                        .contentType("text/plain")
                        .body("notes=x")
                        .send();
        assertThat(text.status()).isEqualTo(415);
        assertThat(text.code()).isEqualTo("unsupported_media_type");
    }

    // --- delete ---

    @Test
    void deleteIs204WithoutABody() {
        Res r = call("DELETE", "/v1/purchase-orders/" + PO_A1_3).token(TOKEN_A1).send();
        assertThat(r.status()).as("%s", r).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(records.deletes).hasValue(1);
        Res after = get("/v1/purchase-orders/" + PO_A1_3).token(TOKEN_A1).send();
        assertThat(after.json().path("deleted_at").isTextual()).isTrue();
    }

    @Test
    void deleteOfAnUnknownOrForeignRecordIs404() {
        for (String id : List.of("po_nothere", PO_A2_1, PO_B1_1)) {
            Res r = call("DELETE", "/v1/purchase-orders/" + id).token(TOKEN_A1).send();
            assertThat(r.status()).as(id).isEqualTo(404);
            assertThat(r.code()).isEqualTo("not_found");
        }
        assertThat(records.deletes).hasValue(0);
    }

    @Test
    void capabilitiesAreCheckedPerOperation() {
        // acme-cmms can list, get, create and update work orders, but not delete them
        Res patch =
                call("PATCH", "/v1/work-orders/" + Fakes.WO_B2_1)
                        .token(Fakes.TOKEN_B2)
                        .json("{'status':'in_progress'}")
                        .send();
        assertThat(patch.status()).isEqualTo(200);
        Res delete =
                call("DELETE", "/v1/work-orders/" + Fakes.WO_B2_1).token(Fakes.TOKEN_B2).send();
        assertThat(delete.status()).isEqualTo(422);
        assertThat(delete.code()).isEqualTo("operation_not_supported");
        assertThat(records.deletes).hasValue(0);
        // and it maps no purchase orders at all
        Res list = get("/v1/purchase-orders").token(Fakes.TOKEN_B2).send();
        assertThat(list.status()).isEqualTo(422);
        assertThat(list.code()).isEqualTo("operation_not_supported");
    }

    // --- Idempotency-Key ---

    @Test
    void aRepeatedCreateWithTheSameKeyIsReplayed() {
        Res first =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .header("Idempotency-Key", "order-2026-0001")
                        .json(PO)
                        .send();
        assertThat(first.status()).isEqualTo(201);
        assertThat(first.header("Idempotent-Replayed")).isNull();

        Res second =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .header("Idempotency-Key", "order-2026-0001")
                        .json(PO)
                        .send();
        assertThat(second.status()).isEqualTo(201);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(second.header("Location")).isEqualTo(first.header("Location"));
        assertThat(second.header("Content-Type")).startsWith("application/json");
        assertThat(second.requestId()).isNotEqualTo(first.requestId());
        assertThat(records.creates).as("the source is called once").hasValue(1);
    }

    @Test
    void aRepeatedPatchWithTheSameKeyIsReplayed() {
        Call patch =
                call("PATCH", "/v1/purchase-orders/" + PO_A1_2)
                        .token(TOKEN_A1)
                        .header("Idempotency-Key", "patch-1")
                        .json("{'notes':'once'}");
        Res first = patch.send();
        Res second = patch.send();
        assertThat(first.status()).isEqualTo(200);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(second.json()).isEqualTo(first.json());
        assertThat(records.updates).hasValue(1);
    }

    @Test
    void theSameKeyWithADifferentBodyIsIdempotencyConflict() {
        post("/v1/purchase-orders").token(TOKEN_A1).header("Idempotency-Key", "k1").json(PO).send();
        Res r =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .header("Idempotency-Key", "k1")
                        .json(PO.replace("rush", "other"))
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(409);
        assertThat(r.code()).isEqualTo("idempotency_conflict");
        assertThat(records.creates).hasValue(1);
    }

    @Test
    void keysAreScopedToTheConnection() {
        post("/v1/purchase-orders").token(TOKEN_A1).header("Idempotency-Key", "k2").json(PO).send();
        Res other =
                post("/v1/purchase-orders")
                        .token(TOKEN_A2)
                        .header("Idempotency-Key", "k2")
                        .json(PO)
                        .send();
        assertThat(other.status()).isEqualTo(201);
        assertThat(other.header("Idempotent-Replayed")).isNull();
        assertThat(records.creates).hasValue(2);
    }

    @Test
    void aKeyOf255CharactersIsAcceptedAnd256Is422() {
        Res ok =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .header("Idempotency-Key", "k".repeat(255))
                        .json(PO)
                        .send();
        assertThat(ok.status()).isEqualTo(201);
        Res tooLong =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .header("Idempotency-Key", "k".repeat(256))
                        .json(PO)
                        .send();
        expect422(tooLong, "Idempotency-Key");
        assertThat(records.creates).hasValue(1);
    }

    @Test
    void anEmptyKeyIs422() {
        expect422(
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .header("Idempotency-Key", "")
                        .json(PO)
                        .send(),
                "Idempotency-Key");
        assertThat(records.creates).hasValue(0);
    }

    @Test
    void aKeyOfAFailedWriteIsReleased() {
        String body = PO.replace("rush", "source-down");
        Call c =
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .header("Idempotency-Key", "retry-me")
                        .json(body);
        assertThat(c.send().status()).isEqualTo(503);
        Res again = c.send();
        assertThat(again.status()).isEqualTo(503);
        assertThat(again.header("Idempotent-Replayed")).isNull();
        assertThat(records.creates).as("the retry reaches the source").hasValue(2);
        assertThat(idempotency.abandoned).hasSize(2);
    }

    @Test
    void writesWithoutAKeyAreNotDeduplicated() {
        assertThat(create(PO).status()).isEqualTo(201);
        assertThat(create(PO).status()).isEqualTo(201);
        assertThat(records.creates).hasValue(2);
        assertThat(idempotency.keys).isEmpty();
    }
}
