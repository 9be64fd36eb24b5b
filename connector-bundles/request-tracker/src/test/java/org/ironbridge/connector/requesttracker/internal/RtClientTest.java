package org.ironbridge.connector.requesttracker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.connector.testkit.ConnectorConformanceTest.expectKind;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLSession;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorException.Kind;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.SourceHttpClient;
import org.ironbridge.connector.testkit.TestContext;
import org.junit.jupiter.api.Test;

/**
 * Authentication and the failure signatures with scripted HTTP answers (the bodies as RT 5.0.3
 * sends them), plus a refused connection for real.
 */
class RtClientTest {
    private static final String COOKIE = "RT_SID_rt.example.test.8766=0123abcd";
    private static final String RT = "{\"Version\":\"5.0.3\",\"Plugins\":[]}";
    private static final Clock CLOCK =
            Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

    record Answer(int status, String body, Map<String, List<String>> headers) {}

    /** What the client sent: method, path, Authorization and Cookie headers. */
    record Sent(String method, String path, String authorization, String cookie) {}

    /** The Origin headers the client sent, in order (null where there was none). */
    static final List<String> origins = new ArrayList<>();

    static final class Scripted implements SourceHttpClient {
        final Deque<Answer> answers = new ArrayDeque<>();
        final List<Sent> sent = new ArrayList<>();

        Scripted then(int status, String body) {
            return then(status, body, Map.of());
        }

        Scripted then(int status, String body, Map<String, List<String>> headers) {
            answers.add(new Answer(status, body, headers));
            return this;
        }

        /** RT's login form answering with a session cookie. */
        Scripted login() {
            return then(
                    200,
                    "<html>RT at a glance</html>",
                    Map.of("Set-Cookie", List.of(COOKIE + "; path=/; HttpOnly")));
        }

