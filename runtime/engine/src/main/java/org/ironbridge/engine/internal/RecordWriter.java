package org.ironbridge.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.Jdbc;
import org.ironbridge.store.RecordRepository;
import org.ironbridge.store.RecordWrite;
import org.ironbridge.store.StoreException;
import org.ironbridge.store.StoredRecord;

/**
 * Writes source records into the record store: canonical form, deterministic ids, content hashes
 * (an unchanged record is not rewritten), deletions. Used by syncs (a page in the caller's
 * transaction) and by live writes (one record).
 */
final class RecordWriter {
    private static final int ATTEMPTS = 3;

    private final Canonical canonical;
    private final RecordRepository records;
    private final WebhookEvents events;

    RecordWriter(Canonical canonical, RecordRepository records) {
        this(canonical, records, null);
    }

    /**
     * @param events announces the records written, in their transactions; null for none
     */
    RecordWriter(Canonical canonical, RecordRepository records, WebhookEvents events) {
        this.canonical = canonical;
        this.records = records;
        this.events = events;
    }

    /** Writes to the store and announces the writes, in the caller's transaction. */
    private void write(
            Connection c, String connectionId, EntityType type, List<RecordWrite> writes, Instant t)
            throws SQLException {
        RecordRepository.write(c, connectionId, type.collection(), writes, t);
        if (events != null) {
            events.recordsWritten(c, connectionId, type.collection(), writes, t);
        }
    }

    /** What a page changed. */
    record Counts(int seen, int changed, int deleted) {}

    /**
     * A source record mapped ahead of its write (on another thread than the writing one): its
     * canonical form and its raw JSON.
     */
    record Mapped(Instant created, Instant updated, Canonical.Built built, String raw) {}

    /**
     * Maps the records of a page whose creation and update times the source gave (the others are
     * mapped when written, where their fallbacks are known). Needs no database: a sync maps the
     * next page while it writes this one.
     *
     * @return the mapped records by identity
     */
    Map<SourceRecord, Mapped> map(String connectionId, EntityType type, List<SourceRecord> page) {
        Map<SourceRecord, Mapped> out = new java.util.IdentityHashMap<>();
        for (SourceRecord r : page) {
            Instant created = micros(r.createdAt());
            Instant updated = micros(r.updatedAt());
            if (created == null || updated == null) {
                continue;
            }
            out.put(
                    r,
                    new Mapped(
                            created,
                            updated,
                            canonical.build(connectionId, type, r, created, updated, null),
                            r.raw() == null || r.raw().isNull() ? null : Json.write(r.raw())));
        }
        return out;
    }

    /**
     * Writes a page of source records and deletions in the caller's transaction.
     *
     * @return the counts for the run: records seen, records inserted or changed, records deleted
     */
    Counts writePage(
            Connection c,
            String connectionId,
            EntityType type,
            List<SourceRecord> page,
            List<String> deletedRemoteIds,
            Instant now)
            throws SQLException {
        return writePage(c, connectionId, type, page, deletedRemoteIds, now, Map.of());
    }

    /**
     * Writes a page of source records and deletions in the caller's transaction, using the records
     * mapped ahead ({@link #map}) where given.
     */
    Counts writePage(
            Connection c,
            String connectionId,
            EntityType type,
            List<SourceRecord> page,
            List<String> deletedRemoteIds,
            Instant now,
            Map<SourceRecord, Mapped> mapped)
            throws SQLException {
        Instant t = now.truncatedTo(ChronoUnit.MICROS);
        // the last occurrence of a remote id in a page wins
        Map<String, SourceRecord> byRemote = new LinkedHashMap<>();
        for (SourceRecord r : page) {
            byRemote.remove(r.remoteId());
            byRemote.put(r.remoteId(), r);
        }
        Set<String> deleted = new LinkedHashSet<>(deletedRemoteIds);
        Set<String> wanted = new LinkedHashSet<>(byRemote.keySet());
        wanted.addAll(deleted);
        Map<String, StoredRecord> existing =
                RecordRepository.byRemoteIds(c, connectionId, type.collection(), wanted);
        List<RecordWrite> writes = new ArrayList<>();
        for (SourceRecord r : byRemote.values()) {
            if (deleted.contains(r.remoteId())) {
                continue; // deleted in the same page: the deletion wins
            }
            StoredRecord old = existing.get(r.remoteId());
            Optional<RecordWrite> w = upsert(connectionId, type, r, old, t, mapped.get(r));
            if (w.isPresent()) {
                writes.add(w.get());
            }
        }
        int deletions = 0;
        for (String remoteId : deleted) {
            StoredRecord old = existing.get(remoteId);
            if (old == null || old.deletedAt() != null) {
                continue;
            }
            writes.add(deletion(type, old, t));
            deletions++;
        }
        write(c, connectionId, type, writes, t);
        return new Counts(page.size(), writes.size() - deletions, deletions);
    }

