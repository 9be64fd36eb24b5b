package org.ironbridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Sessions of the connect flow (table {@code connect_sessions}): tokens and one-time codes are
 * stored only as SHA-256 hashes.
 *
 * <p>A session goes through: open → claimed (an attempt to connect is verifying credentials; the
 * claim lapses by itself) → open again on failure, or completed (a connection was created, a code
 * issued) → code exchanged.
 *
 * @since 0.2
 */
public final class ConnectSessionRepository {

    /**
     * A stored session.
     *
     * @param systems the system ids offered; empty for every installed connector
     * @param redirectUrl where the page sends the customer when done, or null
     * @param claimedUntil until when an attempt to connect holds the session, or null
     * @param connectionId the connection created in the session, or null
     * @param codeHash the SHA-256 of the one-time code, or null before completion
     */
    public record Row(
            String id,
            String organizationId,
            String tokenHash,
            String tokenHint,
            String customerId,
            List<String> systems,
            String redirectUrl,
            Instant createdAt,
            Instant expiresAt,
            Instant claimedUntil,
            String connectionId,
            Instant completedAt,
            String codeHash,
            Instant codeExpiresAt,
            Instant codeUsedAt) {
        public Row {
            systems = systems == null ? List.of() : List.copyOf(systems);
        }
    }

    private static final String COLUMNS =
            "id, organization_id, token_hash, token_hint, customer_id, systems, redirect_url,"
                    + " created_at, expires_at, claimed_until, connection_id, completed_at,"
                    + " code_hash, code_expires_at, code_used_at";

    private final DataSource ds;

    public ConnectSessionRepository(DataSource ds) {
        this.ds = ds;
    }

