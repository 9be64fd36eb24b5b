package org.ironbridge.model;

import java.util.Objects;

/**
 * A field that holds the id of a record of another (or the same) entity type.
 *
 * @param path the field's path: dots between property names and {@code []} for the elements of an
 *     array, e.g. {@code vendor_id}, {@code lines[].item_id}, {@code parts[].location_id}
 * @param target the entity type of the referenced record
 */
public record Reference(String path, EntityType target) {

    /** Checks that both components are given. */
    public Reference {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(target, "target");
    }

    /**
     * Whether the field is inside the elements of an array, e.g. {@code lines[].item_id}.
     *
     * @return {@code true} if the path contains {@code []}
     */
    public boolean inArray() {
        return path.contains("[]");
    }
}
