package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.FakeWebhookService.DEL_A1_FAILED;
import static org.ironbridge.rest.internal.FakeWebhookService.DEL_A1_OK;
import static org.ironbridge.rest.internal.FakeWebhookService.DEL_B1;
import static org.ironbridge.rest.internal.FakeWebhookService.WH_A1;
import static org.ironbridge.rest.internal.FakeWebhookService.WH_B1;
import static org.ironbridge.rest.internal.Fakes.KEY_A;
import static org.ironbridge.rest.internal.Fakes.KEY_B;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The webhook endpoints of the admin API (API.md, "Admin API" and "Webhooks"). */
class WebhooksContractTest extends ApiTestBase {
    private static final String CREATE =
            "{'url':'https://example.com/hooks','events':['connection.created','record.updated'],"
                    + "'description':'crm sync'}";

    @Test
    void createReturnsTheWebhookAndItsSecretOnce() {
        Res r = post("/v1/admin/webhooks").token(KEY_A).json(CREATE).send();
        assertThat(r.status()).as("%s", r).isEqualTo(201);
        JsonNode body = r.json();
        String id = body.path("webhook").path("id").asText();
        assertThat(r.header("Location")).endsWith("/v1/admin/webhooks/" + id);
        assertThat(body.path("secret").asText()).startsWith("whsec_");
        JsonNode hook = body.path("webhook");
        assertThat(hook.path("url").asText()).isEqualTo("https://example.com/hooks");
        assertThat(hook.path("events").toString())
                .isEqualTo("[\"connection.created\",\"record.updated\"]");
        assertThat(hook.path("description").asText()).isEqualTo("crm sync");
        assertThat(hook.path("enabled").asBoolean()).isTrue();
        assertThat(hook.path("created_at").asText()).endsWith("Z");
        assertThat(hook.has("secret")).isFalse();
        assertThat(webhooks.created).hasSize(1);

        // never again
        Res get = get("/v1/admin/webhooks/" + id).token(KEY_A).send();
        assertThat(get.status()).isEqualTo(200);
        assertThat(get.body()).doesNotContain("whsec_").doesNotContain("secret");
        Res list = get("/v1/admin/webhooks").token(KEY_A).send();
        assertThat(list.body()).doesNotContain("whsec_");
    }

    @Test
    void createChecksTheUrlAndTheEventNames() {
        Res r =
                post("/v1/admin/webhooks")
                        .token(KEY_A)
                        .json("{'url':'ftp://example.com','events':['connection.created','nope']}")
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(422);
        assertThat(r.code()).isEqualTo("validation_failed");
        assertThat(r.errorFields()).containsExactly("url", "events[1]");

        Res empty =
                post("/v1/admin/webhooks").token(KEY_A).json("{'url':'https://x.example'}").send();
        assertThat(empty.status()).isEqualTo(422);
        assertThat(empty.errorFields()).containsExactly("events");

        Res unknownField =
                post("/v1/admin/webhooks")
                        .token(KEY_A)
                        .json("{'url':'https://x.example','events':['sync.failed'],'secret':'x'}")
                        .send();
        assertThat(unknownField.status()).isEqualTo(422);
        assertThat(unknownField.errorFields()).containsExactly("secret");

        Res noBody = post("/v1/admin/webhooks").token(KEY_A).body("").send();
        assertThat(noBody.status()).isEqualTo(422);
        Res malformed = post("/v1/admin/webhooks").token(KEY_A).body("{").send();
        assertThat(malformed.status()).isEqualTo(422);
        Res text =
                post("/v1/admin/webhooks").token(KEY_A).contentType("text/plain").body("x").send();
        assertThat(text.status()).isEqualTo(415);
        assertThat(webhooks.created).isEmpty();
    }

    @Test
    void everyWebhookEndpointNeedsAnAdminKey() {
        List<Res> all = new ArrayList<>();
        all.add(get("/v1/admin/webhooks").send());
        all.add(post("/v1/admin/webhooks").json(CREATE).send());
        all.add(get("/v1/admin/webhooks/" + WH_A1).token(Fakes.TOKEN_A1).send());
        all.add(call("PATCH", "/v1/admin/webhooks/" + WH_A1).json("{'enabled':false}").send());
        all.add(call("DELETE", "/v1/admin/webhooks/" + WH_A1).token(Fakes.KEY_UNKNOWN).send());
        all.add(get("/v1/admin/webhooks/" + WH_A1 + "/deliveries").send());
        all.add(post("/v1/admin/webhook-deliveries/" + DEL_A1_OK + "/replay").send());
        assertThat(all).extracting(Res::status).containsOnly(401);
        assertThat(all.get(2).code()).isEqualTo("token_invalid");
        assertThat(webhooks.webhooks).containsKey(WH_A1);
    }

