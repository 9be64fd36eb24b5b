package org.ironbridge.connector.tryton.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorException.Kind;
import org.ironbridge.api.connector.SourceHttpClient;
import org.ironbridge.connector.testkit.ConnectorConformanceTest;
import org.junit.jupiter.api.Test;

/** The protocol's failure signatures, with scripted HTTP answers (as recorded from Tryton 6.0). */
class TrytonClientTest {
    private static final String LOGIN = "{\"id\":1,\"result\":[1,\"" + "a".repeat(64) + "\"]}";
    private static final String PREFS = "{\"id\":2,\"result\":{\"company\":1,\"language\":\"en\"}}";
    private static final String HTML_401 = "<h1>Unauthorized</h1>";

    record Answer(int status, String body, Map<String, List<String>> headers) {}

    static final class Scripted implements SourceHttpClient {
        final Deque<Answer> answers = new ArrayDeque<>();
        final List<String> requests = new ArrayList<>();

        Scripted then(int status, String body) {
            answers.add(new Answer(status, body, Map.of()));
            return this;
        }

        Scripted then(int status, String body, Map<String, List<String>> headers) {
            answers.add(new Answer(status, body, headers));
            return this;
        }

        @Override
        public HttpResponse<byte[]> send(HttpRequest request) {
            requests.add(request.headers().firstValue("Authorization").orElse("-"));
            Answer a = answers.removeFirst();
            return new Response(request, a);
        }
    }

    record Response(HttpRequest request, Answer a) implements HttpResponse<byte[]> {
        public int statusCode() {
            return a.status();
        }

        public Optional<HttpResponse<byte[]>> previousResponse() {
            return Optional.empty();
        }

        public HttpHeaders headers() {
            return HttpHeaders.of(a.headers(), (x, y) -> true);
        }

        public byte[] body() {
            return a.body().getBytes(StandardCharsets.UTF_8);
        }

        public Optional<SSLSession> sslSession() {
            return Optional.empty();
        }

        public URI uri() {
            return request.uri();
        }

        public HttpClient.Version version() {
            return HttpClient.Version.HTTP_1_1;
        }
    }

    private static TrytonClient client(Scripted http) {
        return new TrytonClient(http, URI.create("http://erp.test/"), "erp", "admin", "pw");
    }

    @Test
    void expiredSessionLogsInAgainOnce() throws Exception {
        Scripted http =
                new Scripted()
                        .then(200, LOGIN)
                        .then(200, PREFS)
                        .then(401, HTML_401)
                        .then(200, LOGIN)
                        .then(200, PREFS)
                        .then(200, "{\"id\":5,\"result\":[1,2]}");
        TrytonClient c = client(http);
        c.login();
        assertThat(c.call("model.party.party.search", c.params(List.of(), 0, null, null)))
                .hasSize(2);
        assertThat(http.requests.get(2)).startsWith("Session ");
    }

    @Test
    void wrongPasswordIsCredentialsRejected() {
        TrytonClient c = client(new Scripted().then(401, HTML_401));
        ConnectorException e =
                ConnectorConformanceTest.expectKind(Kind.CREDENTIALS_REJECTED, c::login);
        assertThat(e.getMessage()).contains("admin");
    }

    @Test
    void throttledLoginIsRateLimitedWithRetryAfter() {
        ConnectorException e =
                ConnectorConformanceTest.expectKind(
                        Kind.RATE_LIMITED,
                        client(new Scripted().then(429, "Too Many Requests"))::login);
        assertThat(e.retryAfter()).contains(TrytonClient.DEFAULT_RETRY_AFTER);
        ConnectorException withHeader =
                ConnectorConformanceTest.expectKind(
                        Kind.RATE_LIMITED,
                        client(new Scripted().then(429, "", Map.of("Retry-After", List.of("17"))))
                                ::login);
        assertThat(withHeader.retryAfter()).contains(Duration.ofSeconds(17));
    }

    @Test
    void serverErrorsAreSourceUnavailableAndForbiddenIsPermissionDenied() {
        ConnectorConformanceTest.expectKind(
                Kind.SOURCE_UNAVAILABLE, client(new Scripted().then(502, "bad gateway"))::login);
        ConnectorConformanceTest.expectKind(
                Kind.PERMISSION_DENIED, client(new Scripted().then(403, "forbidden"))::login);
    }

    @Test
    void jsonRpcErrorsMapToKinds() throws Exception {
        var m = TrytonValues.MAPPER;
        assertThat(
                        TrytonClient.mapError(
                                        "x",
                                        m.readTree(
                                                "[\"UserError\",[\"To delete purchase \\\"1\\\" you must cancel it.\",\"\",null]]"))
                                .kind())
                .isEqualTo(Kind.VALIDATION_FAILED);
        assertThat(
                        TrytonClient.mapError(
                                        "x",
                                        m.readTree(
                                                "[\"ConcurrencyException\",\"Records were modified in the meanwhile\"]"))
                                .kind())
                .isEqualTo(Kind.CONFLICT);
        assertThat(
                        TrytonClient.mapError(
                                        "x",
                                        m.readTree(
                                                "[\"UserError\",[\"You are not allowed to access \\\"User\\\".\",\"\",null]]"))
                                .kind())
                .isEqualTo(Kind.PERMISSION_DENIED);
        assertThat(TrytonClient.mapError("x", m.readTree("[\"'no.such'\",\"\"]")).kind())
                .isEqualTo(Kind.SOURCE_ERROR);
    }
}
