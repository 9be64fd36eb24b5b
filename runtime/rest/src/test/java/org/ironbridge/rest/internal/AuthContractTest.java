package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.Fakes.KEY_A;
import static org.ironbridge.rest.internal.Fakes.KEY_UNKNOWN;
import static org.ironbridge.rest.internal.Fakes.SESSION_TOKEN;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A1;
import static org.ironbridge.rest.internal.Fakes.TOKEN_REVOKED;
import static org.ironbridge.rest.internal.Fakes.TOKEN_UNKNOWN;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The "Credentials" section of API.md: token_missing, token_invalid, token_revoked. */
class AuthContractTest extends ApiTestBase {

    /** An endpoint of each API and each resource class, all needing a token. */
    private static final String[] DATA_PATHS = {
        "/v1/purchase-orders",
        "/v1/purchase-orders/" + Fakes.PO_A1_1,
        "/v1/connection",
        "/v1/capabilities",
        "/v1/schemas",
        "/v1/schemas/purchase-orders"
    };

    private static final String[] ADMIN_PATHS = {
        "/v1/admin/connectors",
        "/v1/admin/connections",
        "/v1/admin/connections/" + Fakes.CONN_A1,
        "/v1/admin/connections/" + Fakes.CONN_A1 + "/syncs"
    };

    private void expect401(Res r, String code) {
        assertThat(r.status()).as("%s", r).isEqualTo(401);
        assertThat(r.code()).as("%s", r).isEqualTo(code);
    }

    // --- token_missing ---

    @ParameterizedTest
    @ValueSource(
            strings = {
                "/v1/purchase-orders",
                "/v1/purchase-orders/po_a1one",
                "/v1/connection",
                "/v1/capabilities",
                "/v1/schemas",
                "/v1/schemas/purchase-orders",
                "/v1/admin/connectors",
                "/v1/admin/connections",
                "/v1/admin/connections/con_a1",
                "/v1/admin/connections/con_a1/syncs"
            })
    void noAuthorizationHeaderIsTokenMissing(String path) {
        expect401(get(path).send(), "token_missing");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Basic dXNlcjpwYXNz",
                "Bearer ",
                "Bearer    ",
                "Bearer",
                "Token " + TOKEN_A1,
                TOKEN_A1,
                ""
            })
    void aMalformedAuthorizationHeaderIsTokenMissing(String header) {
        for (String path : DATA_PATHS) {
            expect401(get(path).header("Authorization", header).send(), "token_missing");
        }
        for (String path : ADMIN_PATHS) {
            expect401(get(path).header("Authorization", header).send(), "token_missing");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"bearer ", "BEARER "})
    void theBearerSchemeIsCaseInsensitive(String scheme) {
        Res r = get("/v1/connection").header("Authorization", scheme + TOKEN_A1).send();
        assertThat(r.status()).isEqualTo(200);
    }

    @Test
    void postsAreAuthenticatedToo() {
        expect401(post("/v1/purchase-orders").json("{}").send(), "token_missing");
        expect401(post("/v1/passthrough").json("{}").send(), "token_missing");
        expect401(post("/v1/admin/connections").json("{}").send(), "token_missing");
        expect401(
                call("PATCH", "/v1/purchase-orders/" + Fakes.PO_A1_1).json("{}").send(),
                "token_missing");
        expect401(call("DELETE", "/v1/purchase-orders/" + Fakes.PO_A1_1).send(), "token_missing");
        assertThat(records.creates).hasValue(0);
        assertThat(records.updates).hasValue(0);
        assertThat(records.deletes).hasValue(0);
        assertThat(connections.created).isEmpty();
    }

    // --- token_invalid ---

    @Test
    void anUnknownConnectionTokenIsTokenInvalid() {
        for (String path : DATA_PATHS) {
            expect401(get(path).token(TOKEN_UNKNOWN).send(), "token_invalid");
        }
    }

    @Test
    void anUnknownAdminKeyIsTokenInvalid() {
        for (String path : ADMIN_PATHS) {
            expect401(get(path).token(KEY_UNKNOWN).send(), "token_invalid");
        }
    }

    @Test
    void anAdminKeyOnTheDataApiIsTokenInvalid() {
        for (String path : DATA_PATHS) {
            expect401(get(path).token(KEY_A).send(), "token_invalid");
        }
        expect401(
                post("/v1/purchase-orders")
                        .token(KEY_A)
                        .json("{'vendor_id':'v','lines':[{'quantity':'1','unit_price':'1'}]}")
                        .send(),
                "token_invalid");
        assertThat(records.creates).hasValue(0);
    }

    @Test
    void aConnectionTokenOnTheAdminApiIsTokenInvalid() {
        for (String path : ADMIN_PATHS) {
            expect401(get(path).token(TOKEN_A1).send(), "token_invalid");
        }
    }

    @Test
    void aConnectSessionTokenIsTokenInvalidOnBothApis() {
        for (String path : DATA_PATHS) {
            expect401(get(path).token(SESSION_TOKEN).send(), "token_invalid");
        }
        for (String path : ADMIN_PATHS) {
            expect401(get(path).token(SESSION_TOKEN).send(), "token_invalid");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"ibt_short", "ibt_has-dash0000000000000000", "sk_live_abcdef", "x"})
    void malformedTokensAreTokenInvalid(String token) {
        expect401(get("/v1/connection").token(token).send(), "token_invalid");
        expect401(get("/v1/admin/connections").token(token).send(), "token_invalid");
    }

    // --- token_revoked ---

    @Test
    void theTokenOfADisconnectedConnectionIsTokenRevoked() {
        for (String path : DATA_PATHS) {
            expect401(get(path).token(TOKEN_REVOKED).send(), "token_revoked");
        }
    }

    @Test
    void authErrorsKeepTheClientRequestId() {
        Res r = get("/v1/connection").token(TOKEN_REVOKED).header("X-Request-Id", "rev-1").send();
        assertThat(r.requestId()).isEqualTo("rev-1");
        assertThat(r.json().path("request_id").asText()).isEqualTo("rev-1");
    }
}