    /** Inserts a new, open session. */
    public void insert(Row row) {
        Jdbc.withConnection(
                ds,
                "create connect session",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO connect_sessions (id, organization_id, token_hash,"
                                            + " token_hint, customer_id, systems, redirect_url,"
                                            + " created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?,"
                                            + " ?, ?, ?)")) {
                        ps.setString(1, row.id());
                        ps.setString(2, row.organizationId());
                        ps.setString(3, row.tokenHash());
                        ps.setString(4, row.tokenHint());
                        ps.setString(5, row.customerId());
                        ps.setString(6, String.join(",", row.systems()));
                        Jdbc.setString(ps, 7, row.redirectUrl());
                        Jdbc.setMicros(ps, 8, row.createdAt());
                        Jdbc.setMicros(ps, 9, row.expiresAt());
                        return ps.executeUpdate();
                    }
                });
    }

    /** The session of a token hash, whatever its state. */
    public Optional<Row> findByTokenHash(String tokenHash) {
        return Jdbc.withConnection(
                ds,
                "read connect session",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + COLUMNS
                                            + " FROM connect_sessions WHERE token_hash = ?")) {
                        ps.setString(1, tokenHash);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Optional.of(row(rs)) : Optional.empty();
                        }
                    }
                });
    }

    /**
     * Claims an open session for one attempt to connect: only when it has no connection yet, has
     * not expired, and no other attempt holds it (or that attempt's claim lapsed).
     *
     * @return whether this caller holds the claim now
     */
    public boolean claim(String id, Instant now, Instant until) {
        return Jdbc.withConnection(
                ds,
                "claim connect session",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE connect_sessions SET claimed_until = ? WHERE id = ? AND"
                                            + " connection_id IS NULL AND expires_at > ? AND"
                                            + " (claimed_until IS NULL OR claimed_until <= ?)")) {
                        Jdbc.setMicros(ps, 1, until);
                        ps.setString(2, id);
                        Jdbc.setMicros(ps, 3, now);
                        Jdbc.setMicros(ps, 4, now);
                        return ps.executeUpdate() == 1;
                    }
                });
    }

    /** Releases the claim of a failed attempt, so that the customer can try again. */
    public void release(String id, Instant claimedUntil) {
        Jdbc.withConnection(
                ds,
                "release connect session",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE connect_sessions SET claimed_until = NULL WHERE id = ?"
                                            + " AND claimed_until = ? AND connection_id IS"
                                            + " NULL")) {
                        ps.setString(1, id);
                        Jdbc.setMicros(ps, 2, claimedUntil);
                        return ps.executeUpdate();
                    }
                });
    }

    /**
     * Completes a session: records its connection and the hash of its one-time code.
     *
     * @return false when the session already has a connection (it is not changed then)
     */
    public boolean complete(
            String id, String connectionId, String codeHash, Instant codeExpiresAt, Instant now) {
        return Jdbc.withConnection(
                ds,
                "complete connect session",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE connect_sessions SET connection_id = ?, completed_at ="
                                            + " ?, code_hash = ?, code_expires_at = ?,"
                                            + " claimed_until = NULL WHERE id = ? AND"
                                            + " connection_id IS NULL")) {
                        ps.setString(1, connectionId);
                        Jdbc.setMicros(ps, 2, now);
                        ps.setString(3, codeHash);
                        Jdbc.setMicros(ps, 4, codeExpiresAt);
                        ps.setString(5, id);
                        return ps.executeUpdate() == 1;
                    }
                });
    }

    /**
     * Spends the one-time code of a completed session and gives its connection a new token, in one
     * transaction: the token handed out with the exchange is the only one that works.
     *
     * @param tokenHash the SHA-256 of the connection's new token
     * @return false when the code was spent already (nothing is changed then)
     */
    public boolean exchange(String id, Instant now, String tokenHash, String tokenHint) {
        return Jdbc.inTransaction(
                ds,
                "exchange connect session code",
                c -> {
                    String connectionId = spend(c, id, now);
                    if (connectionId == null) {
                        c.rollback();
                        return false;
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE connections SET token_hash = ?, token_hint = ? WHERE"
                                            + " id = ?")) {
                        ps.setString(1, tokenHash);
                        ps.setString(2, tokenHint);
                        ps.setString(3, connectionId);
                        if (ps.executeUpdate() != 1) {
                            throw new SQLException("connection " + connectionId + " is missing");
                        }
                    }
                    return true;
                });
    }

    /** Marks the code used; the session's connection id, or null if it was used already. */
    private static String spend(Connection c, String id, Instant now) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "UPDATE connect_sessions SET code_used_at = ? WHERE id = ? AND"
                                + " connection_id IS NOT NULL AND code_used_at IS NULL")) {
            Jdbc.setMicros(ps, 1, now);
            ps.setString(2, id);
            if (ps.executeUpdate() != 1) {
                return null;
            }
        }
        try (PreparedStatement ps =
                c.prepareStatement("SELECT connection_id FROM connect_sessions WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Deletes sessions that expired before the given time and whose code can no longer be exchanged
     * (spent, expired, or never issued).
     *
     * @return how many were deleted
     */
    public int purgeExpiredBefore(Instant before) {
        return Jdbc.withConnection(
                ds,
                "purge connect sessions",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "DELETE FROM connect_sessions WHERE expires_at < ? AND"
                                            + " (code_expires_at IS NULL OR code_expires_at < ?)")) {
                        Jdbc.setMicros(ps, 1, before);
                        Jdbc.setMicros(ps, 2, before);
                        return ps.executeUpdate();
                    }
                });
    }

    private static Row row(ResultSet rs) throws SQLException {
        String systems = rs.getString("systems");
        return new Row(
                rs.getString("id"),
                rs.getString("organization_id"),
                rs.getString("token_hash"),
                rs.getString("token_hint"),
                rs.getString("customer_id"),
                systems == null || systems.isEmpty()
                        ? List.of()
                        : Arrays.asList(systems.split(",")),
                rs.getString("redirect_url"),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "expires_at"),
                Jdbc.instant(rs, "claimed_until"),
                rs.getString("connection_id"),
                Jdbc.instant(rs, "completed_at"),
                rs.getString("code_hash"),
                Jdbc.instant(rs, "code_expires_at"),
                Jdbc.instant(rs, "code_used_at"));
    }
}
