package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.client.Entity;
import jakarta.ws.rs.client.Invocation;
import jakarta.ws.rs.client.WebTarget;
import jakarta.ws.rs.core.Application;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.glassfish.jersey.test.JerseyTest;
import org.glassfish.jersey.test.inmemory.InMemoryTestContainerFactory;
import org.glassfish.jersey.test.spi.TestContainerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * Runs the Jersey application of {@link RestComponent#application} in Jersey's in-memory container
 * with {@link Fakes} as the runtime services. Every response that passes through {@link
 * Call#send()} is checked against the rules that hold for all of the API: an {@code X-Request-Id},
 * no stack trace or exception name in the body, and errors as problem documents carrying the
 * request id.
 */
abstract class ApiTestBase {
    static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");

    Services services;
    Fakes.FakeAdminAuthenticator admins;
    Fakes.FakeConnectorRegistry connectors;
    Fakes.FakeConnectorInstaller installer;
    Fakes.FakeConnectionService connections;
    Fakes.FakeRecordService records;
    Fakes.FakeIdempotencyService idempotency;
    Fakes.FakeConnectionStats stats;
    Fakes.FakeDatabase database;
    FakeConsoleService consoles;
    FakeConnectSessionService connectSessions;
    FakeRequestLogService requestLogs;
    FakeWebhookService webhooks;
    private JerseyTest jersey;

    /** The body limit the application is built with. */
    long bodyLimit() {
        return RestComponent.DEFAULT_BODY_LIMIT;
    }

    @BeforeEach
    void startApplication() throws Exception {
        admins = new Fakes.FakeAdminAuthenticator();
        connectors = new Fakes.FakeConnectorRegistry();
        installer = new Fakes.FakeConnectorInstaller(connectors);
        connections = new Fakes.FakeConnectionService();
        records = new Fakes.FakeRecordService();
        connections.records = records;
        idempotency = new Fakes.FakeIdempotencyService();
        stats = new Fakes.FakeConnectionStats(connections);
        database = new Fakes.FakeDatabase();
        consoles = new FakeConsoleService();
        connectSessions = new FakeConnectSessionService(connections, connectors);
        webhooks = new FakeWebhookService();
        Services s = new Services();
        s.database = database;
        s.adminAuthenticator = admins;
        s.connectors = connectors;
        s.installer = installer;
        s.connections = connections;
        s.records = records;
        s.idempotency = idempotency;
        s.connectSessions = connectSessions;
        s.stats = stats;
        s.webhooks = webhooks;
        s.model = org.ironbridge.model.CanonicalModel.standard();
        s.console = consoles;
        requestLogs = new FakeRequestLogService();
        s.requestLogs = requestLogs;
        services = s;
        long limit = bodyLimit();
        jersey =
                new JerseyTest() {
                    @Override
                    protected Application configure() {
                        return RestComponent.application(s, limit);
                    }

                    @Override
                    protected TestContainerFactory getTestContainerFactory() {
                        return new InMemoryTestContainerFactory();
                    }
                };
        jersey.setUp();
    }

    @AfterEach
    void stopApplication() throws Exception {
        jersey.tearDown();
    }

    Call call(String method, String path) {
        return new Call(method, path);
    }

    Call get(String path) {
        return call("GET", path);
    }

    Call post(String path) {
        return call("POST", path);
    }

    /** Parses JSON written in tests with single quotes for readability. */
    static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    /** One request, built fluently. */
    final class Call {
        private final String method;
        private final String path;
        private final Map<String, List<Object>> query = new LinkedHashMap<>();
        private final Map<String, List<Object>> headers = new LinkedHashMap<>();
        private String body;
        private String contentType = MediaType.APPLICATION_JSON;

        Call(String method, String path) {
            this.method = method;
            this.path = path;
        }

        Call token(String token) {
            return header("Authorization", "Bearer " + token);
        }

        Call header(String name, Object value) {
            headers.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        Call query(String name, Object value) {
            query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            return this;
        }

        Call body(String body) {
            this.body = body;
            return this;
        }

        Call json(String singleQuoted) {
            return body(ApiTestBase.json(singleQuoted));
        }

        Call contentType(String contentType) {
            this.contentType = contentType;
            return this;
        }

        Res send() {
            WebTarget t = jersey.target().path(path);
            for (Map.Entry<String, List<Object>> q : query.entrySet()) {
                t = t.queryParam(q.getKey(), q.getValue().toArray());
            }
            Invocation.Builder b = t.request();
            headers.forEach((k, vs) -> vs.forEach(v -> b.header(k, v)));
            Response r =
                    body == null
                            ? b.method(method)
                            : b.method(method, Entity.entity(body, contentType));
            String text = r.hasEntity() ? r.readEntity(String.class) : "";
            Res res = new Res(r.getStatus(), r.getStringHeaders(), text);
            r.close();
            checkGeneralRules(res);
            return res;
        }
    }

    /** A response: status, headers and the body as text. */
    record Res(int status, MultivaluedMap<String, String> headers, String body) {
        JsonNode json() {
            try {
                return Fakes.JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        String header(String name) {
            List<String> v = headers.get(name);
            if (v == null) {
                for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                    if (e.getKey().equalsIgnoreCase(name)) {
                        v = e.getValue();
                    }
                }
            }
            return v == null || v.isEmpty() ? null : String.join(",", v);
        }

        String requestId() {
            return header("X-Request-Id");
        }

        String code() {
            return json().path("code").asText(null);
        }

        /** The {@code field} of each entry of {@code errors[]}. */
        List<String> errorFields() {
            List<String> out = new ArrayList<>();
            json().path("errors").forEach(e -> out.add(e.path("field").asText()));
            return out;
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /** The rules every response of the API follows. */
    static void checkGeneralRules(Res res) {
        assertThat(res.requestId()).as("X-Request-Id of %s", res).isNotNull().matches(REQUEST_ID);
        assertThat(res.body())
                .as("the body never shows an exception or a stack trace")
                .doesNotContain("Exception")
                .doesNotContain("at org.")
                .doesNotContain("at java.")
                .doesNotContain("at com.");
        if (res.status() >= 400) {
            assertThat(res.header("Content-Type"))
                    .as("content type of %s", res)
                    .startsWith(Problem.MEDIA_TYPE);
            JsonNode p = res.json();
            String code = p.path("code").asText("");
            assertThat(code).as("code of %s", res).matches("[a-z_]+");
            assertThat(p.path("status").asInt()).as("status in %s", res).isEqualTo(res.status());
            assertThat(p.path("type").asText())
                    .as("type of %s", res)
                    .isEqualTo("https://ironbridge.dev/errors/" + code);
            assertThat(p.path("title").asText()).as("title of %s", res).isNotBlank();
            assertThat(p.path("detail").asText()).as("detail of %s", res).isNotBlank();
            assertThat(p.path("request_id").asText())
                    .as("request_id of %s equals the X-Request-Id header", res)
                    .isEqualTo(res.requestId());
        }
        if (res.status() == 401) {
            assertThat(res.header("WWW-Authenticate")).as("WWW-Authenticate").startsWith("Bearer");
        }
    }
}
