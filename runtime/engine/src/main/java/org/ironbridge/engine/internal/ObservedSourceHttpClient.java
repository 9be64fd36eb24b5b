package org.ironbridge.engine.internal;

import io.micrometer.core.instrument.Timer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.SourceHttpClient;
import org.ironbridge.engine.SourceCall;
import org.ironbridge.engine.SourceCallLog;
import org.ironbridge.metrics.Metrics;

/**
 * Wraps a session's {@link SourceHttpClient}: times every call into the metric {@code
 * ironbridge.source.calls} (tags {@code system}, {@code outcome}) and, when the call serves an API
 * request, adds it to that request's {@link SourceCallLog} (URL without secrets).
 */
final class ObservedSourceHttpClient implements SourceHttpClient {
    /** Outcomes of a source call: the metric's {@code outcome} tag. */
    enum Outcome {
        SUCCESS,
        CLIENT_ERROR,
        SERVER_ERROR,
        UNAVAILABLE;

        static Outcome of(int status) {
            return status >= 500 ? SERVER_ERROR : status >= 400 ? CLIENT_ERROR : SUCCESS;
        }
    }

    private final SourceHttpClient delegate;
    private final Timer[] timers = new Timer[Outcome.values().length];

    ObservedSourceHttpClient(SourceHttpClient delegate, String system) {
        this.delegate = delegate;
        for (Outcome o : Outcome.values()) {
            timers[o.ordinal()] =
                    Timer.builder("ironbridge.source.calls")
                            .description("Calls connectors made to their source systems")
                            .tag("system", system)
                            .tag("outcome", o.name().toLowerCase(java.util.Locale.ROOT))
                            .register(Metrics.registry());
        }
    }

    @Override
    public HttpResponse<byte[]> send(HttpRequest request) throws ConnectorException {
        Instant startedAt = SourceCallLog.active() ? Instant.now() : null;
        long start = System.nanoTime();
        try {
            HttpResponse<byte[]> response = delegate.send(request);
            done(request, startedAt, start, response.statusCode(), null);
            return response;
        } catch (ConnectorException e) {
            done(request, startedAt, start, null, e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            done(request, startedAt, start, null, e.getClass().getSimpleName());
            throw e;
        }
    }

    private void done(
            HttpRequest request, Instant startedAt, long start, Integer status, String error) {
        long nanos = System.nanoTime() - start;
        Outcome outcome = status == null ? Outcome.UNAVAILABLE : Outcome.of(status);
        timers[outcome.ordinal()].record(nanos, TimeUnit.NANOSECONDS);
        if (startedAt != null) {
            SourceCallLog.record(
                    new SourceCall(
                            startedAt,
                            nanos / 1_000,
                            request.method(),
                            Redactor.url(request.uri()),
                            status,
                            error == null ? null : Redactor.text(error)));
        }
    }
}
