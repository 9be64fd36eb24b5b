package org.ironbridge.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;
import javax.sql.DataSource;

/**
 * Webhook endpoints, the outbox of webhook events, and their deliveries with every attempt (see
 * {@code V7__webhooks.sql}).
 *
 * <p>Claiming is cluster-safe without holding locks while sending: candidates are read without
 * locks, then each is claimed by a conditional update of its primary key ({@code status = 'pending'
 * AND next_attempt_at <= now}) that sets a lease owner unique to the claim and moves {@code
 * next_attempt_at} to the end of the lease; of two nodes, only one update matches. (H2 2.4 answers
 * {@code SELECT … FOR UPDATE SKIP LOCKED} with an empty set instead of the next unlocked rows, and
 * a locking range scan on MariaDB would block the inserts of the outbox: hence no {@code SKIP
 * LOCKED}.)
 *
 * @since 0.2
 */
public final class WebhookRepository {
    public static final String PENDING = "pending";
    public static final String SUCCEEDED = "succeeded";
    public static final String FAILED = "failed";

    /** Ids per IN list. */
    private static final int IN_CHUNK = 500;

    private static final String ENDPOINT_COLUMNS =
            "id, organization_id, url, events, description, secret, enabled, created_at,"
                    + " updated_at";
    private static final String DELIVERY_COLUMNS =
            "d.id, d.endpoint_id, d.event_id, ev.type, ev.connection_id, d.status, d.attempts,"
                    + " d.next_attempt_at, d.last_attempt_at, d.last_status_code, d.last_error,"
                    + " d.created_at, d.finished_at, d.replay_of";

    /**
     * A row of {@code webhook_endpoints}.
     *
     * @param events the subscribed event types
     * @param secret the signing secret as the engine's vault stored it, never clear text
     */
    public record Endpoint(
            String id,
            String organizationId,
            String url,
            List<String> events,
            String description,
            String secret,
            boolean enabled,
            Instant createdAt,
            Instant updatedAt) {
        public Endpoint {
            events = List.copyOf(events);
        }
    }

    /** An event to write to the outbox; {@code payload} is the JSON body sent to endpoints. */
    public record NewEvent(
            String id,
            String organizationId,
            String connectionId,
            String type,
            Instant createdAt,
            String payload) {}

    /**
     * A pending delivery of an event to an endpoint: due at once, or already claimed by the node
     * that makes the change (it sends the delivery right after the commit; should it die first, the
     * delivery is due when the lease ends).
     *
     * @param leaseOwner the claim's owner, or null for a delivery due at once
     * @param leaseUntil the end of that claim, or null
     */
    public record NewDelivery(
            String id,
            String endpointId,
            String eventId,
            String organizationId,
            Instant createdAt,
            String leaseOwner,
            Instant leaseUntil) {
        /** A delivery due at once. */
        public NewDelivery(
                String id,
                String endpointId,
                String eventId,
                String organizationId,
                Instant createdAt) {
            this(id, endpointId, eventId, organizationId, createdAt, null, null);
        }
    }

    /** One attempt at sending a delivery. */
    public record Attempt(
            int attempt,
            Instant attemptedAt,
            Integer statusCode,
            int latencyMs,
            String error,
            Instant nextAttemptAt,
            String node) {}

    /**
     * A delivery with its event's type and its attempts, oldest first.
     *
     * @param status {@link #PENDING}, {@link #SUCCEEDED} or {@link #FAILED}
     * @param nextAttemptAt when a pending delivery is due (or its lease ends while it is being
     *     sent); null once finished
     */
    public record Delivery(
            String id,
            String endpointId,
            String eventId,
            String eventType,
            String connectionId,
            String status,
            int attempts,
            Instant nextAttemptAt,
            Instant lastAttemptAt,
            Integer lastStatusCode,
            String lastError,
            Instant createdAt,
            Instant finishedAt,
            String replayOf,
            List<Attempt> attemptList) {}

