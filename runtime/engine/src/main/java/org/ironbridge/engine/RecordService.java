package org.ironbridge.engine;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;
import java.util.Set;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.api.connector.PassthroughResponse;
import org.ironbridge.model.EntityType;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The unified data API of one connection: reads from the record store, writes live to the source
 * (then into the store). Records are canonical JSON objects with Ironbridge ids in {@code id} and
 * every reference field.
 *
 * <p>All methods take the connection id of an authenticated connection token; a record id of
 * another connection is "not found".
 */
@ProviderType
public interface RecordService {

    /**
     * A page of records ordered by {@code updated_at} then {@code id}.
     *
     * @throws EngineException {@code VALIDATION_FAILED} for a malformed cursor or an unknown filter
     *     field
     */
    Page<ObjectNode> list(String connectionId, EntityType type, RecordQuery query)
            throws EngineException;

    /**
     * {@link #list} as the JSON text of the API's response ({@code {"data":[…],"next_cursor":…}}):
     * the HTTP layer's hot path. Implementations may splice stored JSON instead of building trees.
     */
    default String listJson(String connectionId, EntityType type, RecordQuery query)
            throws EngineException {
        Page<ObjectNode> page = list(connectionId, type, query);
        com.fasterxml.jackson.databind.node.ObjectNode out =
                com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        out.putArray("data").addAll(page.data());
        out.put("next_cursor", page.nextCursor());
        return out.toString();
    }

    /** {@link #get} as JSON text: the HTTP layer's hot path. */
    default Optional<String> getJson(
            String connectionId, EntityType type, String id, boolean includeRemoteData) {
        return get(connectionId, type, id, includeRemoteData).map(ObjectNode::toString);
    }

    /** One record. Deleted records are returned with their {@code deleted_at}. */
    Optional<ObjectNode> get(
            String connectionId, EntityType type, String id, boolean includeRemoteData);

    /**
     * Creates a record at the source, stores and returns it.
     *
     * @throws EngineException {@code VALIDATION_FAILED} (model or source), {@code
     *     OPERATION_NOT_SUPPORTED}, and the source failures ({@code SOURCE_UNAVAILABLE}, {@code
     *     RATE_LIMITED}, {@code REAUTHORIZATION_REQUIRED}, ...)
     */
    ObjectNode create(String connectionId, EntityType type, ObjectNode body) throws EngineException;

    /** Changes the sent fields of a record at the source, stores and returns it. */
    ObjectNode update(String connectionId, EntityType type, String id, ObjectNode body)
            throws EngineException;

    /** Deletes a record at the source and marks it deleted in the store. */
    void delete(String connectionId, EntityType type, String id) throws EngineException;

    /** Sends a raw request to the source with the connection's credentials. */
    PassthroughResponse passthrough(String connectionId, PassthroughRequest request)
            throws EngineException;

    /**
     * The fields of an entity type that {@code filter[field]=value} accepts: {@code remote_id},
     * {@code status}, {@code number} and {@code code} where the entity has them, and its top-level
     * reference fields (e.g. {@code vendor_id}, which take Ironbridge ids).
     */
    Set<String> filterableFields(EntityType type);
}