    @Test
    void listIsNewestFirstPagedAndScopedToTheOrganization() {
        for (int i = 0; i < 3; i++) {
            assertThat(post("/v1/admin/webhooks").token(KEY_A).json(CREATE).send().status())
                    .isEqualTo(201);
        }
        Res first = get("/v1/admin/webhooks").token(KEY_A).query("page_size", 2).send();
        assertThat(first.status()).as("%s", first).isEqualTo(200);
        assertThat(first.json().path("data")).hasSize(2);
        String cursor = first.json().path("next_cursor").asText();
        Res rest =
                get("/v1/admin/webhooks")
                        .token(KEY_A)
                        .query("page_size", 2)
                        .query("cursor", cursor)
                        .send();
        assertThat(rest.json().path("data")).hasSize(2);
        assertThat(rest.json().path("data").get(1).path("id").asText()).isEqualTo(WH_A1);
        assertThat(rest.json().path("next_cursor").isNull()).isTrue();
        assertThat(first.body() + rest.body()).doesNotContain(WH_B1);

        Res b = get("/v1/admin/webhooks").token(KEY_B).send();
        assertThat(b.json().path("data")).hasSize(1);
        assertThat(b.json().path("data").get(0).path("id").asText()).isEqualTo(WH_B1);

        assertThat(get("/v1/admin/webhooks").token(KEY_A).query("page_size", 0).send().status())
                .isEqualTo(422);
        Res badCursor = get("/v1/admin/webhooks").token(KEY_A).query("cursor", "zz").send();
        assertThat(badCursor.status()).isEqualTo(422);
        assertThat(badCursor.errorFields()).containsExactly("cursor");
    }

    @Test
    void anotherOrganizationsWebhooksAndDeliveriesAreNotFound() {
        List<Res> all = new ArrayList<>();
        all.add(get("/v1/admin/webhooks/" + WH_B1).token(KEY_A).send());
        all.add(
                call("PATCH", "/v1/admin/webhooks/" + WH_B1)
                        .token(KEY_A)
                        .json("{'enabled':false}")
                        .send());
        all.add(call("DELETE", "/v1/admin/webhooks/" + WH_B1).token(KEY_A).send());
        all.add(get("/v1/admin/webhooks/" + WH_B1 + "/deliveries").token(KEY_A).send());
        all.add(post("/v1/admin/webhook-deliveries/" + DEL_B1 + "/replay").token(KEY_A).send());
        all.add(get("/v1/admin/webhooks/wh_unknown").token(KEY_A).send());
        all.add(post("/v1/admin/webhook-deliveries/whd_unknown/replay").token(KEY_A).send());
        assertThat(all).extracting(Res::status).containsOnly(404);
        assertThat(all).extracting(Res::code).containsOnly("not_found");
        assertThat(all).allSatisfy(r -> assertThat(r.body()).doesNotContain("b.example.com"));
        // nothing changed for org B
        assertThat(webhooks.webhooks).containsKey(WH_B1);
        assertThat(webhooks.findWebhook(Fakes.ORG_B, WH_B1).orElseThrow().enabled()).isTrue();
        assertThat(webhooks.changes).isEmpty();
    }

