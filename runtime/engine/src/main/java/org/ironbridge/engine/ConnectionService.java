package org.ironbridge.engine;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ironbridge.model.EntityType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Connections: creation (credentials verified live, stored encrypted, token issued once), lookup,
 * token authentication. Every method that takes an organization id only ever sees that
 * organization's connections: another organization's connection is "not found".
 */
@ProviderType
public interface ConnectionService {

    /**
     * Connects a system: validates the request against the connector's descriptor, verifies the
     * credentials live, stores them encrypted, issues a token and queues the initial sync.
     *
     * @throws EngineException {@code VALIDATION_FAILED} (unknown system → field {@code system},
     *     missing credential → {@code credentials.<name>}, bad deployment, bad sync settings),
     *     {@code CONNECTOR_UNAVAILABLE}, {@code CREDENTIALS_REJECTED}, {@code SOURCE_UNAVAILABLE},
     *     {@code RATE_LIMITED}
     */
    CreatedConnection create(String organizationId, NewConnection request) throws EngineException;

    /**
     * The organization's connections, newest first, filtered by the non-null arguments.
     *
     * @throws EngineException {@code VALIDATION_FAILED} for a malformed cursor
     */
    Page<ConnectionView> list(
            String organizationId,
            String customerId,
            String system,
            String status,
            String cursor,
            int pageSize)
            throws EngineException;

    /** One connection of the organization. */
    Optional<ConnectionView> find(String organizationId, String connectionId);

    /**
     * The connection a connection token ({@code ibt_…}) belongs to. Cached: called on every data
     * API request.
     *
     * @throws EngineException {@code TOKEN_INVALID} for an unknown token, {@code TOKEN_REVOKED} for
     *     the token of a disconnected connection
     */
    ConnectionView authenticate(String token) throws EngineException;

    /** The sync runs of a connection, newest first. */
    List<SyncView> syncs(String organizationId, String connectionId, int limit)
            throws EngineException;

    /**
     * Disconnects a connection: its token stops working at once, its syncs stop, its credits are
     * returned; its synced records are kept until purged. Idempotent: disconnecting a disconnected
     * connection changes nothing.
     *
     * @throws EngineException {@code NOT_FOUND} when the organization has no such connection
     */
    void disconnect(String organizationId, String connectionId) throws EngineException;

    /**
     * Replaces a connection with a new one of the same system, customer, name, deployment and sync
     * settings but new credentials (verified live, as on create) and a new token; the old
     * connection is disconnected once the new one exists. Its credits are counted as returned for
     * the credit check.
     *
     * @param credentials the new credential values
     * @throws EngineException as {@link #create}, and {@code NOT_FOUND}
     */
    CreatedConnection reconnect(
            String organizationId, String connectionId, Map<String, String> credentials)
            throws EngineException;

    /**
     * Deletes the stored records of a disconnected connection.
     *
     * @throws EngineException {@code NOT_FOUND}, or {@code VALIDATION_FAILED} (field {@code
     *     status}) when the connection is not disconnected
     */
    void purge(String organizationId, String connectionId) throws EngineException;

    /**
     * The status history of a connection, oldest first.
     *
     * @throws EngineException {@code NOT_FOUND}
     */
    List<StatusEntry> statusHistory(String organizationId, String connectionId)
            throws EngineException;

    /**
     * Queues a sync of the given entities now (all synced entities when empty).
     *
     * @param full whether to read everything again instead of continuing from the cursor
     * @return the queued (or already queued or running) run of each entity
     * @throws EngineException {@code NOT_FOUND}; {@code VALIDATION_FAILED} (field {@code entities})
     *     for an entity the connection does not sync, and (field {@code status}) for a connection
     *     that is disconnected or must be reconnected first
     */
    List<SyncView> requestSync(
            String organizationId, String connectionId, Set<EntityType> entities, boolean full)
            throws EngineException;

    /** The organization's credit pool and how much of it its connections use. */
    CreditBalance credits(String organizationId);
}