    /**
     * The write that stores a source record, or empty when the stored record has the same content.
     */
    Optional<RecordWrite> upsert(
            String connectionId, EntityType type, SourceRecord r, StoredRecord old, Instant now) {
        return upsert(connectionId, type, r, old, now, null);
    }

    private Optional<RecordWrite> upsert(
            String connectionId,
            EntityType type,
            SourceRecord r,
            StoredRecord old,
            Instant now,
            Mapped pre) {
        Instant created;
        Instant updated;
        Canonical.Built built;
        if (pre != null) {
            created = pre.created();
            updated = pre.updated();
            built = pre.built();
        } else {
            created = micros(r.createdAt());
            if (created == null) {
                created = old != null ? old.createdAt() : now;
            }
            Instant sourceUpdated = micros(r.updatedAt());
            updated = sourceUpdated != null ? sourceUpdated : now;
            built = canonical.build(connectionId, type, r, created, updated, null);
        }
        if (old != null && old.contentHash().equals(built.hash())) {
            // same content (updated_at is not part of the hash): not rewritten, not a change
            return Optional.empty();
        }
        String raw =
                pre != null
                        ? pre.raw()
                        : r.raw() == null || r.raw().isNull() ? null : Json.write(r.raw());
        return Optional.of(
                new RecordWrite(
                        old == null,
                        built.data().get("id").asText(),
                        r.remoteId(),
                        created,
                        updated,
                        null,
                        built.hash(),
                        built.json(),
                        raw,
                        built.filters()));
    }

    /**
     * Marks a stored record deleted: {@code deleted_at} is set and {@code updated_at} moves to the
     * deletion time (if later), so that clients polling by {@code modified_after} see deletions.
     */
    RecordWrite deletion(EntityType type, StoredRecord old, Instant now) {
        ObjectNode data = Json.readObject(old.data());
        data.put("deleted_at", Json.time(now));
        Instant updated = old.updatedAt().isAfter(now) ? old.updatedAt() : now;
        Canonical.Built built = canonical.seal(type, data, updated);
        return new RecordWrite(
                false,
                old.id(),
                old.remoteId(),
                old.createdAt(),
                updated,
                now,
                built.hash(),
                built.json(),
                old.raw(),
                built.filters());
    }

    /**
     * Stores one record a live write returned and gives its canonical form. Retries when a sync
     * inserted the same record concurrently.
     */
    ObjectNode writeOne(String connectionId, EntityType type, SourceRecord r, Instant now) {
        Instant t = now.truncatedTo(ChronoUnit.MICROS);
        for (int attempt = 1; ; attempt++) {
            try {
                return Jdbc.inTransaction(
                        records.dataSource(),
                        "store record",
                        c -> {
                            StoredRecord old =
                                    RecordRepository.byRemoteIds(
                                                    c,
                                                    connectionId,
                                                    type.collection(),
                                                    List.of(r.remoteId()))
                                            .get(r.remoteId());
                            Optional<RecordWrite> w = upsert(connectionId, type, r, old, t);
                            if (w.isEmpty()) {
                                return Json.readObject(old.data());
                            }
                            write(c, connectionId, type, List.of(w.get()), t);
                            return Json.readObject(w.get().data());
                        });
            } catch (StoreException e) {
                if (attempt >= ATTEMPTS || !Jdbc.isDuplicateKey(e)) {
                    throw e;
                }
            }
        }
    }

    /** Marks one record deleted (after a live delete); returns false if it was not stored. */
    boolean deleteOne(String connectionId, EntityType type, String remoteId, Instant now) {
        Instant t = now.truncatedTo(ChronoUnit.MICROS);
        return Jdbc.inTransaction(
                records.dataSource(),
                "mark record deleted",
                c -> {
                    StoredRecord old =
                            RecordRepository.byRemoteIds(
                                            c, connectionId, type.collection(), List.of(remoteId))
                                    .get(remoteId);
                    if (old == null || old.deletedAt() != null) {
                        return false;
                    }
                    write(c, connectionId, type, List.of(deletion(type, old, t)), t);
                    return true;
                });
    }

    private static Instant micros(Instant t) {
        return t == null ? null : t.truncatedTo(ChronoUnit.MICROS);
    }
}
