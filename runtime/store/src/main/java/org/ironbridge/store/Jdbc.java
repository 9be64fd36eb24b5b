package org.ironbridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** Small JDBC helpers shared by the repositories: transactions, nullable columns, error kinds. */
public final class Jdbc {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Jdbc.class);

    private Jdbc() {}

    /** Work done with a connection; may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T apply(Connection c) throws SQLException;
    }

    /**
     * Runs the work in one transaction: committed when it returns, rolled back when it throws.
     *
     * @param what what is being done, for the {@link StoreException} message
     */
    public static <T> T inTransaction(DataSource ds, String what, SqlWork<T> work) {
        List<Runnable> outer = AFTER_COMMIT.get();
        List<Runnable> callbacks = new ArrayList<>(1);
        AFTER_COMMIT.set(callbacks);
        Long outerStart = TX_START.get();
        TX_START.set(System.nanoTime());
        T result;
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try {
                result = work.apply(c);
                c.commit();
            } catch (SQLException | RuntimeException | Error e) {
                try {
                    c.rollback();
                } catch (SQLException rollbackFailed) {
                    e.addSuppressed(rollbackFailed);
                }
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException("Could not " + what, e);
        } finally {
            AFTER_COMMIT.set(outer);
            TX_START.set(outerStart);
        }
        for (Runnable r : callbacks) {
            try {
                r.run();
            } catch (RuntimeException e) {
                // the transaction committed: its caller must not see a failure
                LOG.warn("A callback after commit failed", e);
            }
        }
        return result;
    }

    /** When ({@link System#nanoTime}) the transaction running on this thread began, if any. */
    private static final ThreadLocal<Long> TX_START = new ThreadLocal<>();

    /**
     * When ({@link System#nanoTime}) the transaction of {@link #inTransaction} that runs on this
     * thread began, or now outside of one: what it reads is at least as new as this (e.g. to tell
     * whether data read in it may predate a change made elsewhere).
     *
     * @since 0.2
     */
    public static long transactionStart() {
        Long start = TX_START.get();
        return start == null ? System.nanoTime() : start;
    }

    /** Callbacks of the transaction of {@link #inTransaction} running on this thread, if any. */
    private static final ThreadLocal<List<Runnable>> AFTER_COMMIT = new ThreadLocal<>();

    /**
     * Runs the callback once the transaction of {@link #inTransaction} that runs on this thread has
     * committed (never if it rolls back), e.g. to wake a consumer of rows it inserted; outside of
     * such a transaction, runs it at once. The callback must not throw.
     *
     * @since 0.2
     */
    public static void afterCommit(Runnable callback) {
        List<Runnable> callbacks = AFTER_COMMIT.get();
        if (callbacks == null) {
            callback.run();
        } else {
            callbacks.add(callback);
        }
    }

    /** Runs the work with an auto-commit connection. */
    public static <T> T withConnection(DataSource ds, String what, SqlWork<T> work) {
        try (Connection c = ds.getConnection()) {
            return work.apply(c);
        } catch (SQLException e) {
            throw new StoreException("Could not " + what, e);
        }
    }

    /** Whether the failure is a unique or primary key violation. */
    public static boolean isDuplicateKey(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof java.sql.SQLIntegrityConstraintViolationException) {
                return true;
            }
            if (c instanceof SQLException s) {
                String state = s.getSQLState();
                // 23505: unique violation (H2, standard); 23000 with MariaDB error 1062: duplicate
                // entry
                if ("23505".equals(state) || ("23000".equals(state) && s.getErrorCode() == 1062)) {
                    return true;
                }
            }
        }
        return false;
    }

    static void setMicros(PreparedStatement ps, int index, Instant t) throws SQLException {
        if (t == null) {
            ps.setNull(index, Types.BIGINT);
        } else {
            ps.setLong(index, Micros.of(t));
        }
    }

    static void setString(PreparedStatement ps, int index, String s) throws SQLException {
        if (s == null) {
            ps.setNull(index, Types.VARCHAR);
        } else {
            ps.setString(index, s);
        }
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        long v = rs.getLong(column);
        return rs.wasNull() ? null : Micros.toInstant(v);
    }

    static Integer integer(ResultSet rs, String column) throws SQLException {
        int v = rs.getInt(column);
        return rs.wasNull() ? null : v;
    }

    /** Cuts a text to a column's length (for messages, never for identifiers). */
    public static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
    }
}
