package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.Fakes.KEY_A;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A1;

import org.junit.jupiter.api.Test;

/**
 * The HTTP API is up before the runtime services: a request that needs a missing service is 503
 * {@code service_unavailable}, never a 500 or a hang.
 */
class ServiceAvailabilityTest extends ApiTestBase {
    private static final String PO =
            "{'vendor_id':'ven_a1one','lines':[{'quantity':'2','unit_price':'10.00'}]}";

    private static void expect503(Res r) {
        assertThat(r.status()).as("%s", r).isEqualTo(503);
        assertThat(r.code()).as("%s", r).isEqualTo("service_unavailable");
    }

    @Test
    void withoutTheConnectionServiceTheDataAndAdminConnectionApisAre503() {
        services.connections = null;
        expect503(get("/v1/purchase-orders").token(TOKEN_A1).send());
        expect503(get("/v1/connection").token(TOKEN_A1).send());
        expect503(get("/v1/admin/connections").token(KEY_A).send());
        expect503(get("/v1/admin/connections/" + Fakes.CONN_A1).token(KEY_A).send());
        expect503(
                post("/v1/admin/connections")
                        .token(KEY_A)
                        .json("{'system':'acme-erp','customer_id':'c','credentials':{}}")
                        .send());
        // what needs no connection service still works
        assertThat(get("/v1/admin/connectors").token(KEY_A).send().status()).isEqualTo(200);
    }

    @Test
    void withoutTheRecordServiceTheCollectionsAre503() {
        services.records = null;
        expect503(get("/v1/purchase-orders").token(TOKEN_A1).send());
        expect503(get("/v1/purchase-orders/" + Fakes.PO_A1_1).token(TOKEN_A1).send());
        expect503(post("/v1/purchase-orders").token(TOKEN_A1).json(PO).send());
        expect503(
                call("PATCH", "/v1/purchase-orders/" + Fakes.PO_A1_1)
                        .token(TOKEN_A1)
                        .json("{'notes':'x'}")
                        .send());
        expect503(call("DELETE", "/v1/purchase-orders/" + Fakes.PO_A1_1).token(TOKEN_A1).send());
        expect503(
                post("/v1/passthrough").token(TOKEN_A1).json("{'method':'GET','path':'/'}").send());
        assertThat(get("/v1/connection").token(TOKEN_A1).send().status()).isEqualTo(200);
    }

    @Test
    void withoutTheAdminAuthenticatorTheAdminApiIs503() {
        services.adminAuthenticator = null;
        expect503(get("/v1/admin/connections").token(KEY_A).send());
        expect503(get("/v1/admin/connectors").token(KEY_A).send());
        // a request without a token is still told so
        Res none = get("/v1/admin/connections").send();
        assertThat(none.status()).isEqualTo(401);
        assertThat(none.code()).isEqualTo("token_missing");
    }

    @Test
    void withoutTheConnectorRegistryCapabilitiesAndConnectorsAre503() {
        services.connectors = null;
        expect503(get("/v1/capabilities").token(TOKEN_A1).send());
        expect503(get("/v1/admin/connectors").token(KEY_A).send());
        expect503(get("/v1/purchase-orders").token(TOKEN_A1).send());
    }

    @Test
    void withoutTheModelSchemasAndWritesAre503() {
        services.model = null;
        expect503(get("/v1/schemas").token(TOKEN_A1).send());
        expect503(get("/v1/schemas/purchase-orders").token(TOKEN_A1).send());
        expect503(post("/v1/purchase-orders").token(TOKEN_A1).json(PO).send());
        assertThat(records.creates).hasValue(0);
        assertThat(get("/v1/purchase-orders").token(TOKEN_A1).send().status()).isEqualTo(200);
    }

    @Test
    void withoutTheIdempotencyServiceOnlyKeyedWritesAre503() {
        services.idempotency = null;
        expect503(
                post("/v1/purchase-orders")
                        .token(TOKEN_A1)
                        .header("Idempotency-Key", "k")
                        .json(PO)
                        .send());
        assertThat(records.creates).hasValue(0);
        assertThat(post("/v1/purchase-orders").token(TOKEN_A1).json(PO).send().status())
                .isEqualTo(201);
    }

    @Test
    void servicesComingBackAreUsedAtOnce() {
        services.records = null;
        expect503(get("/v1/purchase-orders").token(TOKEN_A1).send());
        services.records = records;
        assertThat(get("/v1/purchase-orders").token(TOKEN_A1).send().status()).isEqualTo(200);
    }
}
