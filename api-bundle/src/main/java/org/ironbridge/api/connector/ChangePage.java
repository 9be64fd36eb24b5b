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
 * @param remaining how many more records (changes and deletes) the source will return for this read
 *     after this page, as far as it knows cheaply (a count it has anyway, such as a search total),
 *     or {@link #UNKNOWN}. The runtime shows a run's progress as the records seen so far over seen
 *     plus remaining; an estimate is fine, a costly count is not.
 */
public record ChangePage(
        List<SourceRecord> records,
        List<String> deletedRemoteIds,
        Cursor next,
        boolean hasMore,
        long remaining) {
    /** {@link #remaining()} when the connector cannot tell. */
    public static final long UNKNOWN = -1;

    public ChangePage {
        records = List.copyOf(records);
        deletedRemoteIds = deletedRemoteIds == null ? List.of() : List.copyOf(deletedRemoteIds);
        Objects.requireNonNull(next, "next");
        if (!hasMore) {
            remaining = 0;
        } else if (remaining < 0) {
            remaining = UNKNOWN;
        }
    }

    /** A page whose connector cannot tell how many records remain. */
    public ChangePage(
            List<SourceRecord> records,
            List<String> deletedRemoteIds,
            Cursor next,
            boolean hasMore) {
        this(records, deletedRemoteIds, next, hasMore, UNKNOWN);
    }
}
