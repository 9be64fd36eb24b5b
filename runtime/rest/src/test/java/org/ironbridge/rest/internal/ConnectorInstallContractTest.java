package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Hot install and removal of connector bundles through {@code /v1/admin/connectors}. */
class ConnectorInstallContractTest extends ApiTestBase {
    private static final String BOUNDARY = "----ironbridge-test-boundary";

    private static String multipart(String field, String fileName, String content) {
        return "--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\""
                + field
                + "\"; filename=\""
                + fileName
                + "\"\r\nContent-Type: application/java-archive\r\n\r\n"
                + content
                + "\r\n--"
                + BOUNDARY
                + "--\r\n";
    }

    private Call upload(String field, String content) {
        return post("/v1/admin/connectors")
                .token(Fakes.KEY_A)
                .contentType("multipart/form-data; boundary=" + BOUNDARY)
                .body(multipart(field, "connector.jar", content));
    }

    @Test
    void uploadingAConnectorBundleInstallsItAndDescribesIt() {
        Res r = upload("bundle", "connector:acme-erp").send();
        assertThat(r.status()).isEqualTo(201);
        assertThat(r.header("Location")).endsWith("/v1/admin/connectors/acme-erp");
        assertThat(r.json().at("/data/0/system").asText()).isEqualTo("acme-erp");
        assertThat(r.json().at("/data/0/version").asText()).isEqualTo("2.0.1");
    }

    @Test
    void aJarThatIsNotAConnectorIs422WithTheReason() {
        Res r = upload("bundle", "just some bytes").send();
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().get("code").asText()).isEqualTo("validation_failed");
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("bundle");
        assertThat(r.json().at("/errors/0/message").asText()).contains("not an OSGi bundle");
    }

    @Test
    void aFormWithoutTheBundleFieldIs422() {
        Res r = upload("file", "connector:acme-erp").send();
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.json().at("/errors/0/field").asText()).isEqualTo("bundle");
    }

    @Test
    void aJsonBodyIs415() {
        Res r = post("/v1/admin/connectors").token(Fakes.KEY_A).json("{'bundle':'x'}").send();
        assertThat(r.status()).isEqualTo(415);
        assertThat(r.json().get("code").asText()).isEqualTo("unsupported_media_type");
    }

    @Test
    void uploadingNeedsAnAdminKey() {
        Res r =
                post("/v1/admin/connectors")
                        .contentType("multipart/form-data; boundary=" + BOUNDARY)
                        .body(multipart("bundle", "c.jar", "connector:acme-erp"))
                        .send();
        assertThat(r.status()).isEqualTo(401);
        assertThat(r.json().get("code").asText()).isEqualTo("token_missing");
    }

    @Test
    void bundlesMayBeLargerThanTheJsonBodyLimit() {
        String big = "connector:acme-erp" + " ".repeat((int) bodyLimit() + 10);
        Res r = upload("bundle", big).send();
        assertThat(r.status()).isEqualTo(201);
    }

    @Test
    void removingAConnectorUninstallsIt() {
        Res r = call("DELETE", "/v1/admin/connectors/acme-erp").token(Fakes.KEY_A).send();
        assertThat(r.status()).isEqualTo(204);
        assertThat(installer.uninstalled).containsExactly("acme-erp");
        assertThat(get("/v1/admin/connectors").token(Fakes.KEY_A).send().json().get("data"))
                .hasSize(1);
    }

    @Test
    void removingAnUnknownConnectorIs404() {
        Res r = call("DELETE", "/v1/admin/connectors/nope").token(Fakes.KEY_A).send();
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.json().get("code").asText()).isEqualTo("not_found");
    }
}
