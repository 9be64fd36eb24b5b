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
 * @param newestFirst whether {@link ConnectorSession#read} can read the initial sync newest change
 *     first ({@link ReadRequest.Order#NEWEST_FIRST}); only meaningful with {@code incremental}. A
 *     connector that does not declare it is always read oldest first. Since 1.2.
 */
public record EntityCapabilities(
        Set<Operation> operations, boolean incremental, boolean deletes, boolean newestFirst) {
    public EntityCapabilities {
        operations = operations.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(operations));
        newestFirst = newestFirst && incremental;
    }

    /** Capabilities without newest-first reads, as in version 1.0 of the SPI. */
    public EntityCapabilities(Set<Operation> operations, boolean incremental, boolean deletes) {
        this(operations, incremental, deletes, false);
    }

    /** Every operation, incremental reads and delete detection (oldest-first reads). */
    public static EntityCapabilities all() {
        return new EntityCapabilities(EnumSet.allOf(Operation.class), true, true);
    }

    /** Read-only: list and get, with the given sync abilities. */
    public static EntityCapabilities readOnly(boolean incremental, boolean deletes) {
        return new EntityCapabilities(
                EnumSet.of(Operation.LIST, Operation.GET), incremental, deletes);
    }

    /**
     * These capabilities with newest-first initial reads (when the entity reads incrementally).
     *
     * @since 1.2
     */
    public EntityCapabilities withNewestFirst() {
        return new EntityCapabilities(operations, incremental, deletes, true);
    }

    public boolean supports(Operation op) {
        return operations.contains(op);
    }
}
