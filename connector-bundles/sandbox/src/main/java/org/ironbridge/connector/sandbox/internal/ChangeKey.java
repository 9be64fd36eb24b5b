package org.ironbridge.connector.sandbox.internal;

import java.time.Instant;
import java.util.Objects;

/**
 * A record's position in the change stream of its entity: last modification time, then remote id.
 * Reads return records in this order and the cursor stores the key of the last record returned.
 */
record ChangeKey(Instant time, String id) implements Comparable<ChangeKey> {
    ChangeKey {
        Objects.requireNonNull(time, "time");
        id = id == null ? "" : id;
    }

    @Override
    public int compareTo(ChangeKey o) {
        int c = time.compareTo(o.time);
        return c != 0 ? c : RemoteIds.ORDER.compare(id, o.id);
    }
}
