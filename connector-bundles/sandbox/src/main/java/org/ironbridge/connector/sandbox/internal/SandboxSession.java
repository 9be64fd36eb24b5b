package org.ironbridge.connector.sandbox.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorContext;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.api.connector.PassthroughResponse;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;

/**
 * A session on the sandbox. Every call is one simulated request to the sandbox server: it first
 * passes the connection's failure scenarios (outage, password, fail-auth, rate limit, latency,
 * error rate), then runs against the connection's {@link SandboxSystem}.
 */
final class SandboxSession extends ConnectorSession {
    private final SandboxSettings settings;
    private final SandboxSystem system;
    private final ScenarioGuard guard;
    private final ConnectorContext context;

    SandboxSession(
            SandboxSettings settings,
            SandboxSystem system,
            ScenarioGuard guard,
            ConnectorContext context) {
        this.settings = settings;
        this.system = system;
        this.guard = guard;
        this.context = context;
    }

    /** Simulates the network and the server's front door; returns the time the call is served. */
    private Instant call() throws ConnectorException {
        boolean faults = guard.admit(context.clock().instant(), settings.passwordAccepted());
        int latency = guard.scenarios().latencyMs();
        if (latency > 0) {
            try {
                Thread.sleep(latency);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ConnectorException.sourceUnavailable(
                        "Interrupted while waiting for the sandbox", e);
            }
        }
        if (guard.failNow(context.clock().instant(), faults)) {
            throw ConnectorException.sourceUnavailable(ScenarioGuard.ERROR, null);
        }
        return context.clock().instant();
    }

    @Override
    public void verify() throws ConnectorException {
        call();
    }

    @Override
    public ChangePage read(ReadRequest request) throws ConnectorException {
        Objects.requireNonNull(request, "request");
        return system.read(request, call());
    }

    @Override
    public SourceRecord get(EntityType entity, String remoteId) throws ConnectorException {
        return system.get(entity, remoteId, call());
    }

    /** A write call: {@code read_only} accounts are refused after the call's other checks. */
    private Instant write() throws ConnectorException {
        Instant at = call();
        if (guard.scenarios().readOnly()) {
            throw ConnectorException.permissionDenied(READ_ONLY);
        }
        return at;
    }

    static final String READ_ONLY =
            "HTTP 403 from sandbox: this account may read but not change records (read_only)";

    @Override
    public SourceRecord create(EntityType entity, ObjectNode fields) throws ConnectorException {
        return system.create(entity, fields, write());
    }

    @Override
    public SourceRecord update(EntityType entity, String remoteId, ObjectNode changes)
            throws ConnectorException {
        return system.update(entity, remoteId, changes, write());
    }

    @Override
    public void delete(EntityType entity, String remoteId) throws ConnectorException {
        system.delete(entity, remoteId, write());
    }

    @Override
    public PassthroughResponse passthrough(PassthroughRequest request) throws ConnectorException {
        Objects.requireNonNull(request, "request");
        return RestApi.handle(system, request, call());
    }
}
