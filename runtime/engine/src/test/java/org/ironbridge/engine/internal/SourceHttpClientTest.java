package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.ironbridge.api.connector.ConnectorException;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SourceHttpClientTest {
    private static final JdkSourceHttpClient CLIENT =
            new JdkSourceHttpClient(
                    JdkSourceHttpClient.newSharedClient(),
                    Duration.ofMillis(500),
                    LoggerFactory.getLogger(SourceHttpClientTest.class));

    @Test
    void responsesOfAnyStatusAreReturned() throws Exception {
        try (ServerSocket server = new ServerSocket()) {
            server.bind(new InetSocketAddress("127.0.0.1", 0));
            Thread t =
                    new Thread(
                            () -> {
                                try (Socket s = server.accept()) {
                                    s.getInputStream().read(new byte[4096]);
                                    OutputStream out = s.getOutputStream();
                                    out.write(
                                            ("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 4\r\n"
                                                            + "Connection: close\r\n\r\nbusy")
                                                    .getBytes(StandardCharsets.US_ASCII));
                                    out.flush();
                                } catch (java.io.IOException ignored) {
                                    // the test fails on the client side
                                }
                            });
            t.start();
            var response =
                    CLIENT.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    "http://127.0.0.1:"
                                                            + server.getLocalPort()
                                                            + "/x"))
                                    .build());
            assertThat(response.statusCode()).isEqualTo(503);
            assertThat(new String(response.body(), StandardCharsets.US_ASCII)).isEqualTo("busy");
            t.join(5000);
        }
    }

    @Test
    void timeoutsAndRefusedConnectionsMeanTheSourceIsUnavailable() throws Exception {
        try (ServerSocket silent = new ServerSocket()) {
            silent.bind(new InetSocketAddress("127.0.0.1", 0));
            // accepted by the backlog, never answered: the request timeout applies
            HttpRequest slow =
                    HttpRequest.newBuilder(
                                    URI.create(
                                            "http://127.0.0.1:"
                                                    + silent.getLocalPort()
                                                    + "/slow?token=secret"))
                            .build();
            assertThatThrownBy(() -> CLIENT.send(slow))
                    .isInstanceOf(ConnectorException.class)
                    .satisfies(
                            e -> {
                                ConnectorException ce = (ConnectorException) e;
                                assertThat(ce.kind())
                                        .isEqualTo(ConnectorException.Kind.SOURCE_UNAVAILABLE);
                                assertThat(ce.getMessage())
                                        .contains("did not answer in time")
                                        .doesNotContain("secret");
                            });
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        HttpRequest refused =
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + closedPort + "/")).build();
        assertThatThrownBy(() -> CLIENT.send(refused))
                .isInstanceOf(ConnectorException.class)
                .extracting(e -> ((ConnectorException) e).kind())
                .isEqualTo(ConnectorException.Kind.SOURCE_UNAVAILABLE);
    }
}
