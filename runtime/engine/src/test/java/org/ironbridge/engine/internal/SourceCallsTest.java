package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.engine.SourceCall;
import org.ironbridge.engine.SourceCallLog;
import org.ironbridge.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Source calls made for an API request land in that request's log, without secrets; calls on other
 * threads (syncs) do not; all are counted in the metrics.
 */
class SourceCallsTest {
    private HttpServer server;
    private ObservedSourceHttpClient client;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext(
                "/",
                ex -> {
                    int status = ex.getRequestURI().getPath().startsWith("/missing") ? 404 : 200;
                    byte[] body = "{}".getBytes();
                    ex.sendResponseHeaders(status, body.length);
                    ex.getResponseBody().write(body);
                    ex.close();
                });
        server.start();
        client =
                new ObservedSourceHttpClient(
                        new JdkSourceHttpClient(
                                JdkSourceHttpClient.newSharedClient(),
                                Duration.ofSeconds(5),
                                LoggerFactory.getLogger(SourceCallsTest.class)),
                        "testsystem");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private URI uri(String pathAndQuery) {
        return URI.create(
                "http://admin:hunter2@127.0.0.1:" + server.getAddress().getPort() + pathAndQuery);
    }

    @Test
    void callsOfTheRequestThreadAreLoggedWithoutSecrets() throws Exception {
        SourceCallLog log = SourceCallLog.start();
        try {
            client.send(HttpRequest.newBuilder(uri("/orders?limit=5&api_key=abc")).build());
            client.send(
                    HttpRequest.newBuilder(uri("/missing"))
                            .POST(HttpRequest.BodyPublishers.ofString("{}"))
                            .build());
        } finally {
            log.stop();
        }
        List<SourceCall> calls = log.calls();
        int port = server.getAddress().getPort();
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).method()).isEqualTo("GET");
        assertThat(calls.get(0).url())
                .isEqualTo("http://127.0.0.1:" + port + "/orders?limit=5&api_key=[REDACTED]");
        assertThat(calls.get(0).status()).isEqualTo(200);
        assertThat(calls.get(0).durationMicros()).isPositive();
        assertThat(calls.get(1).method()).isEqualTo("POST");
        assertThat(calls.get(1).status()).isEqualTo(404);
        assertThat(SourceCallLog.active()).isFalse();

        // after the request: nothing more is collected
        client.send(HttpRequest.newBuilder(uri("/orders")).build());
        assertThat(log.calls()).hasSize(2);

        String metrics = Metrics.scrape();
        assertThat(metrics)
                .contains(
                        "ironbridge_source_calls_seconds_count{outcome=\"success\",system=\"testsystem\"}")
                .contains(
                        "ironbridge_source_calls_seconds_count{outcome=\"client_error\",system=\"testsystem\"} 1");
    }

    @Test
    void callsOnOtherThreadsAreNotAttributedToTheRequest() throws Exception {
        SourceCallLog log = SourceCallLog.start();
        try {
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread sync =
                    new Thread(
                            () -> {
                                try {
                                    client.send(HttpRequest.newBuilder(uri("/sync")).build());
                                } catch (Throwable t) {
                                    failure.set(t);
                                }
                            });
            sync.start();
            sync.join(10_000);
            assertThat(failure.get()).isNull();
            client.send(HttpRequest.newBuilder(uri("/live")).build());
        } finally {
            log.stop();
        }
        assertThat(log.calls())
                .extracting(SourceCall::url)
                .singleElement()
                .asString()
                .endsWith("/live");
    }

    @Test
    void anUnreachableSourceIsLoggedWithTheReason() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        SourceCallLog log = SourceCallLog.start();
        try {
            assertThatThrownBy(
                            () ->
                                    client.send(
                                            HttpRequest.newBuilder(
                                                            URI.create(
                                                                    "http://127.0.0.1:"
                                                                            + closedPort
                                                                            + "/x?token=ibt_AbCdEfGhIjKlMnOpQrStUvWxYz012345"))
                                                    .build()))
                    .isInstanceOf(ConnectorException.class);
        } finally {
            log.stop();
        }
        SourceCall call = log.calls().get(0);
        assertThat(call.status()).isNull();
        assertThat(call.error()).contains("cannot be reached");
        assertThat(call.url()).endsWith("/x?token=[REDACTED]");
        assertThat(Metrics.scrape())
                .contains(
                        "ironbridge_source_calls_seconds_count{outcome=\"unavailable\",system=\"testsystem\"}");
    }

    @Test
    void aRequestKeepsAtMostMaxCalls() {
        SourceCallLog log = SourceCallLog.start();
        try {
            for (int i = 0; i < SourceCallLog.MAX_CALLS + 3; i++) {
                SourceCallLog.record(new SourceCall(null, 1, "GET", "http://x/" + i, 200, null));
            }
        } finally {
            log.stop();
        }
        assertThat(log.calls()).hasSize(SourceCallLog.MAX_CALLS);
        assertThat(log.omitted()).isEqualTo(3);
    }
}
