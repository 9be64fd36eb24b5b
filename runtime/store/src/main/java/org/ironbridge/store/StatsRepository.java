package org.ironbridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/** The per-connection minute statistics ({@code connection_minute_stats}). */
public final class StatsRepository {
    private static final String COLUMNS =
            "connection_id, minute_at, writer, api_requests, api_errors, api_server_errors,"
                    + " api_error_codes, api_latency, api_latency_max_us, source_calls,"
                    + " source_errors, source_rejected, source_last_ok_at, sync_runs,"
                    + " sync_failures, sync_duration_sum_ms, sync_duration_max_ms";

    /** Rows per JDBC batch. */
    static final int BATCH = 500;

    /** The largest number of connection ids in one {@code IN (...)} list. */
    static final int MAX_IDS = 500;

    private final DataSource ds;

    public StatsRepository(DataSource ds) {
        this.ds = ds;
    }

    /**
     * What a connection's source calls added up to since some time.
     *
     * @param calls calls sent to the source
     * @param errors those that failed on the source's side
     * @param lastOkAt the end of the last call that did not fail on the source's side, or null
     */
    public record SourceTotals(long calls, long errors, Instant lastOkAt) {}

    /** Inserts rows in batches, in one transaction. */
    public void insert(List<MinuteStatsRow> rows) {
        if (rows.isEmpty()) {
            return;
        }
        Jdbc.inTransaction(
                ds,
                "write connection statistics",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO connection_minute_stats ("
                                            + COLUMNS
                                            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                                            + " ?, ?, ?, ?)")) {
                        int pending = 0;
                        for (MinuteStatsRow r : rows) {
                            bind(ps, r);
                            ps.addBatch();
                            if (++pending == BATCH) {
                                ps.executeBatch();
                                pending = 0;
                            }
                        }
                        if (pending > 0) {
                            ps.executeBatch();
                        }
                    }
                    return null;
                });
    }

    private static void bind(PreparedStatement ps, MinuteStatsRow r) throws SQLException {
        int i = 1;
        ps.setString(i++, r.connectionId());
        ps.setLong(i++, Micros.of(r.minute()));
        ps.setString(i++, r.writer());
        ps.setInt(i++, r.apiRequests());
        ps.setInt(i++, r.apiErrors());
        ps.setInt(i++, r.apiServerErrors());
        Jdbc.setString(ps, i++, Jdbc.cut(r.apiErrorCodes(), 1000));
        Jdbc.setString(ps, i++, r.apiLatency());
        ps.setLong(i++, r.apiLatencyMaxUs());
        ps.setInt(i++, r.sourceCalls());
        ps.setInt(i++, r.sourceErrors());
        ps.setInt(i++, r.sourceRejected());
        if (r.sourceLastOkAt() == null) {
            ps.setNull(i++, Types.BIGINT);
        } else {
            ps.setLong(i++, Micros.of(r.sourceLastOkAt()));
        }
        ps.setInt(i++, r.syncRuns());
        ps.setInt(i++, r.syncFailures());
        ps.setLong(i++, r.syncDurationSumMs());
        ps.setLong(i, r.syncDurationMaxMs());
    }

    /**
     * The rows of a connection whose minute starts in {@code [from, to)}, oldest first (several per
     * minute when several processes served it).
     */
    public List<MinuteStatsRow> range(String connectionId, Instant from, Instant to) {
        return Jdbc.withConnection(
                ds,
                "read connection statistics",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + " FROM connection_minute_stats WHERE"
                                            + " connection_id = ? AND minute_at >= ? AND"
                                            + " minute_at < ? ORDER BY minute_at, writer")) {
                        ps.setString(1, connectionId);
                        ps.setLong(2, Micros.of(from));
                        ps.setLong(3, Micros.of(to));
                        List<MinuteStatsRow> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(map(rs));
                            }
                        }
                        return out;
                    }
                });
    }

    /**
     * The rows of every connection of an organization whose minute starts in {@code [from, to)},
     * oldest first (for organization-wide charts).
     */
    public List<MinuteStatsRow> rangeOfOrganization(
            String organizationId, Instant from, Instant to) {
        return Jdbc.withConnection(
                ds,
                "read organization statistics",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT s."
                                            + COLUMNS.replace(", ", ", s.")
                                            + " FROM connection_minute_stats s JOIN connections c"
                                            + " ON c.id = s.connection_id WHERE"
                                            + " c.organization_id = ? AND s.minute_at >= ? AND"
                                            + " s.minute_at < ? ORDER BY s.minute_at")) {
                        ps.setString(1, organizationId);
                        ps.setLong(2, Micros.of(from));
                        ps.setLong(3, Micros.of(to));
                        List<MinuteStatsRow> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(map(rs));
                            }
                        }
                        return out;
                    }
                });
    }

    /**
     * The source calls of each connection in the minutes that start at or after {@code since}; a
     * connection without rows there is absent.
     */
    public Map<String, SourceTotals> sourceTotals(Collection<String> connectionIds, Instant since) {
        if (connectionIds.isEmpty()) {
            return Map.of();
        }
        Map<String, SourceTotals> out = new HashMap<>();
        List<String> ids = List.copyOf(connectionIds);
        for (int from = 0; from < ids.size(); from += MAX_IDS) {
            List<String> chunk = ids.subList(from, Math.min(ids.size(), from + MAX_IDS));
            out.putAll(sourceTotalsOf(chunk, since));
        }
        return out;
    }

    private Map<String, SourceTotals> sourceTotalsOf(List<String> ids, Instant since) {
        return Jdbc.withConnection(
                ds,
                "sum source calls",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT connection_id, SUM(source_calls), SUM(source_errors),"
                                            + " MAX(source_last_ok_at) FROM"
                                            + " connection_minute_stats WHERE connection_id IN ("
                                            + String.join(
                                                    ", ", Collections.nCopies(ids.size(), "?"))
                                            + ") AND minute_at >= ? GROUP BY connection_id")) {
                        int i = 1;
                        for (String id : ids) {
                            ps.setString(i++, id);
                        }
                        ps.setLong(i, Micros.of(since));
                        Map<String, SourceTotals> out = new HashMap<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                long ok = rs.getLong(4);
                                Instant lastOk = rs.wasNull() ? null : Micros.toInstant(ok);
                                out.put(
                                        rs.getString(1),
                                        new SourceTotals(rs.getLong(2), rs.getLong(3), lastOk));
                            }
                        }
                        return out;
                    }
                });
    }

    /**
     * The end of the connection's last source call that did not fail on the source's side, as far
     * back as the rows go.
     */
    public Optional<Instant> lastSourceOk(String connectionId) {
        return Jdbc.withConnection(
                ds,
                "read the last source success",
                c -> {
                    // newest minutes first along the primary key: stops at the first hit
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT source_last_ok_at FROM connection_minute_stats WHERE"
                                            + " connection_id = ? AND source_last_ok_at IS NOT"
                                            + " NULL ORDER BY minute_at DESC LIMIT 1")) {
                        ps.setString(1, connectionId);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next()
                                    ? Optional.of(Micros.toInstant(rs.getLong(1)))
                                    : Optional.empty();
                        }
                    }
                });
    }

    /** Deletes the rows of minutes that start before {@code before}; returns how many. */
    public int deleteBefore(Instant before) {
        return Jdbc.withConnection(
                ds,
                "delete old connection statistics",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "DELETE FROM connection_minute_stats WHERE minute_at < ?")) {
                        ps.setLong(1, Micros.of(before));
                        return ps.executeUpdate();
                    }
                });
    }

    private static MinuteStatsRow map(ResultSet rs) throws SQLException {
        long ok = rs.getLong("source_last_ok_at");
        Instant lastOk = rs.wasNull() ? null : Micros.toInstant(ok);
        return new MinuteStatsRow(
                rs.getString("connection_id"),
                Micros.toInstant(rs.getLong("minute_at")),
                rs.getString("writer"),
                rs.getInt("api_requests"),
                rs.getInt("api_errors"),
                rs.getInt("api_server_errors"),
                rs.getString("api_error_codes"),
                rs.getString("api_latency"),
                rs.getLong("api_latency_max_us"),
                rs.getInt("source_calls"),
                rs.getInt("source_errors"),
                rs.getInt("source_rejected"),
                lastOk,
                rs.getInt("sync_runs"),
                rs.getInt("sync_failures"),
                rs.getLong("sync_duration_sum_ms"),
                rs.getLong("sync_duration_max_ms"));
    }
}
