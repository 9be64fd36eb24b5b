package org.ironbridge.api.connector;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Objects;

/**
 * One record read from or written to the source, already mapped to the canonical model.
 *
 * <p>{@code fields} holds the entity's canonical fields (snake_case, as in the JSON Schema of the
 * entity type) except the common ones given here ({@code id}, {@code remote_id}, {@code
 * created_at}, {@code updated_at}, {@code deleted_at}). Reference fields ({@code vendor_id}, {@code
 * item_id}, {@code asset_id}, {@code location_id}, ...) hold the <em>source's</em> id of the
 * referenced record: the runtime translates them to and from Ironbridge ids. Amounts are decimal
 * strings. Source fields without a canonical slot go in {@code custom_fields}.
 *
 * @param remoteId the source's id of the record, stable for its lifetime
 * @param createdAt when the source created it, or null if it does not say
 * @param updatedAt when the source last changed it (the cursor field), or null if it does not say
 * @param fields the canonical fields
 * @param raw the record as the source returned it, served as {@code remote_data} on request; may be
 *     null
 */
public record SourceRecord(
        String remoteId, Instant createdAt, Instant updatedAt, ObjectNode fields, JsonNode raw) {
    public SourceRecord {
        Objects.requireNonNull(remoteId, "remoteId");
        Objects.requireNonNull(fields, "fields");
    }
}
