package org.ironbridge.connector.sandbox.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NavigableSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What changed in one entity since the system was created: records written by clients or by the
 * simulated activity, and tombstones of deleted records. Everything else is generated. Indexed by
 * id and by change key, so reads can merge it with the generated base stream in order. Not
 * thread-safe: the owning {@link SandboxSystem} serializes access.
 */
final class Overlay {

    /** The current state of a changed record; a tombstone when {@code deleted}. */
    record Entry(
            String id, ObjectNode fields, Instant createdAt, Instant updatedAt, boolean deleted) {
        ChangeKey key() {
            return new ChangeKey(updatedAt, id);
        }
    }

    private final Map<String, Entry> byId = new HashMap<>();
    private final TreeMap<ChangeKey, Entry> byChange = new TreeMap<>();
    private final NavigableSet<Long> deletedIndexes = new TreeSet<>();

    Entry get(String id) {
        return byId.get(id);
    }

    boolean touched(String id) {
        return byId.containsKey(id);
    }

    void put(Entry e, long index) {
        Entry old = byId.put(e.id(), e);
        if (old != null) {
            byChange.remove(old.key());
        }
        byChange.put(e.key(), e);
        if (e.deleted()) {
            deletedIndexes.add(index);
        } else {
            deletedIndexes.remove(index);
        }
    }

    /** Entries changed after the bound (all when it is null), in change order. */
    NavigableMap<ChangeKey, Entry> after(ChangeKey bound) {
        return bound == null ? byChange : byChange.tailMap(bound, false);
    }

    /**
     * Entries changed at or before ({@code inclusive}) or strictly before the bound, newest change
     * first.
     */
    NavigableMap<ChangeKey, Entry> upTo(ChangeKey bound, boolean inclusive) {
        return byChange.headMap(bound, inclusive).descendingMap();
    }

    /** The newest change, or null when nothing changed. */
    ChangeKey newest() {
        return byChange.isEmpty() ? null : byChange.lastKey();
    }

    /** Indexes of deleted records, ascending. */
    NavigableSet<Long> deletedIndexes() {
        return deletedIndexes;
    }

    Collection<Entry> entries() {
        return byId.values();
    }

    int size() {
        return byId.size();
    }
}
