package org.ironbridge.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Set;
import org.ironbridge.model.internal.StandardCanonicalModel;
import org.osgi.annotation.versioning.ProviderType;

/**
 * The canonical data model as a service: the entity types, the JSON Schema of each, validation of
 * create and update bodies against them, and the reference fields between entities.
 *
 * <p>The model bundle registers one implementation as an OSGi service; outside OSGi (unit tests of
 * other modules) {@link #standard()} returns the same implementation. Implementations are
 * thread-safe: schemas are compiled once, when the implementation is created.
 *
 * <p>Field paths in {@link Violation}s and {@link Reference}s use a dotted form: dots between
 * property names and {@code [i]} for array indexes, e.g. {@code lines[0].quantity}; references use
 * {@code []} for "every element", e.g. {@code lines[].item_id}.
 */
@ProviderType
public interface CanonicalModel {

    /**
     * The entity types this model has a schema for.
     *
     * @return an unmodifiable set, in the declaration order of {@link EntityType}
     */
    Set<EntityType> entityTypes();

    /**
     * The JSON Schema (draft 2020-12) of a record of the given type as the API serves it, with
     * {@code readOnly}, {@code x-reference}, {@code x-required-on-create} and {@code examples}
     * annotations.
     *
     * @param type the entity type
     * @return a fresh copy of the schema's Jackson tree on each call; the caller may change it
     *     without affecting the model
     * @throws IllegalArgumentException if the model has no schema for the type
     */
    JsonNode schema(EntityType type);

    /**
     * Validates the body of a create request: every field must be known and writable and have the
     * right type, format or enum value, and the fields required on create must be present and not
     * null.
     *
     * @param type the entity type being created
     * @param body the request body; anything but a JSON object yields a single violation at field
     *     {@code ""} ("must be a JSON object")
     * @return the violations, ordered by field path; empty if the body is valid
     * @throws IllegalArgumentException if the model has no schema for the type
     */
    List<Violation> validateCreate(EntityType type, JsonNode body);

    /**
     * Validates the body of an update (PATCH) request. Like {@link #validateCreate} but without any
     * required-field check, since an update changes only the fields it carries.
     *
     * @param type the entity type being updated
     * @param body the request body; anything but a JSON object yields a single violation at field
     *     {@code ""} ("must be a JSON object")
     * @return the violations, ordered by field path; empty if the body is valid
     * @throws IllegalArgumentException if the model has no schema for the type
     */
    List<Violation> validateUpdate(EntityType type, JsonNode body);

    /**
     * Validates a complete record as the API serves it, read-only fields included, e.g. a record a
     * connector produced once Ironbridge ids have been filled in. Read-only fields are allowed and
     * the fields every record has ({@code id}, {@code remote_id}, {@code created_at}, {@code
     * updated_at} and the entity's always-required fields) must be present.
     *
     * @param type the entity type of the record
     * @param record the record; anything but a JSON object yields a single violation at field
     *     {@code ""} ("must be a JSON object")
     * @return the violations, ordered by field path; empty if the record is valid
     * @throws IllegalArgumentException if the model has no schema for the type
     */
    List<Violation> validateRecord(EntityType type, JsonNode record);

    /**
     * The reference fields of an entity type: fields holding the id of another record, e.g. {@code
     * vendor_id} → {@link EntityType#VENDORS} or {@code lines[].item_id} → {@link
     * EntityType#ITEMS}. The runtime uses them to translate between Ironbridge ids and source ids.
     *
     * @param type the entity type
     * @return an unmodifiable list in schema order; empty if the type has no reference fields
     * @throws IllegalArgumentException if the model has no schema for the type
     */
    List<Reference> references(EntityType type);

    /**
     * The standard implementation, for use outside an OSGi framework (e.g. unit tests of other
     * modules). Inside OSGi, prefer the {@code CanonicalModel} service. The instance is created on
     * first use and shared.
     *
     * @return the shared standard implementation
     */
    static CanonicalModel standard() {
        return StandardCanonicalModel.shared();
    }
}
