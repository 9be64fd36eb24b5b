package org.ironbridge.api.connector;

import java.util.List;
import java.util.Objects;

/**
 * One page of changes returned by {@link ConnectorSession#read}.
 *
 * @param records records created or changed since the request's cursor, in the order the source
 *     returned them
 * @param deletedRemoteIds source ids of records deleted since the cursor (empty when the source
 *     cannot tell)
 * @param next the cursor to pass to the next call; the runtime persists it with this page's records
 * @param hasMore whether another page is available right now; false ends this sync run
 */
public record ChangePage(
        List<SourceRecord> records, List<String> deletedRemoteIds, Cursor next, boolean hasMore) {
    public ChangePage {
        records = List.copyOf(records);
        deletedRemoteIds = deletedRemoteIds == null ? List.of() : List.copyOf(deletedRemoteIds);
        Objects.requireNonNull(next, "next");
    }
}
