package org.ironbridge.api.connector;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * The one service a connector bundle registers. It describes the connector and opens sessions.
 *
 * <p>Threading: both methods may be called from any runtime thread, concurrently. {@link
 * #descriptor()} must be cheap and return the same value for the lifetime of the service. {@link
 * #open} must not perform network I/O: the session talks to the source only when one of its methods
 * is called.
 */
@ConsumerType
public interface ConnectorFactory {

    /**
     * The connector's descriptor: identity, credential fields and capabilities. Never null, never
     * changes.
     */
    ConnectorDescriptor descriptor();

    /**
     * Opens a session for one connection.
     *
     * @param credentials the connection's decrypted credential values, keyed by the names declared
     *     in the descriptor
     * @param context what the runtime provides to the session: HTTP client, clock, logger,
     *     connection id
     * @return a new session; the runtime closes it when the connection is disconnected or the
     *     factory goes away
     * @throws ConnectorException {@link ConnectorException.Kind#VALIDATION_FAILED} when a
     *     credential value is malformed (a missing required field, a URL that does not parse)
     */
    ConnectorSession open(Credentials credentials, ConnectorContext context)
            throws ConnectorException;
}
