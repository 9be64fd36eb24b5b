package org.ironbridge.store;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The web console's logins: console users with their password hashes, console sessions (stored by
 * the hash of their token) and failed logins (for throttling). Secrets are never stored in clear:
 * the engine hashes passwords and tokens before they get here.
 */
public final class ConsoleRepository {

    /**
     * A console user.
     *
     * @param passwordHash the self-describing slow hash of the password; never shown to anyone
     */
    public record UserRow(
            String id,
            String organizationId,
            String email,
            String passwordHash,
            Instant createdAt) {
        @Override
        public String toString() {
            return "UserRow[id=" + id + ", organizationId=" + organizationId + "]";
        }
    }

    /**
     * A console session, with its user's email when it belongs to a console user.
     *
     * @param tokenHash the SHA-256 of the session token
     * @param userId null for a session opened with an admin API key
     * @param adminKeyId the admin key a session was opened with, or null
     */
    public record SessionRow(
            String tokenHash,
            String organizationId,
            String userId,
            String userEmail,
            Instant userCreatedAt,
            String adminKeyId,
            String csrfToken,
            Instant createdAt,
            Instant lastSeenAt,
            Instant expiresAt) {
        @Override
        public String toString() {
            return "SessionRow[organizationId="
                    + organizationId
                    + ", userId="
                    + userId
                    + ", expiresAt="
                    + expiresAt
                    + "]";
        }
    }

    /** An unrevoked admin API key: its id and organization. */
    public record AdminKey(String id, String organizationId) {}

    /** Failed logins of one subject within a window: how many, and the oldest one's time. */
    public record Failures(int count, Instant oldest) {}

    private static final String SESSION_COLUMNS =
            "s.token_hash, s.organization_id, s.user_id, u.email, u.created_at, s.admin_key_id,"
                    + " s.csrf_token, s.created_at, s.last_seen_at, s.expires_at";

    private final DataSource ds;

    public ConsoleRepository(DataSource ds) {
        this.ds = ds;
    }

    // ------------------------------------------------------------------------------ users

    /**
     * Inserts a console user.
     *
     * @return false when the organization has a user with this email already
     */
    public boolean createUser(UserRow user) {
        try {
            return Jdbc.withConnection(
                    ds,
                    "create console user",
                    c -> {
                        try (PreparedStatement ps =
                                c.prepareStatement(
                                        "INSERT INTO console_users (id, organization_id, email,"
                                                + " password_hash, created_at) VALUES (?, ?, ?, ?,"
                                                + " ?)")) {
                            ps.setString(1, user.id());
                            ps.setString(2, user.organizationId());
                            ps.setString(3, user.email());
                            ps.setString(4, user.passwordHash());
                            ps.setLong(5, Micros.of(user.createdAt()));
                            ps.executeUpdate();
                            return true;
                        }
                    });
        } catch (StoreException e) {
            if (Jdbc.isDuplicateKey(e)) {
                return false;
            }
            throw e;
        }
    }

    /** The organization's console users, oldest first. */
    public List<UserRow> users(String organizationId) {
        return queryUsers(
                "SELECT id, organization_id, email, password_hash, created_at FROM console_users"
                        + " WHERE organization_id = ? ORDER BY created_at, id",
                organizationId);
    }

    /**
     * The console users with this email, oldest first: one per organization that has it, or only
     * the one of {@code organizationId} when that is not null.
     */
    public List<UserRow> usersByEmail(String email, String organizationId) {
        if (organizationId != null) {
            return queryUsers(
                    "SELECT id, organization_id, email, password_hash, created_at FROM"
                            + " console_users WHERE email = ? AND organization_id = ?",
                    email,
                    organizationId);
        }
        return queryUsers(
                "SELECT id, organization_id, email, password_hash, created_at FROM console_users"
                        + " WHERE email = ? ORDER BY created_at, id",
                email);
    }

