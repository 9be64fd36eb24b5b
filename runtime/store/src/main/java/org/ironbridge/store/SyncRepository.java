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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import javax.sql.DataSource;

/**
 * Sync state (checkpointed cursors, scheduling and leases) and sync runs.
 *
 * <p>Claiming is a conditional update of the lease columns, so that one node at a time runs the
 * sync of an entity; a lease that is not renewed (its node died) expires and the work is taken
 * over.
 */
public final class SyncRepository {
    static final String STATE_COLUMNS =
            "connection_id, entity, cursor_value, cursor_complete, initial_done, requested_kind,"
                    + " current_run_id, last_run_id, last_success_at, last_full_at,"
                    + " consecutive_failures, last_error, next_run_at, lease_owner, lease_until,"
                    + " cursor_order";

    /** {@code sync_state.cursor_order} of a checkpoint written by a newest-first read. */
    static final String NEWEST_FIRST = "newest_first";

    static final String RUN_COLUMNS =
            "id, connection_id, entity, kind, status, queued_at, started_at, finished_at,"
                    + " heartbeat_at, pages, records_seen, records_changed, records_deleted,"
                    + " progress_permille, start_cursor, error_code, error_message, node";

    /** One entity of one connection. */
    public record Key(String connectionId, String entity) {}

    private final DataSource ds;
    private final ChangeListener listener;

    public SyncRepository(DataSource ds) {
        this(ds, ChangeListener.NONE);
    }

    /**
     * A repository that tells the listener of the runs that end, in the transactions that end them.
     *
     * @since 0.2
     */
    public SyncRepository(DataSource ds, ChangeListener listener) {
        this.ds = ds;
        this.listener = listener;
    }

    /** Creates the sync state of each entity of a new connection, with a queued initial run. */
    static void initialize(
            Connection c,
            String connectionId,
            Collection<String> entities,
            Instant now,
            Supplier<String> runIds)
            throws SQLException {
        try (PreparedStatement state =
                        c.prepareStatement(
                                "INSERT INTO sync_state (connection_id, entity, requested_kind,"
                                        + " current_run_id, last_run_id, next_run_at, updated_at)"
                                        + " VALUES (?, ?, ?, ?, ?, ?, ?)");
                PreparedStatement run =
                        c.prepareStatement(
                                "INSERT INTO sync_runs (id, connection_id, entity, kind, status,"
                                        + " queued_at) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (String entity : entities) {
                String runId = runIds.get();
                run.setString(1, runId);
                run.setString(2, connectionId);
                run.setString(3, entity);
                run.setString(4, SyncRunRow.INITIAL);
                run.setString(5, SyncRunRow.QUEUED);
                run.setLong(6, Micros.of(now));
                run.addBatch();
                state.setString(1, connectionId);
                state.setString(2, entity);
                state.setString(3, SyncRunRow.INITIAL);
                state.setString(4, runId);
                state.setString(5, runId);
                state.setLong(6, Micros.of(now));
                state.setLong(7, Micros.of(now));
                state.addBatch();
            }
            run.executeBatch();
            state.executeBatch();
        }
    }

