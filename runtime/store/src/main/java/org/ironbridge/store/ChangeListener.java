package org.ironbridge.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told of changes by the repositories, inside the transaction that makes them, so that it can write
 * to the same transaction: the engine's webhook outbox, whose events then exist exactly when their
 * change was committed. A listener that throws rolls the change back, so it must only fail when the
 * database does.
 *
 * <p>Every method has an empty default; {@link #NONE} listens to nothing.
 *
 * @since 0.2
 */
@ConsumerType
public interface ChangeListener {
    /** Listens to nothing. */
    ChangeListener NONE = new ChangeListener() {};

    /** A connection was stored ({@link ConnectionRepository#create}). */
    default void connectionCreated(Connection c, ConnectionRow connection) throws SQLException {}

    /**
     * The status of a connection changed ({@link ConnectionRepository#changeStatus}).
     *
     * @param before the connection before the change (its old status)
     * @param status the new status
     * @param reason why, as recorded in the status history
     */
    default void statusChanged(
            Connection c, ConnectionRow before, String status, String reason, Instant at)
            throws SQLException {}

    /** A sync run ended, as succeeded or failed ({@link SyncRepository}); {@code run} is final. */
    default void syncRunEnded(Connection c, SyncRunRow run) throws SQLException {}
}