    @Test
    void patchChangesOnlyTheFieldsSent() {
        Res r =
                call("PATCH", "/v1/admin/webhooks/" + WH_A1)
                        .token(KEY_A)
                        .json("{'enabled':false,'events':['sync.failed']}")
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        assertThat(r.json().path("enabled").asBoolean()).isFalse();
        assertThat(r.json().path("events").toString()).isEqualTo("[\"sync.failed\"]");
        assertThat(r.json().path("url").asText()).isEqualTo("https://hooks.example.com/ironbridge");
        assertThat(r.json().path("description").asText()).isEqualTo("ops alerts");

        Res bad =
                call("PATCH", "/v1/admin/webhooks/" + WH_A1)
                        .token(KEY_A)
                        .json("{'url':'javascript:alert(1)'}")
                        .send();
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.errorFields()).containsExactly("url");
        Res unknown =
                call("PATCH", "/v1/admin/webhooks/" + WH_A1)
                        .token(KEY_A)
                        .json("{'active':true}")
                        .send();
        assertThat(unknown.status()).isEqualTo(422);
        assertThat(unknown.errorFields()).containsExactly("active");
    }

    @Test
    void deleteIs204ThenNotFound() {
        Res r = call("DELETE", "/v1/admin/webhooks/" + WH_A1).token(KEY_A).send();
        assertThat(r.status()).as("%s", r).isEqualTo(204);
        assertThat(r.body()).isEmpty();
        assertThat(call("DELETE", "/v1/admin/webhooks/" + WH_A1).token(KEY_A).send().status())
                .isEqualTo(404);
        assertThat(get("/v1/admin/webhooks/" + WH_A1 + "/deliveries").token(KEY_A).send().status())
                .isEqualTo(404);
    }

    @Test
    void deliveriesListAttemptsWithStatusCodesLatencyAndNextRetry() {
        Res r = get("/v1/admin/webhooks/" + WH_A1 + "/deliveries").token(KEY_A).send();
        assertThat(r.status()).as("%s", r).isEqualTo(200);
        JsonNode data = r.json().path("data");
        assertThat(data).hasSize(2);
        assertThat(data.get(0).path("id").asText()).isEqualTo(DEL_A1_FAILED);
        JsonNode ok = data.get(1);
        assertThat(ok.path("id").asText()).isEqualTo(DEL_A1_OK);
        assertThat(ok.path("webhook_id").asText()).isEqualTo(WH_A1);
        assertThat(ok.path("event_id").asText()).isEqualTo("evt_a1ok");
        assertThat(ok.path("event_type").asText()).isEqualTo("sync.failed");
        assertThat(ok.path("status").asText()).isEqualTo("succeeded");
        assertThat(ok.path("attempt_count").asInt()).isEqualTo(3);
        assertThat(ok.path("next_attempt_at").isNull()).isTrue();
        JsonNode attempts = ok.path("attempts");
        assertThat(attempts).hasSize(3);
        assertThat(attempts.get(0).path("number").asInt()).isEqualTo(1);
        assertThat(attempts.get(0).path("status_code").asInt()).isEqualTo(500);
        assertThat(attempts.get(0).path("latency_ms").asInt()).isEqualTo(84);
        assertThat(attempts.get(0).path("next_attempt_at").asText()).endsWith("Z");
        assertThat(attempts.get(1).path("status_code").isNull()).isTrue();
        assertThat(attempts.get(1).path("error").asText()).isEqualTo("no answer within 10 s");
        assertThat(attempts.get(2).path("status_code").asInt()).isEqualTo(200);
        assertThat(attempts.get(2).path("error").isNull()).isTrue();

        Res page =
                get("/v1/admin/webhooks/" + WH_A1 + "/deliveries")
                        .token(KEY_A)
                        .query("page_size", 1)
                        .send();
        assertThat(page.json().path("data")).hasSize(1);
        assertThat(page.json().path("next_cursor").isTextual()).isTrue();
    }

    @Test
    void replayIs202WithTheNewDelivery() {
        Res r =
                post("/v1/admin/webhook-deliveries/" + DEL_A1_FAILED + "/replay")
                        .token(KEY_A)
                        .send();
        assertThat(r.status()).as("%s", r).isEqualTo(202);
        JsonNode d = r.json().path("delivery");
        assertThat(d.path("replay_of").asText()).isEqualTo(DEL_A1_FAILED);
        assertThat(d.path("event_id").asText()).isEqualTo("evt_a1failed");
        assertThat(d.path("status").asText()).isEqualTo("pending");
        assertThat(d.path("id").asText()).isNotEqualTo(DEL_A1_FAILED);
        // the body is optional and ignored
        Res withBody =
                post("/v1/admin/webhook-deliveries/" + DEL_A1_OK + "/replay")
                        .token(KEY_A)
                        .json("{}")
                        .send();
        assertThat(withBody.status()).isEqualTo(202);
    }

    @Test
    void withoutTheWebhookServiceTheEndpointsAre503() {
        services.webhooks = null;
        Res r = get("/v1/admin/webhooks").token(KEY_A).send();
        assertThat(r.status()).as("%s", r).isEqualTo(503);
        assertThat(r.code()).isEqualTo("service_unavailable");
        Res replay =
                post("/v1/admin/webhook-deliveries/" + DEL_A1_OK + "/replay").token(KEY_A).send();
        assertThat(replay.status()).isEqualTo(503);
    }

    @Test
    void theWebhookEndpointsAreDocumented() {
        JsonNode doc = get("/openapi.json").send().json();
        JsonNode paths = doc.path("paths");
        List<String> wrong = new ArrayList<>();
        for (String[] op :
                new String[][] {
                    {"/v1/admin/webhooks", "post", "201"},
                    {"/v1/admin/webhooks", "get", "200"},
                    {"/v1/admin/webhooks/{id}", "get", "200"},
                    {"/v1/admin/webhooks/{id}", "patch", "200"},
                    {"/v1/admin/webhooks/{id}", "delete", "204"},
                    {"/v1/admin/webhooks/{id}/deliveries", "get", "200"},
                    {"/v1/admin/webhook-deliveries/{id}/replay", "post", "202"}
                }) {
            JsonNode o = paths.path(op[0]).path(op[1]);
            String name = op[1] + " " + op[0];
            if (o.isMissingNode()) {
                wrong.add(name + ": missing");
                continue;
            }
            JsonNode responses = o.path("responses");
            if (!responses.has(op[2])) {
                wrong.add(name + ": no " + op[2]);
            }
            if (!responses.has("401")) {
                wrong.add(name + ": no 401");
            }
            if (op[0].contains("{id}") && !responses.has("404")) {
                wrong.add(name + ": no 404");
            }
            if (!o.path("security")
                    .toString()
                    .equals("[{\"adminKey\":[]},{\"consoleSession\":[]}]")) {
                wrong.add(name + ": security " + o.path("security"));
            }
            JsonNode content = responses.path(op[2]).path("content").path("application/json");
            if (!op[2].equals("204")
                    && content.path("example").isMissingNode()
                    && content.path("examples").isMissingNode()) {
                wrong.add(name + ": no example");
            }
        }
        assertThat(wrong).as("webhook operations in openapi.json").isEmpty();
        // the events and their signature are described
        assertThat(doc.path("components").path("schemas").path("WebhookEvent").isObject()).isTrue();
        assertThat(doc.toString()).contains("webhook-signature");
    }
}
