package org.ironbridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import javax.sql.DataSource;

/** Connections, their status history and the credits they consume. */
public final class ConnectionRepository {
    static final String COLUMNS =
            "id, organization_id, system, customer_id, name, deployment, agent_id, status,"
                    + " status_reason, status_changed_at, credits, token_hash, token_hint,"
                    + " credentials, sync_initial_days, sync_interval_seconds, sync_entities,"
                    + " created_at, disconnected_at, purged_at, replaced_by, sync_reconcile_seconds";

    private final DataSource ds;
    private final ChangeListener listener;

    public ConnectionRepository(DataSource ds) {
        this(ds, ChangeListener.NONE);
    }

    /**
     * A repository that tells the listener of the connections it creates and of their status
     * changes, in the transactions that make them.
     *
     * @since 0.2
     */
    public ConnectionRepository(DataSource ds, ChangeListener listener) {
        this.ds = ds;
        this.listener = listener;
    }

    /** The outcome of {@link #create}. */
    public sealed interface CreateResult {}

    /** The connection was stored. */
    public record Created(ConnectionRow connection) implements CreateResult {}

    /** The organization's free credits do not cover the connection. */
    public record InsufficientCredits(int pool, int used) implements CreateResult {}

    /** There is no such organization. */
    public record NoOrganization() implements CreateResult {}

    /**
     * Stores a new connection in one transaction: checks the organization's credits under a lock of
     * its row (so concurrent creates, also on other nodes, cannot overspend), inserts the
     * connection, its first status history entry and, for each entity to sync, its sync state with
     * a queued initial run due at once.
     *
     * @param entities the entity collections to sync
     * @param runIds makes the ids of the queued runs
     */
    public CreateResult create(
            ConnectionRow row, Collection<String> entities, Supplier<String> runIds) {
        return create(row, entities, runIds, null);
    }

