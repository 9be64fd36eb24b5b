package org.ironbridge.rest.internal;

import org.ironbridge.engine.AdminAuthenticator;
import org.ironbridge.engine.ConnectSessionService;
import org.ironbridge.engine.ConnectionService;
import org.ironbridge.engine.ConnectionStats;
import org.ironbridge.engine.ConnectorInstaller;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.ConsoleService;
import org.ironbridge.engine.IdempotencyService;
import org.ironbridge.engine.RecordService;
import org.ironbridge.engine.RequestLogService;
import org.ironbridge.engine.WebhookService;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.store.Database;

/**
 * The runtime services the resources use, updated by {@link RestComponent} as services come and go.
 * The HTTP API is up before the database: a resource whose service is missing answers 503 {@code
 * service_unavailable} rather than the whole API being absent.
 */
public final class Services {
    volatile Database database;
    volatile AdminAuthenticator adminAuthenticator;
    volatile ConnectorRegistry connectors;
    volatile ConnectorInstaller installer;
    volatile ConnectionService connections;
    volatile RecordService records;
    volatile IdempotencyService idempotency;
    volatile ConnectionStats stats;
    volatile CanonicalModel model;
    volatile ConsoleService console;
    volatile ConnectSessionService connectSessions;

    /** The server's public base URL ({@code ironbridge.public_url}), or null for the request's. */
    volatile String publicUrl;

    volatile RequestLogService requestLogs;

    /** Called each time /health/ready answers 200 (see {@link ApiReady}); null if nothing waits. */
    volatile Runnable onReady;

    volatile WebhookService webhooks;

    /** The canonical model (its own bundle, no database needed); 503 while it is not there. */
    CanonicalModel requireModel() {
        return require(model);
    }

    /**
     * The service, or a 503 problem if it is not available (the database is unreachable or the
     * server is starting).
     */
    <T> T require(T service) {
        if (service == null) {
            throw new ApiException(
                    ErrorCode.SERVICE_UNAVAILABLE,
                    "The server is starting or its database is unreachable; try again shortly.");
        }
        return service;
    }
}
