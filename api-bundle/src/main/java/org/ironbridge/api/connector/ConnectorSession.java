package org.ironbridge.api.connector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.ironbridge.model.EntityType;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A connector's handle on one connection to the source: the few methods a connector writes.
 *
 * <p><b>Threading.</b> The runtime calls a session from its own worker threads; never from an HTTP
 * server thread that it cannot spare, and never concurrently for {@link #read} of the same entity.
 * Other calls (a live {@link #get} or {@link #create} while a sync reads) may run concurrently, so
 * a session must be thread-safe for them. Every method may block on network I/O; timeouts are
 * applied by the runtime's {@link SourceHttpClient}.
 *
 * <p><b>Failures.</b> Every method reports failures as {@link ConnectorException} of the matching
 * kind. A session never retries, sleeps or backs off: the runtime does that, honouring {@link
 * ConnectorException#retryAfter()}. A source that rejects the stored credentials is {@link
 * ConnectorException.Kind#CREDENTIALS_REJECTED} (the runtime turns it into "reauthorization
 * required" outside the connect flow). Runtime exceptions are treated as bugs of the connector.
 *
 * <p><b>Records.</b> Reads and writes exchange canonical {@link SourceRecord}s whose reference
 * fields hold source ids; see there. Writes receive only canonical fields that passed the model's
 * validation.
 *
 * <p>This is an abstract class rather than an interface so that optional operations can be added in
 * later minor versions without breaking existing connectors: an operation a connector does not
 * override is not supported.
 */
@ConsumerType
public abstract class ConnectorSession implements AutoCloseable {

    /**
     * Checks the credentials against the source with the cheapest call that proves them (a login, a
     * "who am I"). Called when a connection is created and whenever the runtime wants to know
     * whether a failing source is back.
     *
     * @throws ConnectorException {@code CREDENTIALS_REJECTED} with the source's message when
     *     refused; {@code SOURCE_UNAVAILABLE} when the source cannot be reached
     */
    public abstract void verify() throws ConnectorException;

    /**
     * Reads the next page of records of one entity type that changed since the request's cursor,
     * oldest change first within the page when the source can order by modification time.
     *
     * <p>A connector that declares {@code incremental=false} for the entity may ignore the cursor's
     * watermark but must still page through all records with it. The returned cursor must make the
     * next call continue after the last record of this page; records that the source changes while
     * a sync runs may be returned again later (the runtime skips unchanged content by hash).
     *
     * <p>When the connector declares {@link EntityCapabilities#newestFirst()} for the entity, the
     * runtime asks for an initial sync with {@link ReadRequest.Order#NEWEST_FIRST}: records are
     * then returned newest change first, down to {@code since}, and every cursor returned carries
     * the snapshot mark (the newest modification time at the source when the first page was read)
     * as its watermark, with the position of the descending walk in its state. The runtime resumes
     * an interrupted newest-first read with the same order and the last checkpointed cursor; after
     * the last page it reads incrementally (oldest first) from the snapshot mark minus an overlap
     * window, which picks up whatever changed while the initial sync ran.
     */
    public abstract ChangePage read(ReadRequest request) throws ConnectorException;

    /**
     * Reads one record by its source id, live.
     *
     * @throws ConnectorException {@code NOT_FOUND} when the source has no such record
     */
    public SourceRecord get(EntityType entity, String remoteId) throws ConnectorException {
        throw unsupported("get", entity);
    }

    /**
     * Creates a record at the source and returns it as the source now has it (with its new remote
     * id).
     *
     * @param fields canonical fields, validated against the model, references as source ids
     */
    public SourceRecord create(EntityType entity, ObjectNode fields) throws ConnectorException {
        throw unsupported("create", entity);
    }

    /**
     * Changes the given fields of a record at the source and returns the record as the source now
     * has it. Fields not present in {@code changes} stay as they are.
     */
    public SourceRecord update(EntityType entity, String remoteId, ObjectNode changes)
            throws ConnectorException {
        throw unsupported("update", entity);
    }

    /** Deletes (or cancels, where the source cannot delete) a record at the source. */
    public void delete(EntityType entity, String remoteId) throws ConnectorException {
        throw unsupported("delete", entity);
    }

    /** Sends a raw request to the source with this connection's authentication. */
    public PassthroughResponse passthrough(PassthroughRequest request) throws ConnectorException {
        throw ConnectorException.notSupported(
                "This connector does not support passthrough requests");
    }

    /**
     * Releases what the session holds (a source session, sockets). Must not throw; may be called
     * twice.
     */
    @Override
    public void close() {}

    /** The failure an unsupported operation throws. */
    protected static ConnectorException unsupported(String operation, EntityType entity) {
        return ConnectorException.notSupported(
                "This connector cannot " + operation + " " + entity.collection());
    }
}