    /**
     * A delivery claimed for sending, with what sending needs.
     *
     * @param leaseOwner proves the claim when the result is recorded
     * @param attempts the attempts made before this one
     * @param createdAt when the delivery was created (its retry window starts then)
     * @param secret the endpoint's secret as the vault stored it
     */
    public record Claimed(
            String deliveryId,
            String leaseOwner,
            int attempts,
            Instant createdAt,
            String endpointId,
            String url,
            String secret,
            String eventId,
            String eventType,
            Instant eventCreatedAt,
            String payload) {}

    /**
     * The outcome of one attempt, to record.
     *
     * @param statusCode the receiver's HTTP status, null when it did not answer
     * @param succeeded a 2xx answer: the delivery is done
     * @param nextAttemptAt the next attempt of a delivery that did not succeed; null when it has
     *     failed for good
     */
    public record Result(
            String deliveryId,
            String leaseOwner,
            int attempt,
            Instant attemptedAt,
            Integer statusCode,
            int latencyMs,
            String error,
            boolean succeeded,
            Instant nextAttemptAt,
            String node) {}

    private final DataSource ds;

    public WebhookRepository(DataSource ds) {
        this.ds = ds;
    }

    // ------------------------------------------------------------------------------- endpoints

    public void createEndpoint(Endpoint e) {
        Jdbc.withConnection(
                ds,
                "create webhook endpoint",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO webhook_endpoints ("
                                            + ENDPOINT_COLUMNS
                                            + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                        ps.setString(1, e.id());
                        ps.setString(2, e.organizationId());
                        ps.setString(3, e.url());
                        ps.setString(4, String.join(",", e.events()));
                        Jdbc.setString(ps, 5, e.description());
                        ps.setString(6, e.secret());
                        ps.setInt(7, e.enabled() ? 1 : 0);
                        ps.setLong(8, Micros.of(e.createdAt()));
                        ps.setLong(9, Micros.of(e.updatedAt()));
                        return ps.executeUpdate();
                    }
                });
    }

    /** An endpoint of the organization; another organization's endpoint is not found. */
    public Optional<Endpoint> endpoint(String organizationId, String id) {
        return Jdbc.withConnection(
                ds,
                "read webhook endpoint",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + ENDPOINT_COLUMNS
                                            + " FROM webhook_endpoints WHERE id = ? AND"
                                            + " organization_id = ?")) {
                        ps.setString(1, id);
                        ps.setString(2, organizationId);
                        try (ResultSet rs = ps.executeQuery()) {
                            return rs.next() ? Optional.of(mapEndpoint(rs)) : Optional.empty();
                        }
                    }
                });
    }

    /**
     * A page of the organization's endpoints, newest first.
     *
     * @param beforeCreatedAt with {@code beforeId}: the previous page's last row, or null
     */
    public List<Endpoint> endpoints(
            String organizationId, Instant beforeCreatedAt, String beforeId, int limit) {
        return Jdbc.withConnection(
                ds,
                "list webhook endpoints",
                c -> {
                    String sql =
                            "SELECT "
                                    + ENDPOINT_COLUMNS
                                    + " FROM webhook_endpoints WHERE organization_id = ?"
                                    + (beforeCreatedAt == null
                                            ? ""
                                            : " AND created_at <= ? AND (created_at < ? OR id <"
                                                    + " ?)")
                                    + " ORDER BY created_at DESC, id DESC LIMIT ?";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        int i = 1;
                        ps.setString(i++, organizationId);
                        if (beforeCreatedAt != null) {
                            ps.setLong(i++, Micros.of(beforeCreatedAt));
                            ps.setLong(i++, Micros.of(beforeCreatedAt));
                            ps.setString(i++, beforeId);
                        }
                        ps.setInt(i, limit);
                        List<Endpoint> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(mapEndpoint(rs));
                            }
                        }
                        return out;
                    }
                });
    }

    /** The enabled endpoints of an organization, in the caller's transaction (for the outbox). */
    public static List<Endpoint> enabledEndpoints(Connection c, String organizationId)
            throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement(
                        "SELECT "
                                + ENDPOINT_COLUMNS
                                + " FROM webhook_endpoints WHERE organization_id = ? AND enabled"
                                + " = 1")) {
            ps.setString(1, organizationId);
            List<Endpoint> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    out.add(mapEndpoint(rs));
                }
            }
            return out;
        }
    }

    /**
     * The organization of a connection, in the caller's transaction; null if there is no such
     * connection.
     */
    public static String organizationOf(Connection c, String connectionId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT organization_id FROM connections WHERE id = ?")) {
            ps.setString(1, connectionId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Updates url, events, description, enabled and updated_at; false if there is no such row. */
    public boolean updateEndpoint(Endpoint e) {
        return Jdbc.withConnection(
                ds,
                "update webhook endpoint",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE webhook_endpoints SET url = ?, events = ?, description"
                                            + " = ?, enabled = ?, updated_at = ? WHERE id = ? AND"
                                            + " organization_id = ?")) {
                        ps.setString(1, e.url());
                        ps.setString(2, String.join(",", e.events()));
                        Jdbc.setString(ps, 3, e.description());
                        ps.setInt(4, e.enabled() ? 1 : 0);
                        ps.setLong(5, Micros.of(e.updatedAt()));
                        ps.setString(6, e.id());
                        ps.setString(7, e.organizationId());
                        return ps.executeUpdate() == 1;
                    }
                });
    }

    /**
     * Ends the pending deliveries of an endpoint as failed with the given reason (the endpoint was
     * disabled). A delivery being sent right now (its claim has not ended) keeps the outcome of
     * that attempt.
     *
     * @return the number of deliveries ended
     */
    public int failPending(String endpointId, String reason, Instant now) {
        return Jdbc.withConnection(
                ds,
                "end pending webhook deliveries",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE webhook_deliveries SET status = ?, next_attempt_at ="
                                            + " NULL, last_error = ?, finished_at = ? WHERE"
                                            + " endpoint_id = ? AND status = ? AND (lease_owner"
                                            + " IS NULL OR next_attempt_at < ?)")) {
                        ps.setString(1, FAILED);
                        ps.setString(2, Jdbc.cut(reason, 1000));
                        ps.setLong(3, Micros.of(now));
                        ps.setString(4, endpointId);
                        ps.setString(5, PENDING);
                        ps.setLong(6, Micros.of(now));
                        return ps.executeUpdate();
                    }
                });
    }

    /**
     * Deletes an endpoint of the organization with its deliveries and their attempts (its events
     * stay while other deliveries need them; {@link #purge} removes them later).
     *
     * @return false if the organization has no such endpoint
     */
    public boolean deleteEndpoint(String organizationId, String id) {
        return Jdbc.inTransaction(
                ds,
                "delete webhook endpoint",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT id FROM webhook_endpoints WHERE id = ? AND"
                                            + " organization_id = ? FOR UPDATE")) {
                        ps.setString(1, id);
                        ps.setString(2, organizationId);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                return false;
                            }
                        }
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "DELETE FROM webhook_attempts WHERE delivery_id IN (SELECT id"
                                            + " FROM webhook_deliveries WHERE endpoint_id = ?)")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "DELETE FROM webhook_deliveries WHERE endpoint_id = ?")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement("DELETE FROM webhook_endpoints WHERE id = ?")) {
                        ps.setString(1, id);
                        ps.executeUpdate();
                    }
                    return true;
                });
    }

    // ---------------------------------------------------------------------------------- outbox

    /**
     * Writes events and their deliveries in the caller's transaction (the one that makes the
     * change), as JDBC batches.
     */
    public static void enqueue(Connection c, List<NewEvent> events, List<NewDelivery> deliveries)
            throws SQLException {
        if (events.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO webhook_events (id, organization_id, connection_id, type,"
                                + " created_at, payload) VALUES (?, ?, ?, ?, ?, ?)")) {
            for (NewEvent e : events) {
                ps.setString(1, e.id());
                ps.setString(2, e.organizationId());
                Jdbc.setString(ps, 3, e.connectionId());
                ps.setString(4, e.type());
                ps.setLong(5, Micros.of(e.createdAt()));
                ps.setString(6, e.payload());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        insertDeliveries(c, deliveries, null);
    }

    private static void insertDeliveries(
            Connection c, List<NewDelivery> deliveries, String replayOf) throws SQLException {
        if (deliveries.isEmpty()) {
            return;
        }
        try (PreparedStatement ps =
                c.prepareStatement(
                        "INSERT INTO webhook_deliveries (id, endpoint_id, event_id,"
                                + " organization_id, status, attempts, next_attempt_at,"
                                + " lease_owner, created_at, replay_of) VALUES (?, ?, ?, ?, ?, 0,"
                                + " ?, ?, ?, ?)")) {
            for (NewDelivery d : deliveries) {
                ps.setString(1, d.id());
                ps.setString(2, d.endpointId());
                ps.setString(3, d.eventId());
                ps.setString(4, d.organizationId());
                ps.setString(5, PENDING);
                ps.setLong(6, Micros.of(d.leaseUntil() != null ? d.leaseUntil() : d.createdAt()));
                Jdbc.setString(ps, 7, d.leaseOwner());
                ps.setLong(8, Micros.of(d.createdAt()));
                Jdbc.setString(ps, 9, replayOf);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    // -------------------------------------------------------------------------------- dispatch

    /**
     * Claims due pending deliveries of enabled endpoints, most overdue first: each is leased to
     * {@code leaseOwner} until {@code leaseUntil}, when it is due again unless its result was
     * recorded.
     *
     * @param leaseOwner unique to this claim (e.g. node name and a counter)
     * @param take decides, candidate by candidate, whether to take it (e.g. a limit per endpoint);
     *     called with the candidate's endpoint id
     * @return the deliveries this claim won; another node may have won some of the candidates
     */
    public List<Claimed> claim(
            String leaseOwner, Instant now, Instant leaseUntil, int limit, Predicate<String> take) {
        if (limit <= 0) {
            return List.of();
        }
        List<Claimed> candidates =
                Jdbc.withConnection(
                        ds,
                        "find due webhook deliveries",
                        c -> candidates(c, leaseOwner, now, limit, take));
        if (candidates.isEmpty()) {
            return candidates;
        }
        Set<String> won =
                Jdbc.inTransaction(
                        ds,
                        "claim webhook deliveries",
                        c -> {
                            List<String> ids = new ArrayList<>();
                            for (Claimed k : candidates) {
                                ids.add(k.deliveryId());
                            }
                            // lock the candidates by primary key (in id order: two claims lock
                            // common rows in the same order), keep those still due, lease them
                            Set<String> due = new HashSet<>();
                            long t = Micros.of(now);
                            Collections.sort(ids);
                            for (List<String> chunk : paddedChunks(ids)) {
                                try (PreparedStatement ps =
                                        c.prepareStatement(
                                                "SELECT id, status, next_attempt_at FROM"
                                                        + " webhook_deliveries WHERE id IN ("
                                                        + marks(chunk.size())
                                                        + ") ORDER BY id FOR UPDATE")) {
                                    for (int i = 0; i < chunk.size(); i++) {
                                        ps.setString(i + 1, chunk.get(i));
                                    }
                                    try (ResultSet rs = ps.executeQuery()) {
                                        while (rs.next()) {
                                            if (PENDING.equals(rs.getString(2))
                                                    && rs.getLong(3) <= t) {
                                                due.add(rs.getString(1));
                                            }
                                        }
                                    }
                                }
                            }
                            if (due.isEmpty()) {
                                return due;
                            }
                            // by primary key only: a condition on the due index's columns makes
                            // H2 scan the whole backlog for each row
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "UPDATE webhook_deliveries SET lease_owner = ?,"
                                                    + " next_attempt_at = ? WHERE id = ?")) {
                                for (String id : ids) {
                                    if (!due.contains(id)) {
                                        continue;
                                    }
                                    ps.setString(1, leaseOwner);
                                    ps.setLong(2, Micros.of(leaseUntil));
                                    ps.setString(3, id);
                                    ps.addBatch();
                                }
                                ps.executeBatch();
                            }
                            return due;
                        });
        List<Claimed> out = new ArrayList<>(won.size());
        for (Claimed k : candidates) {
            if (won.contains(k.deliveryId())) {
                out.add(k);
            }
        }
        return out;
    }

    /** Due deliveries to claim, read without locks. */
    private static List<Claimed> candidates(
            Connection c, String leaseOwner, Instant now, int limit, Predicate<String> take)
            throws SQLException {
        // the due deliveries first, by the due index and a limit, then their endpoints and events:
        // a join around the ordered scan would make both databases sort the whole backlog. The
        // lower bound matters: H2 starts a range with only an upper bound at the index's first
        // entry and walks every finished delivery (next_attempt_at NULL, sorted first) each time
        String sql =
                "SELECT d.id, d.attempts, d.created_at, d.endpoint_id, e.url, e.secret,"
                        + " d.event_id, ev.type, ev.created_at, ev.payload FROM (SELECT id,"
                        + " attempts, created_at, endpoint_id, event_id, next_attempt_at FROM"
                        + " webhook_deliveries WHERE next_attempt_at >= 0 AND next_attempt_at <="
                        + " ? AND status = ? ORDER BY next_attempt_at LIMIT ?) d JOIN"
                        + " webhook_endpoints e ON e.id"
                        + " = d.endpoint_id JOIN webhook_events ev ON ev.id = d.event_id WHERE"
                        + " e.enabled = 1 ORDER BY d.next_attempt_at";
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            int p = 1;
            ps.setLong(p++, Micros.of(now));
            ps.setString(p++, PENDING);
            // read a few more, in case some are not taken
            ps.setInt(p, limit * 2);
            List<Claimed> out = new ArrayList<>();
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next() && out.size() < limit) {
                    String endpointId = rs.getString(4);
                    if (!take.test(endpointId)) {
                        continue;
                    }
                    out.add(
                            new Claimed(
                                    rs.getString(1),
                                    leaseOwner,
                                    rs.getInt(2),
                                    Micros.toInstant(rs.getLong(3)),
                                    endpointId,
                                    rs.getString(5),
                                    rs.getString(6),
                                    rs.getString(7),
                                    rs.getString(8),
                                    Micros.toInstant(rs.getLong(9)),
                                    rs.getString(10)));
                }
            }
            return out;
        }
    }

    /**
     * Records attempts in one transaction: each delivery whose lease its claim still holds gets its
     * attempt, its new state and its lease released; a result whose lease was lost (it expired and
     * another node claimed the delivery) is dropped.
     *
     * @return the number of results recorded
     */
    public int record(List<Result> results) {
        if (results.isEmpty()) {
            return 0;
        }
        List<Result> sorted = new ArrayList<>(results);
        sorted.sort(Comparator.comparing(Result::deliveryId));
        return Jdbc.inTransaction(
                ds,
                "record webhook attempts",
                c -> {
                    Map<String, String> owners = new HashMap<>();
                    List<String> ids = new ArrayList<>();
                    for (Result r : sorted) {
                        ids.add(r.deliveryId());
                    }
                    for (List<String> chunk : paddedChunks(ids)) {
                        try (PreparedStatement ps =
                                c.prepareStatement(
                                        "SELECT id, lease_owner FROM webhook_deliveries WHERE id"
                                                + " IN ("
                                                + marks(chunk.size())
                                                + ") FOR UPDATE")) {
                            for (int i = 0; i < chunk.size(); i++) {
                                ps.setString(i + 1, chunk.get(i));
                            }
                            try (ResultSet rs = ps.executeQuery()) {
                                while (rs.next()) {
                                    owners.put(rs.getString(1), rs.getString(2));
                                }
                            }
                        }
                    }
                    List<Result> held = new ArrayList<>();
                    for (Result r : sorted) {
                        if (r.leaseOwner().equals(owners.get(r.deliveryId()))) {
                            held.add(r);
                        }
                    }
                    if (held.isEmpty()) {
                        return 0;
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "UPDATE webhook_deliveries SET status = ?, attempts = ?,"
                                            + " next_attempt_at = ?, lease_owner = NULL,"
                                            + " last_attempt_at = ?, last_status_code = ?,"
                                            + " last_error = ?, finished_at = ? WHERE id = ? AND"
                                            + " lease_owner = ?")) {
                        for (Result r : held) {
                            String status =
                                    r.succeeded()
                                            ? SUCCEEDED
                                            : (r.nextAttemptAt() == null ? FAILED : PENDING);
                            boolean finished = !PENDING.equals(status);
                            ps.setString(1, status);
                            ps.setInt(2, r.attempt());
                            Jdbc.setMicros(ps, 3, finished ? null : r.nextAttemptAt());
                            ps.setLong(4, Micros.of(r.attemptedAt()));
                            setInteger(ps, 5, r.statusCode());
                            Jdbc.setString(ps, 6, Jdbc.cut(r.error(), 1000));
                            Jdbc.setMicros(ps, 7, finished ? r.attemptedAt() : null);
                            ps.setString(8, r.deliveryId());
                            ps.setString(9, r.leaseOwner());
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "INSERT INTO webhook_attempts (delivery_id, attempt,"
                                            + " attempted_at, status_code, latency_ms, error,"
                                            + " next_attempt_at, node) VALUES (?, ?, ?, ?, ?, ?,"
                                            + " ?, ?)")) {
                        for (Result r : held) {
                            ps.setString(1, r.deliveryId());
                            ps.setInt(2, r.attempt());
                            ps.setLong(3, Micros.of(r.attemptedAt()));
                            setInteger(ps, 4, r.statusCode());
                            ps.setInt(5, r.latencyMs());
                            Jdbc.setString(ps, 6, Jdbc.cut(r.error(), 1000));
                            Jdbc.setMicros(ps, 7, r.succeeded() ? null : r.nextAttemptAt());
                            Jdbc.setString(ps, 8, Jdbc.cut(r.node(), 100));
                            ps.addBatch();
                        }
                        ps.executeBatch();
                    }
                    return held.size();
                });
    }

    // ----------------------------------------------------------------------------------- admin

    /** A delivery of the organization with its attempts; another organization's is not found. */
    public Optional<Delivery> delivery(String organizationId, String id) {
        return Jdbc.withConnection(
                ds,
                "read webhook delivery",
                c -> {
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT "
                                            + DELIVERY_COLUMNS
                                            + " FROM webhook_deliveries d JOIN webhook_events ev"
                                            + " ON ev.id = d.event_id WHERE d.id = ? AND"
                                            + " d.organization_id = ?")) {
                        ps.setString(1, id);
                        ps.setString(2, organizationId);
                        List<Delivery> found = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                found.add(mapDelivery(rs));
                            }
                        }
                        List<Delivery> full = withAttempts(c, found);
                        return full.isEmpty() ? Optional.empty() : Optional.of(full.get(0));
                    }
                });
    }

    /**
     * A page of an endpoint's deliveries, newest first, with their attempts.
     *
     * @param beforeCreatedAt with {@code beforeId}: the previous page's last row, or null
     */
    public List<Delivery> deliveries(
            String endpointId, Instant beforeCreatedAt, String beforeId, int limit) {
        return Jdbc.withConnection(
                ds,
                "list webhook deliveries",
                c -> {
                    String sql =
                            "SELECT "
                                    + DELIVERY_COLUMNS
                                    + " FROM webhook_deliveries d JOIN webhook_events ev ON ev.id"
                                    + " = d.event_id WHERE d.endpoint_id = ?"
                                    + (beforeCreatedAt == null
                                            ? ""
                                            : " AND d.created_at <= ? AND (d.created_at < ? OR"
                                                    + " d.id < ?)")
                                    + " ORDER BY d.created_at DESC, d.id DESC LIMIT ?";
                    try (PreparedStatement ps = c.prepareStatement(sql)) {
                        int i = 1;
                        ps.setString(i++, endpointId);
                        if (beforeCreatedAt != null) {
                            ps.setLong(i++, Micros.of(beforeCreatedAt));
                            ps.setLong(i++, Micros.of(beforeCreatedAt));
                            ps.setString(i++, beforeId);
                        }
                        ps.setInt(i, limit);
                        List<Delivery> out = new ArrayList<>();
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                out.add(mapDelivery(rs));
                            }
                        }
                        return withAttempts(c, out);
                    }
                });
    }

    /**
     * Sends a delivery's event to its endpoint again: a new pending delivery, due at once, that
     * records which delivery it replays.
     *
     * @return the new delivery, or empty if the organization has no such delivery
     */
    public Optional<Delivery> replay(
            String organizationId, String deliveryId, String newId, Instant now) {
        return Jdbc.inTransaction(
                ds,
                "replay webhook delivery",
                c -> {
                    NewDelivery d;
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT endpoint_id, event_id FROM webhook_deliveries WHERE"
                                            + " id = ? AND organization_id = ?")) {
                        ps.setString(1, deliveryId);
                        ps.setString(2, organizationId);
                        try (ResultSet rs = ps.executeQuery()) {
                            if (!rs.next()) {
                                return Optional.<Delivery>empty();
                            }
                            d =
                                    new NewDelivery(
                                            newId,
                                            rs.getString(1),
                                            rs.getString(2),
                                            organizationId,
                                            now);
                        }
                    }
                    insertDeliveries(c, List.of(d), deliveryId);
                    return Optional.of(
                            new Delivery(
                                    newId,
                                    d.endpointId(),
                                    d.eventId(),
                                    eventType(c, d.eventId()),
                                    null,
                                    PENDING,
                                    0,
                                    now,
                                    null,
                                    null,
                                    null,
                                    now,
                                    null,
                                    deliveryId,
                                    List.of()));
                });
    }

    private static String eventType(Connection c, String eventId) throws SQLException {
        try (PreparedStatement ps =
                c.prepareStatement("SELECT type FROM webhook_events WHERE id = ?")) {
            ps.setString(1, eventId);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /**
     * Housekeeping: deletes deliveries (with their attempts) that finished before {@code before},
     * then events older than that which no delivery needs any more, at most {@code batch} rows of
     * each per call.
     *
     * @return the number of deliveries and events deleted
     */
    public int purge(Instant before, int batch) {
        return Jdbc.inTransaction(
                ds,
                "purge webhook deliveries",
                c -> {
                    List<String> ids = new ArrayList<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT id FROM webhook_deliveries WHERE finished_at >= 0"
                                            + " AND finished_at < ? ORDER BY finished_at"
                                            + " LIMIT ?")) {
                        ps.setLong(1, Micros.of(before));
                        ps.setInt(2, batch);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                ids.add(rs.getString(1));
                            }
                        }
                    }
                    int n = 0;
                    for (List<String> chunk : chunks(ids)) {
                        for (String table :
                                new String[] {"webhook_attempts", "webhook_deliveries"}) {
                            try (PreparedStatement ps =
                                    c.prepareStatement(
                                            "DELETE FROM "
                                                    + table
                                                    + " WHERE "
                                                    + (table.equals("webhook_attempts")
                                                            ? "delivery_id"
                                                            : "id")
                                                    + " IN ("
                                                    + marks(chunk.size())
                                                    + ")")) {
                                for (int i = 0; i < chunk.size(); i++) {
                                    ps.setString(i + 1, chunk.get(i));
                                }
                                int deleted = ps.executeUpdate();
                                if (table.equals("webhook_deliveries")) {
                                    n += deleted;
                                }
                            }
                        }
                    }
                    List<String> events = new ArrayList<>();
                    try (PreparedStatement ps =
                            c.prepareStatement(
                                    "SELECT ev.id FROM webhook_events ev WHERE ev.created_at < ?"
                                            + " AND NOT EXISTS (SELECT 1 FROM webhook_deliveries d"
                                            + " WHERE d.event_id = ev.id) ORDER BY ev.created_at"
                                            + " LIMIT ?")) {
                        ps.setLong(1, Micros.of(before));
                        ps.setInt(2, batch);
                        try (ResultSet rs = ps.executeQuery()) {
                            while (rs.next()) {
                                events.add(rs.getString(1));
                            }
                        }
                    }
                    for (List<String> chunk : chunks(events)) {
                        try (PreparedStatement ps =
                                c.prepareStatement(
                                        "DELETE FROM webhook_events WHERE id IN ("
                                                + marks(chunk.size())
                                                + ")")) {
                            for (int i = 0; i < chunk.size(); i++) {
                                ps.setString(i + 1, chunk.get(i));
                            }
                            n += ps.executeUpdate();
                        }
                    }
                    return n;
                });
    }

    // --------------------------------------------------------------------------------- helpers

    private static List<Delivery> withAttempts(Connection c, List<Delivery> deliveries)
            throws SQLException {
        if (deliveries.isEmpty()) {
            return deliveries;
        }
        Map<String, List<Attempt>> attempts = new HashMap<>();
        List<String> ids = new ArrayList<>();
        for (Delivery d : deliveries) {
            ids.add(d.id());
        }
        for (List<String> chunk : chunks(ids)) {
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "SELECT delivery_id, attempt, attempted_at, status_code, latency_ms,"
                                    + " error, next_attempt_at, node FROM webhook_attempts WHERE"
                                    + " delivery_id IN ("
                                    + marks(chunk.size())
                                    + ") ORDER BY delivery_id, attempt")) {
                for (int i = 0; i < chunk.size(); i++) {
                    ps.setString(i + 1, chunk.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        attempts.computeIfAbsent(rs.getString(1), k -> new ArrayList<>())
                                .add(
                                        new Attempt(
                                                rs.getInt(2),
                                                Micros.toInstant(rs.getLong(3)),
                                                Jdbc.integer(rs, "status_code"),
                                                rs.getInt(5),
                                                rs.getString(6),
                                                Jdbc.instant(rs, "next_attempt_at"),
                                                rs.getString(8)));
                    }
                }
            }
        }
        List<Delivery> out = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            out.add(
                    new Delivery(
                            d.id(),
                            d.endpointId(),
                            d.eventId(),
                            d.eventType(),
                            d.connectionId(),
                            d.status(),
                            d.attempts(),
                            d.nextAttemptAt(),
                            d.lastAttemptAt(),
                            d.lastStatusCode(),
                            d.lastError(),
                            d.createdAt(),
                            d.finishedAt(),
                            d.replayOf(),
                            List.copyOf(attempts.getOrDefault(d.id(), List.of()))));
        }
        return out;
    }

    private static Endpoint mapEndpoint(ResultSet rs) throws SQLException {
        String events = rs.getString("events");
        return new Endpoint(
                rs.getString("id"),
                rs.getString("organization_id"),
                rs.getString("url"),
                events == null || events.isEmpty() ? List.of() : Arrays.asList(events.split(",")),
                rs.getString("description"),
                rs.getString("secret"),
                rs.getInt("enabled") != 0,
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "updated_at"));
    }

    private static Delivery mapDelivery(ResultSet rs) throws SQLException {
        return new Delivery(
                rs.getString(1),
                rs.getString(2),
                rs.getString(3),
                rs.getString(4),
                rs.getString(5),
                rs.getString(6),
                rs.getInt(7),
                Jdbc.instant(rs, "next_attempt_at"),
                Jdbc.instant(rs, "last_attempt_at"),
                Jdbc.integer(rs, "last_status_code"),
                rs.getString(11),
                Jdbc.instant(rs, "created_at"),
                Jdbc.instant(rs, "finished_at"),
                rs.getString(14),
                List.of());
    }

    private static void setInteger(PreparedStatement ps, int index, Integer v) throws SQLException {
        if (v == null) {
            ps.setNull(index, Types.INTEGER);
        } else {
            ps.setInt(index, v);
        }
    }

    private static List<List<String>> chunks(Collection<String> values) {
        List<String> all = new ArrayList<>(values);
        List<List<String>> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i += IN_CHUNK) {
            out.add(all.subList(i, Math.min(all.size(), i + IN_CHUNK)));
        }
        return out;
    }

    /**
     * Like {@link #chunks}, each chunk padded (by repeating its last id) to one of a few sizes, so
     * that the hot queries' IN lists have few distinct shapes and stay in the databases' statement
     * caches instead of being parsed again each time.
     */
    private static List<List<String>> paddedChunks(Collection<String> values) {
        List<List<String>> out = new ArrayList<>();
        for (List<String> chunk : chunks(values)) {
            int size = 1;
            while (size < chunk.size()) {
                size *= 4;
            }
            size = Math.min(size, IN_CHUNK);
            List<String> padded = new ArrayList<>(size);
            padded.addAll(chunk);
            while (padded.size() < size) {
                padded.add(chunk.get(chunk.size() - 1));
            }
            out.add(padded);
        }
        return out;
    }

    private static String marks(int n) {
        return String.join(", ", Collections.nCopies(n, "?"));
    }
}