    /**
     * Entities whose sync is due and not leased, of connections that are active or degraded, most
     * overdue first.
     */
    public List<Key> due(Instant now, int limit) {
        return Jdbc.withConnection(
                ds,
                "find due syncs",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT s.connection_id, s.entity FROM sync_state s JOIN"
                                            + " connections c ON c.id = s.connection_id WHERE"
                                            + " s.next_run_at <= ? AND (s.lease_until IS NULL OR"
                                            + " s.lease_until < ?) AND c.status IN ('active',"
                                            + " 'degraded') ORDER BY s.next_run_at LIMIT ?")) {
                        long t = Micros.of(now);
                        ps.setLong(1, t);
                        ps.setLong(2, t);
                        ps.setInt(3, limit);
                        List<Key> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(new Key(rs.getString(1), rs.getString(2)));
                            }
                        }
                        return out;
                    }
                });
    }

    /**
     * Takes the lease of a due entity sync of an active or degraded connection.
     *
     * @return the state, when this owner now holds the lease; empty when another node holds it or
     *     it is not due
     */
    public Optional<SyncStateRow> claim(
            String connectionId, String entity, String owner, Instant now, Instant leaseUntil) {
        return Jdbc.inTransaction(
                ds,
                "claim sync",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE sync_state SET lease_owner = ?, lease_until = ?"
                                            + " WHERE connection_id = ? AND entity = ? AND"
                                            + " next_run_at <= ? AND (lease_until IS NULL OR"
                                            + " lease_until < ?) AND EXISTS (SELECT 1 FROM"
                                            + " connections c WHERE c.id ="
                                            + " sync_state.connection_id AND c.status IN"
                                            + " ('active', 'degraded'))")) {
                        long t = Micros.of(now);
                        ps.setString(1, owner);
                        ps.setLong(2, Micros.of(leaseUntil));
                        ps.setString(3, connectionId);
                        ps.setString(4, entity);
                        ps.setLong(5, t);
                        ps.setLong(6, t);
                        if (ps.executeUpdate() == 0) {
                            return Optional.empty();
                        }
                    }
                    return state(c, connectionId, entity);
                });
    }

    /**
     * Takes the lease of an entity sync for a cluster-aware scheduler that already guarantees one
     * execution at a time (db-scheduler): unlike {@link #claim}, a lease left by a node that died
     * is overridden at once. The lease owner stays a fencing token: a node that lost its execution
     * to another (it stopped heartbeating) fails its next checkpoint and stops.
     *
     * @param dueBy the sync must be due by then (its next run at or before), else nothing is taken
     * @return the state, when this owner now holds the lease; empty when the sync is not due or its
     *     connection is not active or degraded
     */
    public Optional<SyncStateRow> take(
            String connectionId, String entity, String owner, Instant dueBy, Instant leaseUntil) {
        return Jdbc.inTransaction(
                ds,
                "take sync",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE sync_state SET lease_owner = ?, lease_until = ?"
                                            + " WHERE connection_id = ? AND entity = ? AND"
                                            + " next_run_at <= ? AND EXISTS (SELECT 1 FROM"
                                            + " connections c WHERE c.id ="
                                            + " sync_state.connection_id AND c.status IN"
                                            + " ('active', 'degraded'))")) {
                        ps.setString(1, owner);
                        ps.setLong(2, Micros.of(leaseUntil));
                        ps.setString(3, connectionId);
                        ps.setString(4, entity);
                        ps.setLong(5, Micros.of(dueBy));
                        if (ps.executeUpdate() == 0) {
                            return Optional.empty();
                        }
                    }
                    return state(c, connectionId, entity);
                });
    }

    /** The sync states of every connection that is not disconnected (for the scheduler's start). */
    public List<SyncStateRow> scheduledStates() {
        return Jdbc.withConnection(
                ds,
                "read scheduled sync states",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + prefixed("s.", STATE_COLUMNS)
                                            + " FROM sync_state s JOIN connections c ON c.id ="
                                            + " s.connection_id WHERE c.status <> 'disconnected'")) {
                        List<SyncStateRow> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(mapState(rs));
                            }
                        }
                        return out;
                    }
                });
    }

    /** When the entity's deletes were last reconciled (empty: never). */
    public Optional<Instant> reconciledAt(String connectionId, String entity) {
        return Jdbc.withConnection(
                ds,
                "read reconciliation time",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT reconciled_at FROM sync_state WHERE connection_id = ?"
                                            + " AND entity = ?")) {
                        ps.setString(1, connectionId);
                        ps.setString(2, entity);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next()
                                    ? Optional.ofNullable(Jdbc.instant(rs, "reconciled_at"))
                                    : Optional.<Instant>empty();
                        }
                    }
                });
    }

    /** Records a reconciliation of the entity's deletes, and its deletes in the run's counters. */
    public void reconciled(
            String connectionId, String entity, String runId, long deleted, Instant at) {
        Jdbc.inTransaction(
                ds,
                "record reconciliation",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE sync_state SET reconciled_at = ? WHERE connection_id ="
                                            + " ? AND entity = ?")) {
                        ps.setLong(1, Micros.of(at));
                        ps.setString(2, connectionId);
                        ps.setString(3, entity);
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE sync_runs SET records_deleted = records_deleted + ?"
                                            + " WHERE id = ?")) {
                        ps.setLong(1, deleted);
                        ps.setString(2, runId);
                        ps.executeUpdate();
                    }
                    return null;
                });
    }

    /** Extends the lease; false when this owner lost it (it expired and another node took over). */
    public boolean renew(String connectionId, String entity, String owner, Instant leaseUntil) {
        return Jdbc.withConnection(
                ds, "renew sync lease", c -> renew(c, connectionId, entity, owner, leaseUntil));
    }

    static boolean renew(
            Connection c, String connectionId, String entity, String owner, Instant leaseUntil)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE sync_state SET lease_until = ? WHERE connection_id = ? AND entity"
                                + " = ? AND lease_owner = ?")) {
            ps.setLong(1, Micros.of(leaseUntil));
            ps.setString(2, connectionId);
            ps.setString(3, entity);
            ps.setString(4, owner);
            return ps.executeUpdate() == 1;
        }
    }

    /** Releases a lease without running (e.g. the connector is not installed right now). */
    public void release(String connectionId, String entity, String owner, Instant nextRunAt) {
        Jdbc.withConnection(
                ds,
                "release sync lease",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE sync_state SET lease_owner = NULL, lease_until = NULL,"
                                            + " next_run_at = ? WHERE connection_id = ? AND entity"
                                            + " = ? AND lease_owner = ?")) {
                        ps.setLong(1, Micros.of(nextRunAt));
                        ps.setString(2, connectionId);
                        ps.setString(3, entity);
                        ps.setString(4, owner);
                        return ps.executeUpdate();
                    }
                });
    }

    public Optional<SyncStateRow> state(String connectionId, String entity) {
        return Jdbc.withConnection(ds, "read sync state", c -> state(c, connectionId, entity));
    }

    static Optional<SyncStateRow> state(Connection c, String connectionId, String entity)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + STATE_COLUMNS
                                + " FROM sync_state WHERE connection_id = ? AND entity = ?")) {
            ps.setString(1, connectionId);
            ps.setString(2, entity);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(mapState(rs)) : Optional.empty();
            }
        }
    }

    /** The sync states of a connection, by entity. */
    public List<SyncStateRow> states(String connectionId) {
        return Jdbc.withConnection(
                ds,
                "read sync states",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + STATE_COLUMNS
                                            + " FROM sync_state WHERE connection_id = ? ORDER BY"
                                            + " entity")) {
                        ps.setString(1, connectionId);
                        List<SyncStateRow> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(mapState(rs));
                            }
                        }
                        return out;
                    }
                });
    }

    /**
     * Starts a run under a held lease: the queued run of the entity becomes running, or a new run
     * is created; a run left running by a node that died is marked failed. Clears the requested
     * kind.
     *
     * @param newRunId the id to use if a new run is created
     */
    public SyncRunRow startRun(
            String connectionId,
            String entity,
            String newRunId,
            String kind,
            String startCursor,
            String owner,
            Instant now) {
        return Jdbc.inTransaction(
                ds,
                "start sync run",
                c -> {
                    SyncStateRow s =
                            state(c, connectionId, entity)
                                    .orElseThrow(
                                            () ->
                                                    new SQLException(
                                                            "no sync state for "
                                                                    + connectionId
                                                                    + " "
                                                                    + entity));
                    String runId = null;
                    if (s.currentRunId() != null) {
                        Optional<SyncRunRow> current = run(c, s.currentRunId());
                        if (current.isPresent()
                                && SyncRunRow.QUEUED.equals(current.get().status())) {
                            runId = current.get().id();
                        } else if (current.isPresent()
                                && SyncRunRow.RUNNING.equals(current.get().status())) {
                            finish(
                                    c,
                                    current.get().id(),
                                    SyncRunRow.FAILED,
                                    "interrupted",
                                    "The run was interrupted (the server stopped or lost its"
                                            + " lease); the next run continued from its last"
                                            + " checkpoint",
                                    now);
                        }
                    }
                    long t = Micros.of(now);
                    if (runId == null) {
                        runId = newRunId;
                        insertQueuedRun(c, runId, connectionId, entity, kind, t);
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE sync_runs SET kind = ?, status = ?, started_at = ?,"
                                            + " heartbeat_at = ?, start_cursor = ?, node = ? WHERE"
                                            + " id = ?")) {
                        ps.setString(1, kind);
                        ps.setString(2, SyncRunRow.RUNNING);
                        ps.setLong(3, t);
                        ps.setLong(4, t);
                        Jdbc.setString(ps, 5, startCursor);
                        ps.setString(6, Jdbc.cut(owner, 100));
                        ps.setString(7, runId);
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE sync_state SET current_run_id = ?, last_run_id = ?,"
                                            + " requested_kind = NULL, updated_at = ? WHERE"
                                            + " connection_id = ? AND entity = ?")) {
                        ps.setString(1, runId);
                        ps.setString(2, runId);
                        ps.setLong(3, t);
                        ps.setString(4, connectionId);
                        ps.setString(5, entity);
                        ps.executeUpdate();
                    }
                    return run(c, runId).orElseThrow();
                });
    }

    /**
     * Writes a page checkpoint, in the caller's transaction (the one that wrote the page's
     * records): the new cursor, the run's counters, progress and heartbeat, and a renewed lease.
     *
     * @param remaining how many records the source says remain after this page, or a negative
     *     number when it cannot tell; the run's progress becomes seen / (seen + remaining)
     * @return false when the owner lost the lease; the caller must roll back and stop
     */
    public static boolean checkpoint(
            Connection c,
            String connectionId,
            String entity,
            String runId,
            String cursor,
            long seen,
            long changed,
            long deleted,
            long remaining,
            String owner,
            Instant now,
            Instant leaseUntil)
            throws SQLException {
        return checkpoint(
                c,
                connectionId,
                entity,
                runId,
                cursor,
                false,
                seen,
                changed,
                deleted,
                remaining,
                owner,
                now,
                leaseUntil);
    }

    /**
     * {@link #checkpoint(Connection, String, String, String, String, long, long, long, long,
     * String, Instant, Instant)} of a cursor returned by a read in the given order.
     *
     * @param newestFirst whether the cursor comes from a newest-first read
     */
    public static boolean checkpoint(
            Connection c,
            String connectionId,
            String entity,
            String runId,
            String cursor,
            boolean newestFirst,
            long seen,
            long changed,
            long deleted,
            long remaining,
            String owner,
            Instant now,
            Instant leaseUntil)
            throws SQLException {
        long t = Micros.of(now);
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE sync_state SET cursor_value = ?, cursor_complete = 0,"
                                + " cursor_order = ?, lease_until = ?, updated_at = ? WHERE"
                                + " connection_id = ? AND entity = ? AND lease_owner = ?")) {
            ps.setString(1, cursor);
            ps.setString(2, newestFirst ? NEWEST_FIRST : null);
            ps.setLong(3, Micros.of(leaseUntil));
            ps.setLong(4, t);
            ps.setString(5, connectionId);
            ps.setString(6, entity);
            ps.setString(7, owner);
            if (ps.executeUpdate() != 1) {
                return false;
            }
        }
        // progress_permille comes first: MariaDB evaluates assignments left to right, so it must
        // read records_seen before that column is updated (H2 always reads the old value)
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE sync_runs SET progress_permille = CASE WHEN ? < 0 THEN NULL"
                                + " WHEN records_seen + ? + ? <= 0 THEN 1000"
                                + " ELSE FLOOR((records_seen + ?) * 1000 / (records_seen + ? + ?))"
                                + " END, pages = pages + 1, records_seen = records_seen + ?,"
                                + " records_changed = records_changed + ?, records_deleted ="
                                + " records_deleted + ?, heartbeat_at = ? WHERE id = ?")) {
            int i = 1;
            ps.setLong(i++, remaining);
            ps.setLong(i++, seen);
            ps.setLong(i++, remaining);
            ps.setLong(i++, seen);
            ps.setLong(i++, seen);
            ps.setLong(i++, remaining);
            ps.setLong(i++, seen);
            ps.setLong(i++, changed);
            ps.setLong(i++, deleted);
            ps.setLong(i++, t);
            ps.setString(i++, runId);
            ps.executeUpdate();
        }
        return true;
    }

    /**
     * Ends a run that read its last page: the cursor becomes the complete end cursor, the next run
     * is due at {@code nextRunAt} (or at once if another run was requested meanwhile), the lease is
     * released.
     */
    public void succeed(
            String connectionId,
            String entity,
            String runId,
            String kind,
            String owner,
            Instant now,
            Instant nextRunAt) {
        Jdbc.inTransaction(
                ds,
                "finish sync run",
                c -> {
                    finish(c, runId, SyncRunRow.SUCCEEDED, null, null, now);
                    long t = Micros.of(now);
                    boolean full = SyncRunRow.INITIAL.equals(kind) || SyncRunRow.FULL.equals(kind);
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE sync_state SET cursor_complete = 1, initial_done = 1,"
                                            + " current_run_id = NULL, last_success_at = ?,"
                                            + (full ? " last_full_at = ?," : "")
                                            + " consecutive_failures = 0, last_error = NULL,"
                                            + " next_run_at = CASE WHEN requested_kind IS NULL"
                                            + " THEN ? ELSE ? END, lease_owner = NULL,"
                                            + " lease_until = NULL, updated_at = ? WHERE"
                                            + " connection_id = ? AND entity = ? AND lease_owner"
                                            + " = ?")) {
                        int i = 1;
                        ps.setLong(i++, t);
                        if (full) {
                            ps.setLong(i++, t);
                        }
                        ps.setLong(i++, Micros.of(nextRunAt));
                        ps.setLong(i++, t);
                        ps.setLong(i++, t);
                        ps.setString(i++, connectionId);
                        ps.setString(i++, entity);
                        ps.setString(i++, owner);
                        ps.executeUpdate();
                    }
                    return null;
                });
    }

    /**
     * Ends a failed run: the checkpoint is kept, the failure counted, the next attempt due at
     * {@code nextRunAt} (or at once if another run was requested meanwhile), the lease released.
     *
     * @return the number of consecutive failures, this one included
     */
    public int fail(
            String connectionId,
            String entity,
            String runId,
            String errorCode,
            String errorMessage,
            String owner,
            Instant now,
            Instant nextRunAt) {
        return Jdbc.inTransaction(
                ds,
                "fail sync run",
                c -> {
                    finish(c, runId, SyncRunRow.FAILED, errorCode, errorMessage, now);
                    long t = Micros.of(now);
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE sync_state SET current_run_id = NULL,"
                                            + " consecutive_failures = consecutive_failures + 1,"
                                            + " last_error = ?, next_run_at = CASE WHEN"
                                            + " requested_kind IS NULL THEN ? ELSE ? END,"
                                            + " lease_owner = NULL, lease_until = NULL,"
                                            + " updated_at = ? WHERE connection_id = ? AND entity"
                                            + " = ? AND lease_owner = ?")) {
                        ps.setString(1, Jdbc.cut(errorMessage, 2000));
                        ps.setLong(2, Micros.of(nextRunAt));
                        ps.setLong(3, t);
                        ps.setLong(4, t);
                        ps.setString(5, connectionId);
                        ps.setString(6, entity);
                        ps.setString(7, owner);
                        ps.executeUpdate();
                    }
                    return state(c, connectionId, entity)
                            .map(SyncStateRow::consecutiveFailures)
                            .orElse(0);
                });
    }

    private void finish(
            Connection c,
            String runId,
            String status,
            String errorCode,
            String errorMessage,
            Instant now)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE sync_runs SET status = ?, finished_at = ?, error_code = ?,"
                                + " error_message = ? WHERE id = ?")) {
            ps.setString(1, status);
            ps.setLong(2, Micros.of(now));
            Jdbc.setString(ps, 3, errorCode);
            Jdbc.setString(ps, 4, Jdbc.cut(errorMessage, 2000));
            ps.setString(5, runId);
            if (ps.executeUpdate() == 0) {
                return;
            }
        }
        Optional<SyncRunRow> ended = run(c, runId);
        if (ended.isPresent()) {
            listener.syncRunEnded(c, ended.get());
        }
    }

    /**
     * Requests a run of an entity now: the next run gets the given kind ({@code full} reads
     * everything again; {@code incremental} continues from the cursor). When no run is queued or
     * running, a queued run is created.
     *
     * @return the queued or running run, or empty when the entity has no sync state
     */
    public Optional<SyncRunRow> request(
            String connectionId, String entity, String kind, String newRunId, Instant now) {
        return Jdbc.inTransaction(
                ds,
                "request sync",
                c -> {
                    Optional<SyncStateRow> s = state(c, connectionId, entity);
                    if (s.isEmpty()) {
                        return Optional.<SyncRunRow>empty();
                    }
                    long t = Micros.of(now);
                    Optional<SyncRunRow> current =
                            s.get().currentRunId() == null
                                    ? Optional.empty()
                                    : run(c, s.get().currentRunId());
                    String runId;
                    if (current.isPresent()
                            && (SyncRunRow.QUEUED.equals(current.get().status())
                                    || SyncRunRow.RUNNING.equals(current.get().status()))) {
                        runId = current.get().id();
                    } else {
                        runId = newRunId;
                        insertQueuedRun(c, runId, connectionId, entity, kind, t);
                    }
                    String requested =
                            SyncRunRow.FULL.equals(kind)
                                    ? SyncRunRow.FULL
                                    : (s.get().requestedKind() != null
                                            ? s.get().requestedKind()
                                            : kind);
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE sync_state SET requested_kind = ?, next_run_at = ?,"
                                            + " current_run_id = ?, last_run_id = ?, updated_at ="
                                            + " ? WHERE connection_id = ? AND entity = ?")) {
                        ps.setString(1, requested);
                        ps.setLong(2, t);
                        ps.setString(3, runId);
                        ps.setString(4, runId);
                        ps.setLong(5, t);
                        ps.setString(6, connectionId);
                        ps.setString(7, entity);
                        ps.executeUpdate();
                    }
                    return run(c, runId);
                });
    }

    /** Postpones the next run of every entity of a connection, e.g. while it is not active. */
    public void postponeAll(String connectionId, Instant nextRunAt) {
        Jdbc.withConnection(
                ds,
                "postpone syncs",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE sync_state SET next_run_at = ? WHERE connection_id ="
                                            + " ?")) {
                        ps.setLong(1, Micros.of(nextRunAt));
                        ps.setString(2, connectionId);
                        return ps.executeUpdate();
                    }
                });
    }

    public Optional<SyncRunRow> run(String runId) {
        return Jdbc.withConnection(ds, "read sync run", c -> run(c, runId));
    }

    static Optional<SyncRunRow> run(Connection c, String runId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT " + RUN_COLUMNS + " FROM sync_runs WHERE id = ?")) {
            ps.setString(1, runId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(mapRun(rs)) : Optional.empty();
            }
        }
    }

    /** The runs of a connection, newest first. */
    public List<SyncRunRow> runs(String connectionId, int limit) {
        return Jdbc.withConnection(
                ds,
                "list sync runs",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + RUN_COLUMNS
                                            + " FROM sync_runs WHERE connection_id = ? ORDER BY"
                                            + " queued_at DESC, id DESC LIMIT ?")) {
                        ps.setString(1, connectionId);
                        ps.setInt(2, limit);
                        List<SyncRunRow> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(mapRun(rs));
                            }
                        }
                        return out;
                    }
                });
    }

    /** The latest run of each entity of each of the connections: connection → entity → run. */
    public Map<String, Map<String, SyncRunRow>> latestRuns(Collection<String> connectionIds) {
        if (connectionIds.isEmpty()) {
            return Map.of();
        }
        List<String> ids = new ArrayList<>(connectionIds);
        return Jdbc.withConnection(
                ds,
                "read latest sync runs",
                c -> {
                    String marks = String.join(", ", Collections.nCopies(ids.size(), "?"));
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + prefixed("r.", RUN_COLUMNS)
                                            + " FROM sync_state s JOIN sync_runs r ON r.id ="
                                            + " s.last_run_id WHERE s.connection_id IN ("
                                            + marks
                                            + ") ORDER BY r.entity")) {
                        for (int i = 0; i < ids.size(); i++) {
                            ps.setString(i + 1, ids.get(i));
                        }
                        Map<String, Map<String, SyncRunRow>> out = new HashMap<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                SyncRunRow r = mapRun(rs);
                                out.computeIfAbsent(r.connectionId(), k -> new LinkedHashMap<>())
                                        .put(r.entity(), r);
                            }
                        }
                        return out;
                    }
                });
    }

    private static String prefixed(String prefix, String columns) {
        StringBuilder sb = new StringBuilder();
        for (String col : columns.split(",")) {
            if (sb.length() > 0) {
                sb.append(", ");
            }
            sb.append(prefix).append(col.trim());
        }
        return sb.toString();
    }

    static SyncStateRow mapState(ResultSet rs) throws SQLException {
        return new SyncStateRow(
                rs.getString("connection_id"),
                rs.getString("entity"),
                rs.getString("cursor_value"),
                rs.getInt("cursor_complete") != 0,
                rs.getInt("initial_done") != 0,
                rs.getString("requested_kind"),
                rs.getString("current_run_id"),
                rs.getString("last_run_id"),
                Jdbc.instant(rs, "last_success_at"),
                Jdbc.instant(rs, "last_full_at"),
                rs.getInt("consecutive_failures"),
                rs.getString("last_error"),
                Jdbc.instant(rs, "next_run_at"),
                rs.getString("lease_owner"),
                Jdbc.instant(rs, "lease_until"),
                NEWEST_FIRST.equals(rs.getString("cursor_order")));
    }

    static SyncRunRow mapRun(ResultSet rs) throws SQLException {
        return new SyncRunRow(
                rs.getString("id"),
                rs.getString("connection_id"),
                rs.getString("entity"),
                rs.getString("kind"),
                rs.getString("status"),
                Jdbc.instant(rs, "queued_at"),
                Jdbc.instant(rs, "started_at"),
                Jdbc.instant(rs, "finished_at"),
                Jdbc.instant(rs, "heartbeat_at"),
                rs.getInt("pages"),
                rs.getLong("records_seen"),
                rs.getLong("records_changed"),
                rs.getLong("records_deleted"),
                Jdbc.integer(rs, "progress_permille"),
                rs.getString("start_cursor"),
                rs.getString("error_code"),
                rs.getString("error_message"),
                rs.getString("node"));
    }

    /** Inserts a new run in state queued. */
    private static void insertQueuedRun(
            Connection c, String runId, String connectionId, String entity, String kind, long t)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO sync_runs (id, connection_id, entity, kind, status, queued_at)"
                                + " VALUES (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, runId);
            ps.setString(2, connectionId);
            ps.setString(3, entity);
            ps.setString(4, kind);
            ps.setString(5, SyncRunRow.QUEUED);
            ps.setLong(6, t);
            ps.executeUpdate();
        }
    }
}