    /**
     * Like {@link #create(ConnectionRow, Collection, Supplier)}, for a connection that replaces
     * another (reconnect): the credits of the replaced connection are counted as free.
     *
     * @param replacing the id of the connection being replaced, or null
     */
    public CreateResult create(
            ConnectionRow row,
            Collection<String> entities,
            Supplier<String> runIds,
            String replacing) {
        return Jdbc.inTransaction(
                ds,
                "create connection",
                c -> {
                    Integer pool = null;
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT credit_pool FROM organizations WHERE id = ? FOR UPDATE")) {
                        ps.setString(1, row.organizationId());
                        try (ResultSet rs = ps.executeQuery()) {
                            if (rs.next()) {
                                pool = rs.getInt(1);
                            }
                        }
                    }
                    if (pool == null) {
                        return new NoOrganization();
                    }
                    int used = creditsUsed(c, row.organizationId());
                    if (replacing != null) {
                        used -= creditsOf(c, replacing);
                    }
                    if (pool - used < row.credits()) {
                        return new InsufficientCredits(pool, used);
                    }
                    insert(c, row);
                    addHistory(c, row.id(), row.status(), row.statusReason(), row.createdAt());
                    SyncRepository.initialize(c, row.id(), entities, row.createdAt(), runIds);
                    listener.connectionCreated(c, row);
                    return new Created(row);
                });
    }

    private static void insert(Connection c, ConnectionRow r) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO connections ("
                                + COLUMNS
                                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 1;
            ps.setString(i++, r.id());
            ps.setString(i++, r.organizationId());
            ps.setString(i++, r.system());
            ps.setString(i++, r.customerId());
            ps.setString(i++, r.name());
            ps.setString(i++, r.deployment());
            Jdbc.setString(ps, i++, r.agentId());
            ps.setString(i++, r.status());
            Jdbc.setString(ps, i++, r.statusReason());
            Jdbc.setMicros(ps, i++, r.statusChangedAt());
            ps.setInt(i++, r.credits());
            ps.setString(i++, r.tokenHash());
            ps.setString(i++, r.tokenHint());
            ps.setString(i++, r.credentials());
            ps.setInt(i++, r.syncInitialDays());
            ps.setInt(i++, r.syncIntervalSeconds());
            ps.setString(i++, String.join(",", r.syncEntities()));
            Jdbc.setMicros(ps, i++, r.createdAt());
            Jdbc.setMicros(ps, i++, r.disconnectedAt());
            Jdbc.setMicros(ps, i++, r.purgedAt());
            Jdbc.setString(ps, i++, r.replacedBy());
            ps.setInt(i++, r.syncReconcileSeconds());
            ps.executeUpdate();
        }
    }

    private static void addHistory(
            Connection c, String connectionId, String status, String reason, Instant at)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO connection_status_history (connection_id, status, reason,"
                                + " changed_at) VALUES (?, ?, ?, ?)")) {
            ps.setString(1, connectionId);
            ps.setString(2, status);
            Jdbc.setString(ps, 3, Jdbc.cut(reason, 1000));
            ps.setLong(4, Micros.of(at));
            ps.executeUpdate();
        }
    }

    /** Credits consumed by the organization's connections that are not disconnected. */
    public int creditsUsed(String organizationId) {
        return Jdbc.withConnection(ds, "sum credits", c -> creditsUsed(c, organizationId));
    }

    private static int creditsUsed(Connection c, String organizationId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT COALESCE(SUM(credits), 0) FROM connections"
                                + " WHERE organization_id = ? AND disconnected_at IS NULL")) {
            ps.setString(1, organizationId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    private static int creditsOf(Connection c, String connectionId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT credits FROM connections WHERE id = ? AND disconnected_at IS"
                                + " NULL")) {
            ps.setString(1, connectionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        }
    }

    public Optional<ConnectionRow> find(String id) {
        return one("SELECT " + COLUMNS + " FROM connections WHERE id = ?", id);
    }

    /** A connection of the organization; another organization's connection is not found. */
    public Optional<ConnectionRow> find(String organizationId, String id) {
        return one(
                "SELECT " + COLUMNS + " FROM connections WHERE id = ? AND organization_id = ?",
                id,
                organizationId);
    }

    public Optional<ConnectionRow> findByTokenHash(String tokenHash) {
        return one("SELECT " + COLUMNS + " FROM connections WHERE token_hash = ?", tokenHash);
    }

    /** Whether the organization has (or had) a connection to the system. */
    public boolean hasSystem(String organizationId, String system) {
        return Jdbc.withConnection(
                ds,
                "look up connections",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT 1 FROM connections WHERE organization_id = ? AND"
                                            + " system = ? LIMIT 1")) {
                        ps.setString(1, organizationId);
                        ps.setString(2, system);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next();
                        }
                    }
                });
    }

    /**
     * A page of the organization's connections, newest first ({@code created_at} then {@code id}
     * descending), filtered by the non-null arguments.
     *
     * @param beforeCreatedAt with {@code beforeId}: the keyset position of the previous page's last
     *     row, or null for the first page
     */
    public List<ConnectionRow> list(
            String organizationId,
            String customerId,
            String system,
            String status,
            Instant beforeCreatedAt,
            String beforeId,
            int limit) {
        StringBuilder sql =
                new StringBuilder(
                        "SELECT " + COLUMNS + " FROM connections WHERE organization_id = ?");
        List<Object> args = new ArrayList<>();
        args.add(organizationId);
        if (customerId != null) {
            sql.append(" AND customer_id = ?");
            args.add(customerId);
        }
        if (system != null) {
            sql.append(" AND system = ?");
            args.add(system);
        }
        if (status != null) {
            sql.append(" AND status = ?");
            args.add(status);
        }
        if (beforeCreatedAt != null) {
            long t = Micros.of(beforeCreatedAt);
            sql.append(" AND created_at <= ? AND (created_at < ? OR id < ?)");
            args.add(t);
            args.add(t);
            args.add(beforeId);
        }
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
        args.add(limit);
        return Jdbc.withConnection(
                ds,
                "list connections",
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
                        for (int i = 0; i < args.size(); i++) {
                            ps.setObject(i + 1, args.get(i));
                        }
                        List<ConnectionRow> out = new ArrayList<>();
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
     * Changes the status of a connection if its current status is one of {@code from}, and records
     * the change in the history, in one transaction.
     *
     * @return whether the status changed
     */
    public boolean changeStatus(
            String id, Set<String> from, String to, String reason, Instant now) {
        if (from.isEmpty()) {
            return false;
        }
        return Jdbc.inTransaction(
                ds,
                "change connection status",
                c -> {
                    // the row as it was, locked until the change commits
                    ConnectionRow before;
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + " FROM connections WHERE id = ? FOR UPDATE")) {
                        ps.setString(1, id);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                return false;
                            }
                            before = map(rs);
                        }
                    }
                    if (!from.contains(before.status())) {
                        return false;
                    }
                    String marks =
                            String.join(", ", java.util.Collections.nCopies(from.size(), "?"));
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE connections SET status = ?, status_reason = ?,"
                                            + " status_changed_at = ?"
                                            + (ConnectionRow.DISCONNECTED.equals(to)
                                                    ? ", disconnected_at = ?"
                                                    : "")
                                            + " WHERE id = ? AND status IN ("
                                            + marks
                                            + ")")) {
                        int i = 1;
                        ps.setString(i++, to);
                        Jdbc.setString(ps, i++, Jdbc.cut(reason, 1000));
                        ps.setLong(i++, Micros.of(now));
                        if (ConnectionRow.DISCONNECTED.equals(to)) {
                            ps.setLong(i++, Micros.of(now));
                        }
                        ps.setString(i++, id);
                        for (String s : from) {
                            ps.setString(i++, s);
                        }
                        if (ps.executeUpdate() == 0) {
                            return false;
                        }
                    }
                    addHistory(c, id, to, reason, now);
                    listener.statusChanged(c, before, to, reason, now);
                    return true;
                });
    }

    /** The status history of a connection, oldest first. */
    public List<StatusChange> statusHistory(String connectionId) {
        return Jdbc.withConnection(
                ds,
                "read status history",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT status, reason, changed_at FROM"
                                            + " connection_status_history WHERE connection_id = ?"
                                            + " ORDER BY changed_at, id")) {
                        ps.setString(1, connectionId);
                        List<StatusChange> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(
                                        new StatusChange(
                                                rs.getString(1),
                                                rs.getString(2),
                                                Micros.toInstant(rs.getLong(3))));
                            }
                        }
                        return out;
                    }
                });
    }

    /** Records that a disconnected connection's records were purged. */
    public void markPurged(String id, Instant now) {
        Jdbc.withConnection(
                ds,
                "mark connection purged",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE connections SET purged_at = ? WHERE id = ?")) {
                        ps.setLong(1, Micros.of(now));
                        ps.setString(2, id);
                        return ps.executeUpdate();
                    }
                });
    }

    /** Records the connection that replaced a disconnected one. */
    public void markReplaced(String id, String replacement) {
        Jdbc.withConnection(
                ds,
                "mark connection replaced",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE connections SET replaced_by = ? WHERE id = ?")) {
                        ps.setString(1, replacement);
                        ps.setString(2, id);
                        return ps.executeUpdate();
                    }
                });
    }

    private Optional<ConnectionRow> one(String sql, String... args) {
        return Jdbc.withConnection(
                ds,
                "read connection",
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (int i = 0; i < args.length; i++) {
                            ps.setString(i + 1, args[i]);
                        }
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Optional.of(map(rs)) : Optional.empty();
                        }
                    }
                });
    }

    static ConnectionRow map(ResultSet rs) throws SQLException {
        String entities = rs.getString("sync_entities");
        return new ConnectionRow(
                rs.getString("id"),
                rs.getString("organization_id"),
                rs.getString("system"),
                rs.getString("customer_id"),
                rs.getString("name"),
                rs.getString("deployment"),
                rs.getString("agent_id"),
                rs.getString("status"),
                rs.getString("status_reason"),
                Jdbc.instant(rs, "status_changed_at"),
                rs.getInt("credits"),
                rs.getString("token_hash"),
                rs.getString("token_hint"),
                rs.getString("credentials"),
                rs.getInt("sync_initial_days"),
                rs.getInt("sync_interval_seconds"),
                entities == null || entities.isEmpty()
                        ? List.of()
                        : Arrays.asList(entities.split(",")),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "disconnected_at"),
                Jdbc.instant(rs, "purged_at"),
                rs.getString("replaced_by"),
                rs.getInt("sync_reconcile_seconds"));
    }
}
