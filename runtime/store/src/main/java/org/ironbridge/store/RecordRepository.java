package org.ironbridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The record store. Reads are single indexed queries; writes are JDBC batches, in the caller's
 * transaction where a {@link Connection} is passed (a sync page is written together with its
 * checkpoint).
 */
public final class RecordRepository {
    /** The longest filter value stored; longer values are not filterable. */
    public static final int MAX_FILTER_VALUE = 255;

    /**
     * The filter on a record's remote id ({@value}): answered from the {@code records} table's own
     * unique index on {@code remote_id}, so it has no {@code record_filters} rows (a write skips
     * it). A changed record rewrites all its filter rows (they carry its {@code updated_at}), each
     * at a random place of {@code ix_record_filters_lookup}; a row that repeats an indexed column
     * of the record only added to that.
     *
     * @since 0.3
     */
    public static final String REMOTE_ID_FILTER = "remote_id";

    private static final String BASE_COLUMNS =
            "id, remote_id, created_at, updated_at, deleted_at, content_hash, data";

    private static final org.slf4j.Logger LOG =
            org.slf4j.LoggerFactory.getLogger(RecordRepository.class);

    /** Ids per IN list: small enough for any driver, large enough for a sync page. */
    private static final int IN_CHUNK = 500;

    private final DataSource ds;

    public RecordRepository(DataSource ds) {
        this.ds = ds;
    }

    public DataSource dataSource() {
        return ds;
    }

