package org.ironbridge.engine.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.InstalledConnector;
import org.ironbridge.store.ConnectionRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One cached {@link ConnectorSession} per connection, opened from the decrypted credentials. When
 * the connector's factory is gone (its bundle was removed), calls fail with {@code
 * CONNECTOR_UNAVAILABLE} and the cached session is dropped; when a new factory for the system
 * appears (the bundle was updated), sessions are reopened from it. Connector failures are mapped to
 * {@link EngineException}s here.
 */
final class Sessions implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Sessions.class);

    /** A call on a session. */
    @FunctionalInterface
    interface SessionCall<T> {
        T apply(ConnectorSession session) throws ConnectorException;
    }

    private record Held(ConnectorFactory factory, ConnectorSession session) {}

    private final ConnectorRegistry registry;
    private final Vault vault;
    private final Clock clock;
    private final Supplier<HttpClient> http;
    private final ConcurrentHashMap<String, Held> sessions = new ConcurrentHashMap<>();
    private volatile BiConsumer<String, String> onReauthorization = (id, reason) -> {};
    private final Circuits circuits;
    private final StatsRecorder stats;
    private final SourceRateLimits rateLimits = new SourceRateLimits();

    /**
     * @param http the HTTP client the sessions share, asked for when a session is opened
     * @param circuits the circuit breakers every call goes through
     * @param stats counts every call (null: not counted)
     */
    Sessions(
            ConnectorRegistry registry,
            Vault vault,
            Clock clock,
            Supplier<HttpClient> http,
            Circuits circuits,
            StatsRecorder stats) {
        this.registry = registry;
        this.vault = vault;
        this.clock = clock;
        this.http = http;
        this.circuits = circuits;
        this.stats = stats;
    }

    /** Called with (connection id, source message) when the source rejects stored credentials. */
    void onReauthorization(BiConsumer<String, String> listener) {
        this.onReauthorization = listener;
    }

    Vault vault() {
        return vault;
    }

    /** Opens a session that is not cached yet (for a connection being created). */
    ConnectorSession open(
            InstalledConnector connector, String connectionId, Map<String, String> credentials)
            throws ConnectorException {
        Logger log =
                LoggerFactory.getLogger(
                        "ironbridge.connector." + connector.system() + "." + connectionId);
        RuntimeConnectorContext ctx =
                new RuntimeConnectorContext(
                        connectionId,
                        new ObservedSourceHttpClient(
                                new JdkSourceHttpClient(
                                        http.get(), JdkSourceHttpClient.REQUEST_TIMEOUT, log),
                                connector.system()),
                        clock,
                        log);
        ConnectorSession s = connector.factory().open(Credentials.of(credentials), ctx);
        if (s == null) {
            throw ConnectorException.sourceError("The connector opened no session");
        }
        return s;
    }

    /** Caches the session of a connection just created. */
    void put(String connectionId, InstalledConnector connector, ConnectorSession session) {
        Held old = sessions.put(connectionId, new Held(connector.factory(), session));
        if (old != null && old.session() != session) {
            closeQuietly(old.session());
        }
    }

    /** Drops (and closes) the cached session of a connection. */
    void drop(String connectionId) {
        Held old = sessions.remove(connectionId);
        if (old != null) {
            closeQuietly(old.session());
        }
    }

    /** The installed connector of a connection's system, or {@code CONNECTOR_UNAVAILABLE}. */
    InstalledConnector connector(ConnectionRow row) throws EngineException {
        Optional<InstalledConnector> ic = registry.find(row.system());
        if (ic.isEmpty()) {
            drop(row.id());
            throw new EngineException(
                    Code.CONNECTOR_UNAVAILABLE,
                    "The connector for system "
                            + row.system()
                            + " is not installed or not started");
        }
        return ic.get();
    }

    /** The session of a connection, opened on first use. */
    ConnectorSession session(ConnectionRow row) throws EngineException {
        InstalledConnector ic = connector(row);
        Held held = sessions.get(row.id());
        if (held != null && held.factory() == ic.factory()) {
            return held.session();
        }
        synchronized (this) {
            held = sessions.get(row.id());
            if (held != null && held.factory() == ic.factory()) {
                return held.session();
            }
            Map<String, String> credentials = decrypt(row);
            ConnectorSession s;
            try {
                s = open(ic, row.id(), credentials);
            } catch (ConnectorException e) {
                throw handle(row, e, false);
            } catch (RuntimeException e) {
                LOG.error(
                        "Connector {} failed to open a session for {}", row.system(), row.id(), e);
                throw new EngineException(Code.SOURCE_ERROR, "The connector failed");
            }
            put(row.id(), ic, s);
            return s;
        }
    }

    /**
     * Calls a connection's session, mapping failures: THE way every live call and sync read reaches
     * a source. The call goes through the connection's circuit breaker (an open circuit fails it
     * fast with {@code SOURCE_UNAVAILABLE} and the remaining wait as {@code retryAfter}, without
     * calling the source) and is counted in the connection's statistics. Before that it waits for
     * the rate limit the connector declares for its source ({@link SourceRateLimits}).
     */
    <T> T call(ConnectionRow row, SessionCall<T> call) throws EngineException {
        // the connector's declared rate limit: wait for a permit before anything else
        Optional<InstalledConnector> installed = registry.find(row.system());
        if (installed.isPresent()) {
            rateLimits.acquire(row.id(), installed.get().descriptor().rateLimit().orElse(null));
        }
        Circuits.Permit permit;
        try {
            permit = circuits.acquire(row.id());
        } catch (EngineException open) {
            if (stats != null) {
                stats.sourceRejected(row.id());
            }
            throw open;
        }
        ConnectorSession s;
        try {
            s = session(row);
        } catch (EngineException e) {
            if (e.code() == Code.CONNECTOR_UNAVAILABLE) {
                permit.released(); // nothing was sent
            } else {
                ended(row, permit, e);
            }
            throw e;
        } catch (RuntimeException e) {
            permit.released();
            throw e;
        }
        EngineException failure;
        try {
            T result = call.apply(s);
            ended(row, permit, null);
            return result;
        } catch (ConnectorException e) {
            failure = handle(row, e, false);
        } catch (RuntimeException e) {
            LOG.error("Connector {} failed for connection {}", row.system(), row.id(), e);
            failure = new EngineException(Code.SOURCE_ERROR, "The connector failed");
        }
        ended(row, permit, failure);
        throw failure;
    }

    /** Reports how a call went to the circuit breaker and the statistics. */
    private void ended(ConnectionRow row, Circuits.Permit permit, EngineException failure) {
        if (failure == null) {
            permit.succeeded();
        } else {
            permit.failed(failure);
        }
        if (stats != null) {
            stats.sourceCall(row.id(), failure);
        }
    }

    /**
     * The remaining wait of the connection's open circuit, or null when calls may go through (a
     * sync skips its run while the circuit refuses calls).
     */
    java.time.Duration refusing(String connectionId) {
        return circuits.refusing(connectionId);
    }

    /** Whether the connection's circuit is closed (or has never been used). */
    boolean circuitClosed(String connectionId) {
        return "closed".equals(circuits.state(connectionId));
    }

    private EngineException handle(ConnectionRow row, ConnectorException e, boolean creating) {
        EngineException mapped = map(e, creating);
        if (mapped.code() == Code.REAUTHORIZATION_REQUIRED) {
            drop(row.id());
            onReauthorization.accept(row.id(), e.getMessage());
        }
        return mapped;
    }

    Map<String, String> decrypt(ConnectionRow row) {
        String json = vault.decrypt(row.credentials(), row.id());
        try {
            return Json.MAPPER.readValue(
                    json, new TypeReference<LinkedHashMap<String, String>>() {});
        } catch (java.io.IOException e) {
            throw new IllegalStateException("stored credentials are not a JSON object", e);
        }
    }

    String encrypt(String connectionId, Map<String, String> credentials) {
        try {
            return vault.encrypt(Json.MAPPER.writeValueAsString(credentials), connectionId);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Maps a connector failure to the API error.
     *
     * @param creating whether the connection is being created (then a refusal of the credentials is
     *     {@code CREDENTIALS_REJECTED} rather than {@code REAUTHORIZATION_REQUIRED})
     */
    static EngineException map(ConnectorException e, boolean creating) {
        String message =
                e.getMessage() == null || e.getMessage().isBlank()
                        ? "The source reported a failure"
                        : e.getMessage();
        return switch (e.kind()) {
            case CREDENTIALS_REJECTED, REAUTHORIZATION_REQUIRED ->
                    creating
                            ? new EngineException(Code.CREDENTIALS_REJECTED, message)
                            : new EngineException(
                                    Code.REAUTHORIZATION_REQUIRED,
                                    "The source system rejected the stored credentials ("
                                            + message
                                            + "). Reconnect this connection.");
            case PERMISSION_DENIED ->
                    creating
                            ? new EngineException(Code.CREDENTIALS_REJECTED, message)
                            : new EngineException(Code.INSUFFICIENT_PERMISSIONS, message);
            case RATE_LIMITED ->
                    new EngineException(
                            Code.RATE_LIMITED, message, List.of(), e.retryAfter().orElse(null));
            case SOURCE_UNAVAILABLE ->
                    new EngineException(
                            Code.SOURCE_UNAVAILABLE,
                            message,
                            List.of(),
                            e.retryAfter().orElse(null));
            case NOT_FOUND -> new EngineException(Code.NOT_FOUND, message);
            case VALIDATION_FAILED ->
                    new EngineException(Code.VALIDATION_FAILED, message, e.fieldErrors(), null);
            case CONFLICT -> new EngineException(Code.CONFLICT, message);
            case NOT_SUPPORTED -> new EngineException(Code.OPERATION_NOT_SUPPORTED, message);
            case SOURCE_ERROR -> new EngineException(Code.SOURCE_ERROR, message);
        };
    }

    private static void closeQuietly(ConnectorSession s) {
        try {
            s.close();
        } catch (RuntimeException e) {
            LOG.warn("A connector session failed to close", e);
        }
    }

    @Override
    public void close() {
        for (String id : List.copyOf(sessions.keySet())) {
            drop(id);
        }
    }
}
