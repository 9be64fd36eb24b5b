package org.ironbridge.api.connector;

import java.util.EnumSet;
import java.util.Set;

/**
 * What a connector can do with one canonical entity type.
 *
 * @param operations the supported operations
 * @param incremental whether {@link ConnectorSession#read} honours the cursor (returns only records
 *     changed since it); when false the runtime reads everything on each sync and compares content
 *     hashes
 * @param deletes whether {@link ChangePage#deletedRemoteIds()} reports deletions; when false the
 *     runtime reconciles id sets periodically to find them
 */
public record EntityCapabilities(Set<Operation> operations, boolean incremental, boolean deletes) {
    public EntityCapabilities {
        operations = operations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(operations));
    }

    /** Every operation, incremental reads and delete detection. */
    public static EntityCapabilities all() {
        return new EntityCapabilities(EnumSet.allOf(Operation.class), true, true);
    }

    /** Read-only: list and get, with the given sync abilities. */
    public static EntityCapabilities readOnly(boolean incremental, boolean deletes) {
        return new EntityCapabilities(
                EnumSet.of(Operation.LIST, Operation.GET), incremental, deletes);
    }

    public boolean supports(Operation op) {
        return operations.contains(op);
    }
}
