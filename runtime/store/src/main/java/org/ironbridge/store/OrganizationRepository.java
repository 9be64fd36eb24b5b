package org.ironbridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;

/** Organizations and their admin API keys (stored as SHA-256 hashes only). */
public final class OrganizationRepository {
    private final DataSource ds;

    public OrganizationRepository(DataSource ds) {
        this.ds = ds;
    }

    public long count() {
        try (Connection c = ds.getConnection();
                PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM organizations");
                ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        } catch (SQLException e) {
            throw new StoreException("Could not count organizations", e);
        }
    }

    /**
     * Creates an organization with its first admin key in one transaction.
     *
     * @param keyHash the hex SHA-256 of the key; the key itself is never stored
     * @param keyHint the first characters of the key, to tell keys apart in lists
     */
    public Organization createWithAdminKey(
            String orgId,
            String name,
            int creditPool,
            String keyId,
            String keyHash,
            String keyHint,
            Instant now) {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            try (PreparedStatement org =
                            c.prepareStatement(
                                    "INSERT INTO organizations (id, name, credit_pool, created_at)"
                                            + " VALUES (?, ?, ?, ?)");
                    PreparedStatement key =
                            c.prepareStatement(
                                    "INSERT INTO admin_api_keys (id, organization_id, name, key_hash,"
                                            + " key_hint, created_at) VALUES (?, ?, ?, ?, ?, ?)")) {
                org.setString(1, orgId);
                org.setString(2, name);
                org.setInt(3, creditPool);
                org.setLong(4, Micros.of(now));
                org.executeUpdate();
                key.setString(1, keyId);
                key.setString(2, orgId);
                key.setString(3, "bootstrap");
                key.setString(4, keyHash);
                key.setString(5, keyHint);
                key.setLong(6, Micros.of(now));
                key.executeUpdate();
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
            return new Organization(orgId, name, creditPool, now);
        } catch (SQLException e) {
            throw new StoreException("Could not create organization", e);
        }
    }

    public Optional<Organization> find(String id) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT id, name, credit_pool, created_at FROM organizations WHERE id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next()
                        ? Optional.of(
                                new Organization(
                                        rs.getString(1),
                                        rs.getString(2),
                                        rs.getInt(3),
                                        Micros.toInstant(rs.getLong(4))))
                        : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("Could not read organization", e);
        }
    }

    /** The organization owning the (unrevoked) admin key with this hash. */
    public Optional<String> organizationOfAdminKey(String keyHash) {
        try (Connection c = ds.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "SELECT organization_id FROM admin_api_keys"
                                        + " WHERE key_hash = ? AND revoked_at IS NULL")) {
            ps.setString(1, keyHash);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(rs.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new StoreException("Could not look up admin key", e);
        }
    }
}