    private List<UserRow> queryUsers(String sql, String... params) {
        return Jdbc.withConnection(
                ds,
                "read console users",
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        for (int i = 0; i < params.length; i++) {
                            ps.setString(i + 1, params[i]);
                        }
                        List<UserRow> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(
                                        new UserRow(
                                                rs.getString(1),
                                                rs.getString(2),
                                                rs.getString(3),
                                                rs.getString(4),
                                                Micros.toInstant(rs.getLong(5))));
                            }
                        }
                        return out;
                    }
                });
    }

    /** Replaces a user's password hash (a stronger hash of the same password after a login). */
    public void updatePasswordHash(String userId, String passwordHash) {
        Jdbc.withConnection(
                ds,
                "update console user",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE console_users SET password_hash = ? WHERE id = ?")) {
                        ps.setString(1, passwordHash);
                        ps.setString(2, userId);
                        return ps.executeUpdate();
                    }
                });
    }

    /**
     * Deletes a console user of the organization and all its sessions, in one transaction.
     *
     * @return false when the organization has no such user
     */
    public boolean deleteUser(String organizationId, String userId) {
        return Jdbc.inTransaction(
                ds,
                "delete console user",
                c -> {
                    try (PreparedStatement sessions =
                                    c.prepareStatement(
                                            "DELETE FROM console_sessions WHERE user_id = ? AND"
                                                    + " organization_id = ?");
                            PreparedStatement user =
                                    c.prepareStatement(
                                            "DELETE FROM console_users WHERE id = ? AND"
                                                    + " organization_id = ?")) {
                        sessions.setString(1, userId);
                        sessions.setString(2, organizationId);
                        sessions.executeUpdate();
                        user.setString(1, userId);
                        user.setString(2, organizationId);
                        return user.executeUpdate() == 1;
                    }
                });
    }

    /** The unrevoked admin API key with this hash. */
    public Optional<AdminKey> adminKey(String keyHash) {
        return Jdbc.withConnection(
                ds,
                "look up admin key",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT id, organization_id FROM admin_api_keys WHERE"
                                            + " key_hash = ? AND revoked_at IS NULL")) {
                        ps.setString(1, keyHash);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next()
                                    ? Optional.of(new AdminKey(rs.getString(1), rs.getString(2)))
                                    : Optional.empty();
                        }
                    }
                });
    }

    // ------------------------------------------------------------------------------ sessions

    /** Stores a new session (its user fields other than the id are ignored). */
    public void createSession(SessionRow s) {
        Jdbc.withConnection(
                ds,
                "create console session",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO console_sessions (token_hash, organization_id,"
                                            + " user_id, admin_key_id, csrf_token, created_at,"
                                            + " last_seen_at, expires_at) VALUES (?, ?, ?, ?, ?,"
                                            + " ?, ?, ?)")) {
                        ps.setString(1, s.tokenHash());
                        ps.setString(2, s.organizationId());
                        Jdbc.setString(ps, 3, s.userId());
                        Jdbc.setString(ps, 4, s.adminKeyId());
                        ps.setString(5, s.csrfToken());
                        ps.setLong(6, Micros.of(s.createdAt()));
                        ps.setLong(7, Micros.of(s.lastSeenAt()));
                        ps.setLong(8, Micros.of(s.expiresAt()));
                        return ps.executeUpdate();
                    }
                });
    }

    /**
     * The session with this token hash that has not expired at {@code now}. A session opened with
     * an admin key that has been revoked since is not found.
     */
    public Optional<SessionRow> findSession(String tokenHash, Instant now) {
        return Jdbc.withConnection(
                ds,
                "read console session",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + SESSION_COLUMNS
                                            + " FROM console_sessions s"
                                            + " LEFT JOIN console_users u ON u.id = s.user_id"
                                            + " LEFT JOIN admin_api_keys k ON k.id ="
                                            + " s.admin_key_id"
                                            + " WHERE s.token_hash = ? AND s.expires_at > ?"
                                            + " AND (s.user_id IS NULL OR u.id IS NOT NULL)"
                                            + " AND (s.admin_key_id IS NULL OR (k.id IS NOT NULL"
                                            + " AND k.revoked_at IS NULL))")) {
                        ps.setString(1, tokenHash);
                        ps.setLong(2, Micros.of(now));
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Optional.of(session(rs)) : Optional.empty();
                        }
                    }
                });
    }

    private static SessionRow session(ResultSet rs) throws SQLException {
        return new SessionRow(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                userCreatedAt(rs),
                rs.getString(6),
                rs.getString(7),
                Micros.toInstant(rs.getLong(8)),
                Micros.toInstant(rs.getLong(9)),
                Micros.toInstant(rs.getLong(10)));
    }

    private static Instant userCreatedAt(ResultSet rs) throws SQLException {
        long v = rs.getLong(5);
        return rs.wasNull() ? null : Micros.toInstant(v);
    }

    /** Records activity on a session: its new last-seen time and expiry. */
    public void touchSession(String tokenHash, Instant lastSeenAt, Instant expiresAt) {
        Jdbc.withConnection(
                ds,
                "touch console session",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE console_sessions SET last_seen_at = ?, expires_at = ?"
                                            + " WHERE token_hash = ?")) {
                        ps.setLong(1, Micros.of(lastSeenAt));
                        ps.setLong(2, Micros.of(expiresAt));
                        ps.setString(3, tokenHash);
                        return ps.executeUpdate();
                    }
                });
    }

    /**
     * Deletes a session (logout).
     *
     * @return false when there was no such session
     */
    public boolean deleteSession(String tokenHash) {
        return Jdbc.withConnection(
                ds,
                "delete console session",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "DELETE FROM console_sessions WHERE token_hash = ?")) {
                        ps.setString(1, tokenHash);
                        return ps.executeUpdate() == 1;
                    }
                });
    }

    /** How many sessions the organization has (any state); for tests and housekeeping figures. */
    public int countSessions(String organizationId) {
        return Jdbc.withConnection(
                ds,
                "count console sessions",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT COUNT(*) FROM console_sessions WHERE"
                                            + " organization_id = ?")) {
                        ps.setString(1, organizationId);
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            return rs.getInt(1);
                        }
                    }
                });
    }

    /** Deletes the sessions that expired at or before {@code now}; returns how many. */
    public int purgeSessionsExpiredAt(Instant now) {
        return deleteBefore(
                "DELETE FROM console_sessions WHERE expires_at <= ?",
                now,
                "purge console sessions");
    }

    // ------------------------------------------------------------------------------ failed logins

    /** Records one failed login for each subject (hashes of what is throttled). */
    public void recordFailure(List<String> subjects, Instant at) {
        Jdbc.inTransaction(
                ds,
                "record failed login",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO console_login_failures (subject, failed_at)"
                                            + " VALUES (?, ?)")) {
                        for (String s : subjects) {
                            ps.setString(1, s);
                            ps.setLong(2, Micros.of(at));
                            ps.addBatch();
                        }
                        ps.executeBatch();
                        return null;
                    }
                });
    }

    /** The failed logins of a subject after {@code since}. */
    public Failures failuresSince(String subject, Instant since) {
        return Jdbc.withConnection(
                ds,
                "count failed logins",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT COUNT(*), MIN(failed_at) FROM console_login_failures"
                                            + " WHERE subject = ? AND failed_at > ?")) {
                        ps.setString(1, subject);
                        ps.setLong(2, Micros.of(since));
                        try (ResultSet rs = ps.executeQuery()) {
                            rs.next();
                            int n = rs.getInt(1);
                            long oldest = rs.getLong(2);
                            return new Failures(n, rs.wasNull() ? null : Micros.toInstant(oldest));
                        }
                    }
                });
    }

    /** Forgets a subject's failed logins (after a successful login). */
    public void clearFailures(String subject) {
        Jdbc.withConnection(
                ds,
                "clear failed logins",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "DELETE FROM console_login_failures WHERE subject = ?")) {
                        ps.setString(1, subject);
                        return ps.executeUpdate();
                    }
                });
    }

    /** Deletes failed logins at or before {@code t}; returns how many. */
    public int purgeFailuresBefore(Instant t) {
        return deleteBefore(
                "DELETE FROM console_login_failures WHERE failed_at <= ?",
                t,
                "purge failed logins");
    }

    private int deleteBefore(String sql, Instant t, String what) {
        return Jdbc.withConnection(
                ds,
                what,
                c -> {
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        ps.setLong(1, Micros.of(t));
                        return ps.executeUpdate();
                    }
                });
    }
}