        @Override
        public HttpResponse<byte[]> send(HttpRequest request) {
            sent.add(
                    new Sent(
                            request.method(),
                            request.uri().getRawPath(),
                            request.headers().firstValue("Authorization").orElse(null),
                            request.headers().firstValue("Cookie").orElse(null)));
            origins.add(request.headers().firstValue("Origin").orElse(null));
            return new Response(request, answers.removeFirst());
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

    private static RtClient client(Scripted http, String token) {
        return new RtClient(
                http,
                CLOCK,
                URI.create("http://rt.example.test/rt/"),
                token == null ? "root" : null,
                token == null ? "secret" : null,
                token);
    }

    @Test
    void logsInOnceThroughTheFormAndSendsTheSessionCookie() throws Exception {
        Scripted http = new Scripted().login().then(200, RT).then(200, RT).then(200, "{\"id\":3}");
        RtClient c = client(http, null);
        c.verify();
        assertThat(c.get("queue/3").get("id").asInt()).isEqualTo(3);
        assertThat(http.sent.get(0))
                .isEqualTo(new Sent("POST", "/rt/NoAuth/Login.html", null, null));
        assertThat(http.sent.subList(1, 4))
                .allSatisfy(
                        s -> {
                            assertThat(s.cookie()).isEqualTo(COOKIE);
                            assertThat(s.authorization()).isNull();
                        });
        assertThat(http.sent.get(3).path()).isEqualTo("/rt/REST/2.0/queue/3");
    }

    @Test
    void logsInAgainWhenTheSessionEnds() throws Exception {
        Scripted http =
                new Scripted()
                        .login()
                        .then(200, RT)
                        .then(
                                302,
                                "") // the session expired: RT redirects a cookie to its login page
                        .login()
                        .then(200, RT)
                        .then(200, "{\"id\":3}");
        assertThat(client(http, null).get("queue/3").get("id").asInt()).isEqualTo(3);
        assertThat(http.sent).hasSize(6);
        assertThat(http.sent.get(3).path()).isEqualTo("/rt/NoAuth/Login.html");
    }

    @Test
    void unsafeCallsOnTheSessionCookieSendRtsOrigin() throws Exception {
        origins.clear();
        Scripted http = new Scripted().login().then(200, RT).then(201, "{\"id\":7}");
        RtClient c = client(http, null);
        c.post("queue", RtClient.MAPPER.createObjectNode().put("Name", "q"));
        assertThat(http.sent.get(2))
                .isEqualTo(new Sent("POST", "/rt/REST/2.0/queue", null, COOKIE));
        assertThat(origins.get(2)).isEqualTo("http://rt.example.test");
        assertThat(origins.get(1)).as("a GET sends no Origin").isNull();
    }

    @Test
    void aCsrfRefusalOfTheCookieIsSentAgainWithBasicAuth() throws Exception {
        // RT behind a proxy: its WebBaseURL is not the address we were given, so it does not trust
        // our Origin for a cookie; Basic authentication is never checked for CSRF
        String refused =
                "{\"message\":\"Cross-site request forgery protection refused this request\"}";
        Scripted http =
                new Scripted()
                        .login()
                        .then(200, RT)
                        .then(403, refused)
                        .then(201, "{\"id\":7}")
                        .then(200, "{\"id\":7}")
                        .then(201, "{\"id\":8}");
        RtClient c = client(http, null);
        assertThat(c.post("queue", RtClient.MAPPER.createObjectNode()).get("id").asInt())
                .isEqualTo(7);
        assertThat(http.sent.get(3).authorization()).startsWith("Basic ");
        assertThat(http.sent.get(3).cookie()).isNull();
        // reads keep the cheap cookie; later writes go with Basic at once
        c.get("queue/7");
        assertThat(http.sent.get(4).cookie()).isEqualTo(COOKIE);
        c.post("queue", RtClient.MAPPER.createObjectNode());
        assertThat(http.sent.get(5).authorization()).startsWith("Basic ");
        assertThat(http.sent).hasSize(6);
    }

    @Test
    void fallsBackToBasicAuthWhenTheFormGivesNoSession() throws Exception {
        // wrong password: RT's form sets an anonymous session cookie that REST2 redirects
        Scripted http =
                new Scripted().login().then(302, "").then(401, "{\"message\":\"Unauthorized\"}");
        ConnectorException e = expectKind(Kind.CREDENTIALS_REJECTED, client(http, null)::verify);
        assertThat(e.getMessage()).contains("root").doesNotContain("secret");
        Sent basic = http.sent.get(2);
        assertThat(basic.authorization()).startsWith("Basic ");
        assertThat(basic.cookie()).isNull();
    }

    @Test
    void aRejectionAfterConnectingIsReauthorizationRequired() throws Exception {
        Scripted http =
                new Scripted()
                        .then(200, "<html>login</html>") // no cookie at all (external auth)
                        .then(401, "{\"message\":\"Unauthorized\"}");
        expectKind(Kind.REAUTHORIZATION_REQUIRED, () -> client(http, null).get("ticket/1"));
    }

    @Test
    void anAuthTokenGoesInTheAuthorizationHeader() throws Exception {
        Scripted http = new Scripted().then(200, RT).then(401, "{\"message\":\"Unauthorized\"}");
        RtClient c = client(http, "1-14-abcdef");
        c.verify();
        assertThat(http.sent.get(0).authorization()).isEqualTo("token 1-14-abcdef");
        ConnectorException e = expectKind(Kind.REAUTHORIZATION_REQUIRED, () -> c.get("rt"));
        assertThat(e.getMessage()).contains("token").doesNotContain("abcdef");
    }

    @Test
    void failuresMapToTheirKindsWithRtsMessage() throws Exception {
        Scripted http = new Scripted().then(200, "no cookie");
        RtClient c = client(http, null);
        http.then(403, "{\"message\":\"No permission to create tickets in the queue 'X'\"}");
        assertThat(
                        expectKind(Kind.PERMISSION_DENIED, () -> c.post("ticket", RtServer.json()))
                                .getMessage())
                .contains("No permission to create tickets");
        http.then(404, "{\"message\":\"Not Found\"}");
        expectKind(Kind.NOT_FOUND, () -> c.get("ticket/99"));
        http.then(
                400,
                "{\"message\":\"Status 'bogus' isn't a valid status for tickets in this queue.\"}");
        assertThat(
                        expectKind(Kind.VALIDATION_FAILED, () -> c.post("ticket", RtServer.json()))
                                .getMessage())
                .contains("isn't a valid status");
        http.then(500, "<h1>Internal Server Error</h1>");
        expectKind(Kind.SOURCE_UNAVAILABLE, () -> c.get("rt"));
        http.then(503, "Service Unavailable");
        expectKind(Kind.SOURCE_UNAVAILABLE, () -> c.get("rt"));
        http.then(200, "<html>not json</html>");
        expectKind(Kind.SOURCE_ERROR, () -> c.get("rt"));
        http.then(404, "{\"message\":\"Not Found\"}");
        assertThat(c.find("asset/99")).isEmpty();
    }

    @Test
    void throttlingIsRateLimitedWithTheSourcesRetryAfter() throws Exception {
        Scripted http = new Scripted().then(200, "no cookie");
        RtClient c = client(http, null);
        http.then(429, "", Map.of("Retry-After", List.of("7")));
        assertThat(expectKind(Kind.RATE_LIMITED, () -> c.get("rt")).retryAfter())
                .contains(Duration.ofSeconds(7));
        http.then(503, "", Map.of("Retry-After", List.of("Sun, 22 Nov 2026 10:02:00 GMT")));
        assertThat(expectKind(Kind.RATE_LIMITED, () -> c.get("rt")).retryAfter())
                .contains(Duration.ofMinutes(2));
        http.then(429, "");
        assertThat(expectKind(Kind.RATE_LIMITED, () -> c.get("rt")).retryAfter())
                .contains(RtClient.DEFAULT_RETRY_AFTER);
    }

    @Test
    void noRtAtTheAddressIsAValidationFailureOfTheUrl() throws Exception {
        Scripted http = new Scripted().then(200, "no cookie").then(404, "<h1>Not Found</h1>");
        ConnectorException e = expectKind(Kind.VALIDATION_FAILED, client(http, null)::verify);
        assertThat(e.fieldErrors()).extracting(f -> f.field()).containsExactly("credentials.url");
    }

    @Test
    void aRefusedConnectionIsSourceUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        var session =
                new RtConnectorFactory()
                        .open(
                                Credentials.of(
                                        Map.of(
                                                "url", "http://127.0.0.1:" + port + "/",
                                                "username", "root",
                                                "password", "x")),
                                TestContext.create("refused"));
        expectKind(Kind.SOURCE_UNAVAILABLE, session::verify);
    }

