package org.ironbridge.connector.testkit;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.ironbridge.api.connector.ConnectorContext;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.SourceHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link ConnectorContext} for connector tests: a real JDK HTTP client with a timeout (as the
 * runtime's would apply), the given clock, and a call counter.
 */
public final class TestContext implements ConnectorContext {
    private final String connectionId;
    private final Clock clock;
    private final HttpClient client =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicInteger calls = new AtomicInteger();

    public TestContext(String connectionId, Clock clock) {
        this.connectionId = connectionId;
        this.clock = clock;
    }

    /** A context on the system UTC clock. */
    public static TestContext create(String connectionId) {
        return new TestContext(connectionId, Clock.systemUTC());
    }

    /** How many HTTP calls sessions made through this context. */
    public int calls() {
        return calls.get();
    }

    @Override
    public String connectionId() {
        return connectionId;
    }

    @Override
    public SourceHttpClient http() {
        return request -> {
            calls.incrementAndGet();
            HttpRequest timed =
                    HttpRequest.newBuilder(request, (n, v) -> true)
                            .timeout(Duration.ofSeconds(60))
                            .build();
            try {
                return client.send(timed, HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException e) {
                throw ConnectorException.sourceUnavailable(
                        "Cannot reach " + request.uri().getHost() + ": " + e, e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ConnectorException.sourceUnavailable("Interrupted", e);
            }
        };
    }

    @Override
    public Clock clock() {
        return clock;
    }

    @Override
    public Logger logger() {
        return LoggerFactory.getLogger("connector." + connectionId);
    }
}
