package org.ironbridge.engine.internal;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.function.Supplier;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.SourceHttpClient;
import org.slf4j.Logger;

/**
 * The {@link SourceHttpClient} of a session: {@link HttpClient} with a connect timeout (set on the
 * shared client) and a request timeout (applied to requests that have none), mapping I/O failures
 * and timeouts to {@link ConnectorException.Kind#SOURCE_UNAVAILABLE}. Logs each call at debug level
 * without query string (which may hold credentials).
 */
final class JdkSourceHttpClient implements SourceHttpClient {
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);

    private final HttpClient client;
    private final Duration requestTimeout;
    private final Logger log;

    JdkSourceHttpClient(HttpClient client, Duration requestTimeout, Logger log) {
        this.client = client;
        this.requestTimeout = requestTimeout;
        this.log = log;
    }

    /** The client the sessions share, built the first time it is asked for. */
    static final class Shared implements Supplier<HttpClient> {
        private volatile HttpClient client;

        @Override
        public HttpClient get() {
            HttpClient c = client;
            if (c == null) {
                synchronized (this) {
                    c = client;
                    if (c == null) {
                        c = newSharedClient();
                        client = c;
                    }
                }
            }
            return c;
        }
    }

    /** A client for sessions to share (it holds the connection pool and selector thread). */
    static HttpClient newSharedClient() {
        return HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }

    @Override
    public HttpResponse<byte[]> send(HttpRequest request) throws ConnectorException {
        HttpRequest r =
                request.timeout().isPresent()
                        ? request
                        : HttpRequest.newBuilder(request, (name, value) -> true)
                                .timeout(requestTimeout)
                                .build();
        long start = System.nanoTime();
        String target = describe(r.uri());
        try {
            HttpResponse<byte[]> response = client.send(r, HttpResponse.BodyHandlers.ofByteArray());
            if (log.isDebugEnabled()) {
                log.debug(
                        "{} {} -> {} in {} ms",
                        r.method(),
                        target,
                        response.statusCode(),
                        (System.nanoTime() - start) / 1_000_000);
            }
            return response;
        } catch (HttpTimeoutException e) {
            throw ConnectorException.sourceUnavailable(
                    "The source did not answer in time (" + target + ")", e);
        } catch (IOException e) {
            throw ConnectorException.sourceUnavailable(
                    "The source cannot be reached ("
                            + target
                            + ": "
                            + (e.getMessage() == null
                                    ? e.getClass().getSimpleName()
                                    : e.getMessage())
                            + ")",
                    e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ConnectorException.sourceUnavailable("The call to the source was interrupted", e);
        }
    }

    private static String describe(URI uri) {
        String host = uri.getHost() == null ? "" : uri.getHost();
        String port = uri.getPort() < 0 ? "" : ":" + uri.getPort();
        return (uri.getScheme() == null ? "" : uri.getScheme() + "://")
                + host
                + port
                + (uri.getRawPath() == null ? "" : uri.getRawPath());
    }
}