    /** One record by its Ironbridge id: one primary key lookup. */
    public Optional<StoredRecord> get(
            String connectionId, String entity, String id, boolean withRaw) {
        return Jdbc.withConnection(
                ds,
                "read record",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + BASE_COLUMNS
                                            + (withRaw ? ", raw" : "")
                                            + " FROM records WHERE connection_id = ? AND entity ="
                                            + " ? AND id = ?")) {
                        ps.setString(1, connectionId);
                        ps.setString(2, entity);
                        ps.setString(3, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Optional.of(map(rs, withRaw)) : Optional.empty();
                        }
                    }
                });
    }

    /** A page of records; see {@link RecordListQuery}. */
    public List<StoredRecord> list(String connectionId, String entity, RecordListQuery q) {
        StringBuilder sql = new StringBuilder("SELECT ");
        List<Object> args = new ArrayList<>();
        List<Map.Entry<String, String>> filters = new ArrayList<>();
        String remoteId = null;
        for (Map.Entry<String, String> f : new TreeMap<>(q.filters()).entrySet()) {
            if (REMOTE_ID_FILTER.equals(f.getKey())) {
                remoteId = f.getValue();
            } else {
                filters.add(f);
            }
        }
        String order;
        String upd;
        String idc;
        if (filters.isEmpty()) {
            sql.append(BASE_COLUMNS).append(q.withRaw() ? ", raw" : "");
            sql.append(" FROM records r WHERE r.connection_id = ? AND r.entity = ?");
            args.add(connectionId);
            args.add(entity);
            upd = "r.updated_at";
            idc = "r.id";
        } else {
            // the first filter drives an ordered range scan of its index; others are checked per
            // row
            sql.append(prefixed(BASE_COLUMNS)).append(q.withRaw() ? ", r.raw" : "");
            sql.append(
                    " FROM record_filters f JOIN records r ON r.connection_id = f.connection_id"
                            + " AND r.entity = f.entity AND r.id = f.record_id WHERE"
                            + " f.connection_id = ? AND f.entity = ? AND f.field = ? AND"
                            + " f.field_value = ?");
            args.add(connectionId);
            args.add(entity);
            args.add(filters.get(0).getKey());
            args.add(filters.get(0).getValue());
            upd = "f.updated_at";
            idc = "f.record_id";
        }
        if (remoteId != null) {
            // at most one record: ux_records_remote alone, or checked on the filter's rows
            sql.append(" AND r.remote_id = ?");
            args.add(remoteId);
        }
        if (q.afterUpdatedAt() != null) {
            long t = Micros.of(q.afterUpdatedAt());
            sql.append(" AND ")
                    .append(upd)
                    .append(" >= ? AND (")
                    .append(upd)
                    .append(" > ? OR ")
                    .append(idc)
                    .append(" > ?)");
            args.add(t);
            args.add(t);
            args.add(q.afterId());
        }
        if (q.modifiedAfter() != null) {
            sql.append(" AND ").append(upd).append(" > ?");
            args.add(Micros.of(q.modifiedAfter()));
        }
        if (q.modifiedBefore() != null) {
            sql.append(" AND ").append(upd).append(" < ?");
            args.add(Micros.of(q.modifiedBefore()));
        }
        if (!q.includeDeleted()) {
            sql.append(" AND r.deleted_at IS NULL");
        }
        for (int i = 1; i < filters.size(); i++) {
            sql.append(
                    " AND EXISTS (SELECT 1 FROM record_filters g WHERE g.connection_id ="
                            + " r.connection_id AND g.entity = r.entity AND g.record_id = r.id"
                            + " AND g.field = ? AND g.field_value = ?)");
            args.add(filters.get(i).getKey());
            args.add(filters.get(i).getValue());
        }
        order = " ORDER BY " + upd + ", " + idc + " LIMIT ?";
        sql.append(order);
        args.add(q.limit());
        return Jdbc.withConnection(
                ds,
                "list records",
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                        for (int i = 0; i < args.size(); i++) {
                            ps.setObject(i + 1, args.get(i));
                        }
                        List<StoredRecord> out = new ArrayList<>(q.limit());
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(map(rs, q.withRaw()));
                            }
                        }
                        return out;
                    }
                });
    }

    /**
     * Delete reconciliation, mark phase: the records with these remote ids were listed by the
     * source at {@code at} ({@code seen_at}).
     */
    public void markSeen(
            String connectionId, String entity, Collection<String> remoteIds, Instant at) {
        if (remoteIds.isEmpty()) {
            return;
        }
        Jdbc.withConnection(
                ds,
                "mark records seen",
                c -> {
                    for (List<String> chunk : chunks(remoteIds)) {
                        try (PreparedStatement ps =
                                c.prepareStatement(
                                        "UPDATE records SET seen_at = ? WHERE connection_id = ?"
                                                + " AND entity = ? AND remote_id IN ("
                                                + marks(chunk.size())
                                                + ")")) {
                            ps.setLong(1, Micros.of(at));
                            ps.setString(2, connectionId);
                            ps.setString(3, entity);
                            for (int i = 0; i < chunk.size(); i++) {
                                ps.setString(i + 4, chunk.get(i));
                            }
                            ps.executeUpdate();
                        }
                    }
                    return null;
                });
    }

    /**
     * Delete reconciliation, sweep phase: live records that a listing which started at {@code
     * since} did not see and that were not written after it started, by remote id.
     */
    public List<String> unseenSince(String connectionId, String entity, Instant since, int limit) {
        return Jdbc.withConnection(
                ds,
                "find unseen records",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT remote_id FROM records WHERE connection_id = ? AND"
                                            + " entity = ? AND deleted_at IS NULL AND (seen_at IS"
                                            + " NULL OR seen_at < ?) AND stored_at < ? ORDER BY"
                                            + " remote_id LIMIT ?")) {
                        long t = Micros.of(since);
                        ps.setString(1, connectionId);
                        ps.setString(2, entity);
                        ps.setLong(3, t);
                        ps.setLong(4, t);
                        ps.setInt(5, limit);
                        List<String> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(rs.getString(1));
                            }
                        }
                        return out;
                    }
                });
    }

    /**
     * The remote ids of records by Ironbridge id (for translating references in writes); records
     * that do not exist or are deleted are absent from the result.
     */
    public Map<String, String> remoteIds(
            String connectionId, String entity, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Map.of();
        }
        return Jdbc.withConnection(
                ds,
                "look up records",
                c -> {
                    Map<String, String> out = new HashMap<>();
                    for (List<String> chunk : chunks(ids)) {
                        try (PreparedStatement ps =
                                c.prepareStatement(
                                        "SELECT id, remote_id FROM records WHERE connection_id = ?"
                                                + " AND entity = ? AND deleted_at IS NULL AND id"
                                                + " IN ("
                                                + marks(chunk.size())
                                                + ")")) {
                            ps.setString(1, connectionId);
                            ps.setString(2, entity);
                            for (int i = 0; i < chunk.size(); i++) {
                                ps.setString(i + 3, chunk.get(i));
                            }
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    out.put(rs.getString(1), rs.getString(2));
                                }
                            }
                        }
                    }
                    return out;
                });
    }

    /**
     * The stored records with the given remote ids, keyed by remote id, with their data but without
     * raw.
     */
    public static Map<String, StoredRecord> byRemoteIds(
            Connection c, String connectionId, String entity, Collection<String> remoteIds)
            throws SQLException {
        Map<String, StoredRecord> out = new HashMap<>();
        for (List<String> chunk : chunks(remoteIds)) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT "
                                    + BASE_COLUMNS
                                    + " FROM records WHERE connection_id = ? AND entity = ? AND"
                                    + " remote_id IN ("
                                    + marks(chunk.size())
                                    + ")")) {
                ps.setString(1, connectionId);
                ps.setString(2, entity);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 3, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        StoredRecord r = map(rs, false);
                        out.put(r.remoteId(), r);
                    }
                }
            }
        }
        return out;
    }

    /** Remote ids per warming query, and so per connection warming at once. */
    private static final int WARM_CHUNK = 125;

    private volatile Boolean mariaDb;

    /**
     * Brings into the database's cache the pages that writing (updating or deleting) these records
     * will touch: their rows and {@code ux_records_remote} entries, and their filter rows. Reads
     * only (autocommit, no locks), on several connections at once through {@code executor}, outside
     * the transaction that then writes the records: a sync page of records changed at random places
     * in a large store then costs a few parallel rounds of disk reads instead of one read at a time
     * inside its transaction. Records that are not stored yet cost one index lookup, and so do
     * stored records whose content hash is the given one (they are not rewritten). Only on MariaDB
     * (H2 databases are in memory); best effort: a failure is logged and ignored, the write reads
     * what it needs itself.
     *
     * @param hashes the new content hash by remote id; null where it is not known (or for a
     *     deletion): then the record is warmed if it is stored
     */
    public void warmForWrite(
            String connectionId,
            String entity,
            Map<String, String> hashes,
            java.util.concurrent.Executor executor) {
        if (hashes.isEmpty() || !isMariaDb()) {
            return;
        }
        List<String> all = new ArrayList<>(hashes.keySet());
        List<java.util.concurrent.CompletableFuture<Void>> running = new ArrayList<>();
        try {
            for (int i = 0; i < all.size(); i += WARM_CHUNK) {
                List<String> chunk = all.subList(i, Math.min(all.size(), i + WARM_CHUNK));
                running.add(
                        java.util.concurrent.CompletableFuture.runAsync(
                                () -> warmChunk(connectionId, entity, chunk, hashes), executor));
            }
            java.util.concurrent.CompletableFuture.allOf(
                            running.toArray(new java.util.concurrent.CompletableFuture<?>[0]))
                    .join();
        } catch (RuntimeException e) {
            // e.g. the executor was shut down, or a query failed
            LOG.debug("Warming the pages of a write failed; the write reads them itself", e);
        }
    }

    private boolean isMariaDb() {
        Boolean m = mariaDb;
        if (m == null) {
            m =
                    Jdbc.withConnection(
                            ds,
                            "read the database product",
                            c -> {
                                String product = c.getMetaData().getDatabaseProductName();
                                return product != null
                                        && (product.toLowerCase(java.util.Locale.ROOT)
                                                        .contains("mariadb")
                                                || product.toLowerCase(java.util.Locale.ROOT)
                                                        .contains("mysql"));
                            });
            mariaDb = m;
        }
        return m;
    }

    private void warmChunk(
            String connectionId,
            String entity,
            List<String> remoteIds,
            Map<String, String> hashes) {
        Jdbc.withConnection(
                ds,
                "warm the pages of a write",
                c -> {
                    // the rows (content_hash is not in ux_records_remote: the row is read too)
                    List<String[]> rows = new ArrayList<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT id, updated_at, content_hash, remote_id FROM records WHERE"
                                            + " connection_id = ? AND entity = ? AND remote_id IN ("
                                            + marks(remoteIds.size())
                                            + ")")) {
                        ps.setString(1, connectionId);
                        ps.setString(2, entity);
                        for (int i = 0; i < remoteIds.size(); i++) {
                            ps.setString(i + 3, remoteIds.get(i));
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                String hash = hashes.get(rs.getString(4));
                                if (hash == null || !hash.equals(rs.getString(3))) {
                                    // to be rewritten (or deleted)
                                    rows.add(new String[] {rs.getString(1), rs.getString(2)});
                                }
                            }
                        }
                    }
                    if (rows.isEmpty()) {
                        return null;
                    }
                    // their filter rows (the secondary index entries are not warmed: selecting them
                    // by many point ranges cost more CPU than the few disk reads it saved)
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT record_id, field, field_value, updated_at FROM"
                                            + " record_filters WHERE connection_id = ? AND entity"
                                            + " = ? AND record_id IN ("
                                            + marks(rows.size())
                                            + ")")) {
                        ps.setString(1, connectionId);
                        ps.setString(2, entity);
                        for (int i = 0; i < rows.size(); i++) {
                            ps.setString(i + 3, rows.get(i)[0]);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                // reading the rows brings their pages in
                            }
                        }
                    }
                    return null;
                });
    }

    /**
     * Writes records (JDBC batches) and replaces their filter values, in the caller's transaction.
     */
    public static void write(
            Connection c, String connectionId, String entity, List<RecordWrite> writes, Instant now)
            throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        long t = Micros.of(now);
        List<RecordWrite> updates = new ArrayList<>();
        try (PreparedStatement ins =
                c.prepareStatement(
                        "INSERT INTO records (connection_id, entity, id, remote_id, created_at,"
                                + " updated_at, deleted_at, content_hash, data, raw, stored_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            boolean any = false;
            for (RecordWrite w : writes) {
                if (!w.insert()) {
                    updates.add(w);
                    continue;
                }
                int i = 1;
                ins.setString(i++, connectionId);
                ins.setString(i++, entity);
                ins.setString(i++, w.id());
                ins.setString(i++, w.remoteId());
                ins.setLong(i++, Micros.of(w.createdAt()));
                ins.setLong(i++, Micros.of(w.updatedAt()));
                Jdbc.setMicros(ins, i++, w.deletedAt());
                ins.setString(i++, w.contentHash());
                ins.setString(i++, w.data());
                Jdbc.setString(ins, i++, w.raw());
                ins.setLong(i++, t);
                ins.addBatch();
                any = true;
            }
            if (any) {
                ins.executeBatch();
            }
        }
        // the filter rows to insert: all of a new record's, and those of an updated record whose
        // field is new or whose value changed
        List<Map.Entry<RecordWrite, Map<String, String>>> inserts = new ArrayList<>();
        for (RecordWrite w : writes) {
            if (w.insert()) {
                inserts.add(Map.entry(w, storedFilters(w)));
            }
        }
        if (!updates.isEmpty()) {
            try (PreparedStatement upd =
                    c.prepareStatement(
                            "UPDATE records SET remote_id = ?, created_at = ?, updated_at = ?,"
                                    + " deleted_at = ?, content_hash = ?, data = ?, raw ="
                                    + " COALESCE(?, raw), stored_at = ? WHERE connection_id = ? AND"
                                    + " entity = ? AND id = ?")) {
                for (RecordWrite w : updates) {
                    int i = 1;
                    upd.setString(i++, w.remoteId());
                    upd.setLong(i++, Micros.of(w.createdAt()));
                    upd.setLong(i++, Micros.of(w.updatedAt()));
                    Jdbc.setMicros(upd, i++, w.deletedAt());
                    upd.setString(i++, w.contentHash());
                    upd.setString(i++, w.data());
                    Jdbc.setString(upd, i++, w.raw());
                    upd.setLong(i++, t);
                    upd.setString(i++, connectionId);
                    upd.setString(i++, entity);
                    upd.setString(i++, w.id());
                    upd.addBatch();
                }
                upd.executeBatch();
            }
            // Most changes leave the filter values as they were (a note, a line, a date): those
            // rows only take the record's new updated_at, in place, instead of being deleted and
            // inserted again. Rows whose field is gone or whose value changed are deleted, and the
            // new values inserted. The stored rows are read after the records' rows were updated
            // (every writer of filter rows updates the record first, so none can change them now)
            // and with a locking read (the latest rows, not the transaction's snapshot).
            Map<String, Map<String, StoredFilter>> stored =
                    filterRows(c, connectionId, entity, updates);
            try (PreparedStatement del =
                            c.prepareStatement(
                                    "DELETE FROM record_filters WHERE connection_id = ? AND entity"
                                            + " = ? AND record_id = ? AND field = ?");
                    PreparedStatement moved =
                            c.prepareStatement(
                                    "UPDATE record_filters SET updated_at = ? WHERE connection_id"
                                            + " = ? AND entity = ? AND record_id = ?")) {
                boolean anyDel = false;
                boolean anyMoved = false;
                for (RecordWrite w : updates) {
                    long updated = Micros.of(w.updatedAt());
                    Map<String, String> wanted = storedFilters(w);
                    Map<String, StoredFilter> old = stored.getOrDefault(w.id(), Map.of());
                    Map<String, String> added = new java.util.LinkedHashMap<>();
                    boolean keptStale = false;
                    for (Map.Entry<String, String> f : wanted.entrySet()) {
                        StoredFilter row = old.get(f.getKey());
                        if (row == null || !f.getValue().equals(row.value())) {
                            added.put(f.getKey(), f.getValue());
                        } else if (row.updatedAt() != updated) {
                            keptStale = true;
                        }
                    }
                    for (Map.Entry<String, StoredFilter> f : old.entrySet()) {
                        String value = wanted.get(f.getKey());
                        if (value == null || !value.equals(f.getValue().value())) {
                            del.setString(1, connectionId);
                            del.setString(2, entity);
                            del.setString(3, w.id());
                            del.setString(4, f.getKey());
                            del.addBatch();
                            anyDel = true;
                        }
                    }
                    if (keptStale) {
                        moved.setLong(1, updated);
                        moved.setString(2, connectionId);
                        moved.setString(3, entity);
                        moved.setString(4, w.id());
                        moved.addBatch();
                        anyMoved = true;
                    }
                    inserts.add(Map.entry(w, added));
                }
                // deleted before the others move, so that the move touches only the rows kept
                if (anyDel) {
                    del.executeBatch();
                }
                if (anyMoved) {
                    moved.executeBatch();
                }
            }
        }
        try (PreparedStatement ins =
                c.prepareStatement(
                        "INSERT INTO record_filters (connection_id, entity, record_id, field,"
                                + " field_value, updated_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            boolean any = false;
            for (Map.Entry<RecordWrite, Map<String, String>> e : inserts) {
                RecordWrite w = e.getKey();
                for (Map.Entry<String, String> f : e.getValue().entrySet()) {
                    ins.setString(1, connectionId);
                    ins.setString(2, entity);
                    ins.setString(3, w.id());
                    ins.setString(4, f.getKey());
                    ins.setString(5, f.getValue());
                    ins.setLong(6, Micros.of(w.updatedAt()));
                    ins.addBatch();
                    any = true;
                }
            }
            if (any) {
                ins.executeBatch();
            }
        }
    }

    /**
     * The filter rows a record should have: its filter values but those longer than {@link
     * #MAX_FILTER_VALUE}, null ones and {@link #REMOTE_ID_FILTER}.
     */
    private static Map<String, String> storedFilters(RecordWrite w) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, String> f : w.filters().entrySet()) {
            if (f.getValue() != null
                    && f.getValue().length() <= MAX_FILTER_VALUE
                    && !REMOTE_ID_FILTER.equals(f.getKey())) {
                out.put(f.getKey(), f.getValue());
            }
        }
        return out;
    }

    /** A stored filter row's value and {@code updated_at} (epoch microseconds). */
    private record StoredFilter(String value, long updatedAt) {}

    /**
     * The stored filter rows of these records: record id → field → row, with a locking read in the
     * writing transaction (the write locks these rows anyway).
     */
    private static Map<String, Map<String, StoredFilter>> filterRows(
            Connection c, String connectionId, String entity, List<RecordWrite> records)
            throws SQLException {
        List<String> ids = new ArrayList<>(records.size());
        for (RecordWrite w : records) {
            ids.add(w.id());
        }
        Map<String, Map<String, StoredFilter>> out = new HashMap<>();
        for (List<String> chunk : chunks(ids)) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT record_id, field, field_value, updated_at FROM record_filters"
                                    + " WHERE connection_id = ? AND entity = ? AND record_id IN ("
                                    + marks(chunk.size())
                                    + ") FOR UPDATE")) {
                ps.setString(1, connectionId);
                ps.setString(2, entity);
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 3, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.computeIfAbsent(rs.getString(1), k -> new HashMap<>())
                                .put(
                                        rs.getString(2),
                                        new StoredFilter(rs.getString(3), rs.getLong(4)));
                    }
                }
            }
        }
        return out;
    }

    /** Writes records in a transaction of their own. */
    public void write(String connectionId, String entity, List<RecordWrite> writes, Instant now) {
        Jdbc.inTransaction(
                ds,
                "write records",
                c -> {
                    write(c, connectionId, entity, writes, now);
                    return null;
                });
    }

    /** Deletes every stored record of a connection (purge). */
    public int purge(String connectionId) {
        return Jdbc.inTransaction(
                ds,
                "purge records",
                c -> {
                    try (PreparedStatement f =
                                    c.prepareStatement(
                                            "DELETE FROM record_filters WHERE connection_id = ?");
                            PreparedStatement r =
                                    c.prepareStatement(
                                            "DELETE FROM records WHERE connection_id = ?")) {
                        f.setString(1, connectionId);
                        f.executeUpdate();
                        r.setString(1, connectionId);
                        return r.executeUpdate();
                    }
                });
    }

    /** The number of stored records of an entity of a connection, deleted ones included. */
    public long count(String connectionId, String entity) {
        return Jdbc.withConnection(
                ds,
                "count records",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT COUNT(*) FROM records WHERE connection_id = ? AND"
                                            + " entity = ?")) {
                        ps.setString(1, connectionId);
                        ps.setString(2, entity);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getLong(1);
                        }
                    }
                });
    }

    private static String prefixed(String columns) {
        StringBuilder sb = new StringBuilder();
        for (String col : columns.split(",")) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append("r.").append(col.trim());
        }
        return sb.toString();
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }

    private static List<List<String>> chunks(Collection<String> values) {
        List<String> all = new ArrayList<>(new LinkedHashSet<>(values));
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
        }
        return out;
    }

    private static StoredRecord map(ResultSet rs, boolean withRaw) throws SQLException {
        return new StoredRecord(
                rs.getString("id"),
                rs.getString("remote_id"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"),
                Jdbc.instant(rs, "deleted_at"),
                rs.getString("content_hash"),
                rs.getString("data"),
                withRaw ? rs.getString("raw") : null);
    }
}
