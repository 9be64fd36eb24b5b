package org.ironbridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The request log (tables {@code request_logs} and {@code request_log_calls}): batches of entries
 * written by the engine's log writer, listed newest first with filters, read whole by request id,
 * and deleted after the retention period.
 *
 * <p>Entry ids are numbers from the sequence {@code request_log_ids}, taken in blocks of {@link
 * #ID_BLOCK}: unique across nodes, but in time order only per node. Listings are ordered by start
 * time, then id.
 */
public final class RequestLogRepository {
    /** Longest text kept for columns that are not bodies. */
    static final int MAX_PATH = 2000;

    static final int MAX_QUERY = 4000;
    static final int MAX_URL = 4000;
    static final int MAX_ERROR = 1000;
    static final int MAX_REQUEST_ID = 128;

    /** How many ids one {@code NEXT VALUE FOR request_log_ids} reserves (the sequence's step). */
    static final int ID_BLOCK = 1000;

    private static final String COLUMNS =
            "id, organization_id, connection_id, request_id, started_at, duration_us, method, path,"
                    + " query, status, error_code, request_body_size, response_body_size,"
                    + " request_body_truncated, response_body_truncated, bodies_dropped,"
                    + " source_call_count";
    private static final String DETAIL_COLUMNS =
            COLUMNS + ", request_headers, response_headers, request_body, response_body";

    /**
     * One logged request.
     *
     * @param id the entry's id, assigned when it is written (ignored by {@link #insert})
     * @param requestHeaders the request headers as a JSON object, redacted; null in listings
     * @param requestBody the request body as text, cut and redacted; null without one and in
     *     listings
     * @param requestBodySize the whole request body's size in bytes; null without a body
     * @param bodiesDropped whether the bodies were dropped because the log queue was under pressure
     * @param sourceCalls the outbound calls to the source, in order; empty in listings
     */
    public record Entry(
            long id,
            String organizationId,
            String connectionId,
            String requestId,
            Instant startedAt,
            long durationMicros,
            String method,
            String path,
            String query,
            int status,
            String errorCode,
            String requestHeaders,
            String requestBody,
            Long requestBodySize,
            boolean requestBodyTruncated,
            String responseHeaders,
            String responseBody,
            Long responseBodySize,
            boolean responseBodyTruncated,
            boolean bodiesDropped,
            int sourceCallCount,
            List<SourceCall> sourceCalls) {}

    /**
     * One outbound call to the source.
     *
     * @param url without user info, secret-looking query parameters redacted
     * @param status the source's HTTP status; null when no response came
     * @param error why no response came (timeout, refused ...); null otherwise
     */
    public record SourceCall(
            Instant startedAt,
            long durationMicros,
            String method,
            String url,
            Integer status,
            String error) {}

    /**
     * Filters of a listing; null fields do not filter. Results are newest first.
     *
     * @param statusFrom with {@code statusTo}: the status range [from, to) (one status or a class
     *     like 500..600)
     * @param text a substring of the path, query, request id or error code
     * @param beforeStartedAt with {@code beforeId}, the cursor: only entries listed after the entry
     *     with this start time and id
     */
    public record Query(
            String organizationId,
            String connectionId,
            Integer statusFrom,
            Integer statusTo,
            String errorCode,
            Instant since,
            Instant until,
            String text,
            Instant beforeStartedAt,
            Long beforeId,
            int limit) {}

    private final DataSource ds;

    /** The next free id of the reserved block, and the end of the block (exclusive). */
    private long nextId;

    private long idLimit;

    public RequestLogRepository(DataSource ds) {
        this.ds = ds;
    }

    /**
     * Writes a batch of entries and their source calls, giving each entry a new id. Meant for one
     * writer thread (ids are reserved per repository).
     */
    public synchronized void insert(List<Entry> entries) {
        if (entries.isEmpty()) {
            return;
        }
        Jdbc.inTransaction(
                ds,
                "write request log entries",
                c -> {
                    long[] ids = new long[entries.size()];
                    for (int i = 0; i < ids.length; i++) {
                        if (nextId >= idLimit) {
                            nextId = reserveIds(c);
                            idLimit = nextId + ID_BLOCK;
                        }
                        ids[i] = nextId++;
                    }
                    insertEntries(c, entries, ids);
                    insertCalls(c, entries, ids);
                    return null;
                });
    }

    private static long reserveIds(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT NEXT VALUE FOR request_log_ids");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void insertEntries(Connection c, List<Entry> entries, long[] ids)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO request_logs ("
                                + DETAIL_COLUMNS
                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                + " ?, ?, ?, ?)")) {
            for (int i = 0; i < ids.length; i++) {
                Entry e = entries.get(i);
                ps.setLong(1, ids[i]);
                ps.setString(2, e.organizationId());
                Jdbc.setString(ps, 3, e.connectionId());
                ps.setString(4, Jdbc.cut(e.requestId(), MAX_REQUEST_ID));
                ps.setLong(5, Micros.of(e.startedAt()));
                ps.setLong(6, e.durationMicros());
                ps.setString(7, e.method());
                ps.setString(8, Jdbc.cut(e.path(), MAX_PATH));
                Jdbc.setString(ps, 9, Jdbc.cut(e.query(), MAX_QUERY));
                ps.setInt(10, e.status());
                Jdbc.setString(ps, 11, Jdbc.cut(e.errorCode(), 40));
                setLong(ps, 12, e.requestBodySize());
                setLong(ps, 13, e.responseBodySize());
                ps.setInt(14, e.requestBodyTruncated() ? 1 : 0);
                ps.setInt(15, e.responseBodyTruncated() ? 1 : 0);
                ps.setInt(16, e.bodiesDropped() ? 1 : 0);
                ps.setInt(17, e.sourceCalls().size());
                Jdbc.setString(ps, 18, e.requestHeaders());
                Jdbc.setString(ps, 19, e.responseHeaders());
                Jdbc.setString(ps, 20, e.requestBody());
                Jdbc.setString(ps, 21, e.responseBody());
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static void insertCalls(Connection c, List<Entry> entries, long[] ids)
            throws SQLException {
        boolean any = false;
        for (Entry e : entries) {
            any |= !e.sourceCalls().isEmpty();
        }
        if (!any) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO request_log_calls (log_id, seq, started_at, duration_us,"
                                + " method, url, status, error) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (int i = 0; i < ids.length; i++) {
                int seq = 0;
                for (SourceCall call : entries.get(i).sourceCalls()) {
                    ps.setLong(1, ids[i]);
                    ps.setInt(2, seq++);
                    ps.setLong(3, Micros.of(call.startedAt()));
                    ps.setLong(4, call.durationMicros());
                    ps.setString(5, Jdbc.cut(call.method(), 16));
                    ps.setString(6, Jdbc.cut(call.url(), MAX_URL));
                    if (call.status() == null) {
                        ps.setNull(7, Types.INTEGER);
                    } else {
                        ps.setInt(7, call.status());
                    }
                    Jdbc.setString(ps, 8, Jdbc.cut(call.error(), MAX_ERROR));
                    ps.addBatch();
                }
            }
            ps.executeBatch();
        }
    }

    /**
     * Entries of an organization matching the query, newest first, without headers, bodies and
     * source calls (their count is there). Asks for {@code limit} rows: callers ask one more than a
     * page to know whether another follows.
     */
    public List<Entry> list(Query q) {
        StringBuilder sql =
                new StringBuilder("SELECT ")
                        .append(COLUMNS)
                        .append(" FROM request_logs WHERE organization_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(q.organizationId());
        if (q.connectionId() != null) {
            sql.append(" AND connection_id = ?");
            args.add(q.connectionId());
        }
        if (q.statusFrom() != null) {
            sql.append(" AND status >= ? AND status < ?");
            args.add(q.statusFrom());
            args.add(q.statusTo());
        }
        if (q.errorCode() != null) {
            sql.append(" AND error_code = ?");
            args.add(q.errorCode());
        }
        if (q.since() != null) {
            sql.append(" AND started_at >= ?");
            args.add(Micros.of(q.since()));
        }
        if (q.until() != null) {
            sql.append(" AND started_at < ?");
            args.add(Micros.of(q.until()));
        }
        if (q.beforeStartedAt() != null) {
            long at = Micros.of(q.beforeStartedAt());
            sql.append(" AND (started_at < ? OR (started_at = ? AND id < ?))");
            args.add(at);
            args.add(at);
            args.add(q.beforeId());
        }
        if (q.text() != null && !q.text().isEmpty()) {
            String like = "%" + escapeLike(q.text()) + "%";
            sql.append(
                    " AND (path LIKE ? ESCAPE '!' OR query LIKE ? ESCAPE '!' OR request_id LIKE ?"
                            + " ESCAPE '!' OR error_code LIKE ? ESCAPE '!')");
            for (int i = 0; i < 4; i++) {
                args.add(like);
            }
        }
        sql.append(" ORDER BY started_at DESC, id DESC LIMIT ?");
        args.add(q.limit());
        return Jdbc.withConnection(
                ds,
                "list request log entries",
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                        for (int i = 0; i < args.size(); i++) {
                            Object a = args.get(i);
                            if (a instanceof Integer n) {
                                ps.setInt(i + 1, n);
                            } else if (a instanceof Long n) {
                                ps.setLong(i + 1, n);
                            } else {
                                ps.setString(i + 1, (String) a);
                            }
                        }
                        List<Entry> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(entry(rs, false, List.of()));
                            }
                        }
                        return out;
                    }
                });
    }

    /**
     * The newest entry of an organization with this request id, whole: headers, bodies and source
     * calls.
     */
    public Optional<Entry> find(String organizationId, String requestId) {
        return Jdbc.withConnection(
                ds,
                "read a request log entry",
                c -> {
                    Entry head;
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + DETAIL_COLUMNS
                                            + " FROM request_logs WHERE organization_id = ? AND"
                                            + " request_id = ? ORDER BY started_at DESC, id DESC"
                                            + " LIMIT 1")) {
                        ps.setString(1, organizationId);
                        ps.setString(2, requestId);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                return Optional.empty();
                            }
                            head = entry(rs, true, List.of());
                        }
                    }
                    List<SourceCall> calls = new ArrayList<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT started_at, duration_us, method, url, status, error"
                                            + " FROM request_log_calls WHERE log_id = ? ORDER BY"
                                            + " seq")) {
                        ps.setLong(1, head.id());
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                calls.add(
                                        new SourceCall(
                                                Micros.toInstant(rs.getLong("started_at")),
                                                rs.getLong("duration_us"),
                                                rs.getString("method"),
                                                rs.getString("url"),
                                                Jdbc.integer(rs, "status"),
                                                rs.getString("error")));
                            }
                        }
                    }
                    return Optional.of(withCalls(head, calls));
                });
    }

    /**
     * Deletes the entries started before {@code cutoff}, with their source calls: organization by
     * organization, {@code batch} entries per transaction.
     *
     * @return how many entries were deleted
     */
    public int deleteBefore(Instant cutoff, int batch) {
        List<String> organizations =
                Jdbc.withConnection(
                        ds,
                        "list organizations",
                        c -> {
                            List<String> out = new ArrayList<>();
                            try (PreparedStatement ps =
                                            c.prepareStatement("SELECT id FROM organizations");
                                    ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    out.add(rs.getString(1));
                                }
                            }
                            return out;
                        });
        int total = 0;
        for (String org : organizations) {
            int n;
            do {
                n = deleteBatch(org, Micros.of(cutoff), batch);
                total += n;
            } while (n == batch);
        }
        return total;
    }

    private int deleteBatch(String organizationId, long cutoffMicros, int batch) {
        return Jdbc.inTransaction(
                ds,
                "delete old request log entries",
                c -> {
                    List<Long> ids = new ArrayList<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT id FROM request_logs WHERE organization_id = ? AND"
                                            + " started_at < ? ORDER BY started_at LIMIT ?")) {
                        ps.setString(1, organizationId);
                        ps.setLong(2, cutoffMicros);
                        ps.setInt(3, batch);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getLong(1));
                            }
                        }
                    }
                    if (ids.isEmpty()) {
                        return 0;
                    }
                    String in = "?" + ",?".repeat(ids.size() - 1);
                    for (String sql :
                            List.of(
                                    "DELETE FROM request_log_calls WHERE log_id IN (" + in + ")",
                                    "DELETE FROM request_logs WHERE id IN (" + in + ")")) {
                        try (PreparedStatement ps = c.prepareStatement(sql)) {
                            for (int i = 0; i < ids.size(); i++) {
                                ps.setLong(i + 1, ids.get(i));
                            }
                            ps.executeUpdate();
                        }
                    }
                    return ids.size();
                });
    }

    private static Entry entry(ResultSet rs, boolean detail, List<SourceCall> calls)
            throws SQLException {
        return new Entry(
                rs.getLong("id"),
                rs.getString("organization_id"),
                rs.getString("connection_id"),
                rs.getString("request_id"),
                Micros.toInstant(rs.getLong("started_at")),
                rs.getLong("duration_us"),
                rs.getString("method"),
                rs.getString("path"),
                rs.getString("query"),
                rs.getInt("status"),
                rs.getString("error_code"),
                detail ? rs.getString("request_headers") : null,
                detail ? rs.getString("request_body") : null,
                longOrNull(rs, "request_body_size"),
                rs.getInt("request_body_truncated") != 0,
                detail ? rs.getString("response_headers") : null,
                detail ? rs.getString("response_body") : null,
                longOrNull(rs, "response_body_size"),
                rs.getInt("response_body_truncated") != 0,
                rs.getInt("bodies_dropped") != 0,
                rs.getInt("source_call_count"),
                calls);
    }

    private static Entry withCalls(Entry e, List<SourceCall> calls) {
        return new Entry(
                e.id(),
                e.organizationId(),
                e.connectionId(),
                e.requestId(),
                e.startedAt(),
                e.durationMicros(),
                e.method(),
                e.path(),
                e.query(),
                e.status(),
                e.errorCode(),
                e.requestHeaders(),
                e.requestBody(),
                e.requestBodySize(),
                e.requestBodyTruncated(),
                e.responseHeaders(),
                e.responseBody(),
                e.responseBodySize(),
                e.responseBodyTruncated(),
                e.bodiesDropped(),
                e.sourceCallCount(),
                List.copyOf(calls));
    }

    private static Long longOrNull(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : v;
    }

    private static void setLong(PreparedStatement ps, int index, Long v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, v);
        }
    }

    /** Escapes LIKE wildcards with {@code !} (the ESCAPE character used above). */
    static String escapeLike(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