    @Test
    void openChecksTheCredentialFields() {
        RtConnectorFactory f = new RtConnectorFactory();
        ConnectorException e =
                expectKind(
                        Kind.VALIDATION_FAILED,
                        () ->
                                f.open(
                                        Credentials.of(
                                                Map.of("url", "http://rt/", "username", "root")),
                                        TestContext.create("x")));
        assertThat(e.fieldErrors())
                .extracting(x -> x.field())
                .containsExactly("credentials.password");
        expectKind(
                Kind.VALIDATION_FAILED,
                () ->
                        f.open(
                                Credentials.of(Map.of("url", "ftp://rt/", "token", "t")),
                                TestContext.create("x")));
    }

    @Test
    void aPastedRest2AddressIsAccepted() throws Exception {
        assertThat(RtConnectorFactory.base("https://rt.example.com/rt/REST/2.0/"))
                .isEqualTo(URI.create("https://rt.example.com/rt/"));
        assertThat(RtConnectorFactory.base("https://rt.example.com"))
                .isEqualTo(URI.create("https://rt.example.com/"));
    }

    @Test
    void ticketSqlLiteralsAreEscaped() {
        assertThat(RtSession.quote("O'Brien's \\ queue")).isEqualTo("'O\\'Brien\\'s \\\\ queue'");
    }
}
