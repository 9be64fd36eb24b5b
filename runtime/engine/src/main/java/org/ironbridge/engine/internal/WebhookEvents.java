package org.ironbridge.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.ironbridge.engine.Tokens;
import org.ironbridge.store.ChangeListener;
import org.ironbridge.store.ConnectionRow;
import org.ironbridge.store.Jdbc;
import org.ironbridge.store.RecordWrite;
import org.ironbridge.store.SyncRunRow;
import org.ironbridge.store.WebhookRepository;

/**
 * The writer of the webhook outbox: turns changes into events, in the transaction of the change (as
 * the repositories' {@link ChangeListener}, and called by the {@link RecordWriter} for each page or
 * record it writes), and wakes the dispatcher once that transaction has committed.
 *
 * <p>An event is written only when an enabled endpoint of the organization subscribes to its type,
 * with one pending delivery per such endpoint; so a sync of a million records writes no outbox rows
 * at all unless somebody listens to {@code record.*}, and when somebody does, a page's events and
 * deliveries are two JDBC batches in the page's transaction. The subscriptions of an organization
 * are cached for {@code subscriptionTtl} (and dropped at once when this node changes an endpoint),
 * so the hot paths do not query them: a change made on another node of a cluster takes effect here
 * within that time.
 *
 * <p>Bodies: {@code {"id","type","created_at","organization_id","connection_id","data"}}, where
 * {@code data} is {@code {"connection":{…},"previous_status","reason"}} for {@code connection.*},
 * {@code {"sync":{…}}} for {@code sync.*} and {@code
 * {"collection","id","remote_id","updated_at","deleted_at"}} for {@code record.*}: a record event
 * names the record rather than carrying it, which keeps the outbox small for large syncs and never
 * sends an outdated copy (deliveries are at least once and may arrive out of order; the record is
 * one {@code GET /v1/{collection}/{id}} away).
 */
final class WebhookEvents implements ChangeListener {
    static final String CONNECTION_CREATED = "connection.created";
    static final String STATUS_CHANGED = "connection.status_changed";
    static final String REAUTHORIZATION_REQUIRED = "connection.reauthorization_required";
    static final String DISCONNECTED = "connection.disconnected";
    static final String SYNC_COMPLETED = "sync.completed";
    static final String SYNC_FAILED = "sync.failed";
    static final String RECORD_CREATED = "record.created";
    static final String RECORD_UPDATED = "record.updated";
    static final String RECORD_DELETED = "record.deleted";

    /** An enabled endpoint, where it is and the types it subscribes to. */
    private record Subscriber(String endpointId, String url, String secret, Set<String> events) {}

    /** The subscribers of an organization, valid until {@code expires} (System.nanoTime). */
    private record Subscriptions(List<Subscriber> subscribers, Set<String> types, long expires) {}

    /** An event to write: its type and data. */
    private record Pending(String type, ObjectNode data) {}

    private final long ttlNanos;
    private final ConcurrentHashMap<String, Subscriptions> subscriptions =
            new ConcurrentHashMap<>();

    /** Connection id → organization id (a connection never changes its organization). */
    private final ConcurrentHashMap<String, String> organizations = new ConcurrentHashMap<>();

    private final WebhookDispatcher dispatcher;

    /**
     * @param dispatcher sends the deliveries this node's changes create right after their commit
     */
    WebhookEvents(Duration subscriptionTtl, WebhookDispatcher dispatcher) {
        this.ttlNanos = subscriptionTtl.toNanos();
        this.dispatcher = dispatcher;
    }

    /** When (System.nanoTime) each organization's endpoints last changed on this node. */
    private final ConcurrentHashMap<String, Long> changed = new ConcurrentHashMap<>();

    /** Forgets the cached subscriptions of an organization (its endpoints changed). */
    void invalidate(String organizationId) {
        changed.put(organizationId, System.nanoTime());
        subscriptions.remove(organizationId);
    }

    // ------------------------------------------------------------------------- ChangeListener

    @Override
    public void connectionCreated(Connection c, ConnectionRow row) throws SQLException {
        organizations.put(row.id(), row.organizationId());
        ObjectNode data = Json.NODES.objectNode();
        data.set("connection", connection(row, row.status(), row.statusReason(), null));
        emit(
                c,
                row.organizationId(),
                row.id(),
                row.createdAt(),
                List.of(new Pending(CONNECTION_CREATED, data)));
    }

    @Override
    public void statusChanged(
            Connection c, ConnectionRow before, String status, String reason, Instant at)
            throws SQLException {
        List<Pending> events = new ArrayList<>(2);
        for (String type : statusEvents(status)) {
            ObjectNode data = Json.NODES.objectNode();
            data.set(
                    "connection",
                    connection(
                            before,
                            status,
                            Jdbc.cut(reason, 1000),
                            ConnectionRow.DISCONNECTED.equals(status)
                                    ? at
                                    : before.disconnectedAt()));
            data.put("status", status);
            data.put("previous_status", before.status());
            data.put("reason", Jdbc.cut(reason, 1000));
            events.add(new Pending(type, data));
        }
        emit(c, before.organizationId(), before.id(), at, events);
    }

    /** Every status change is announced, and the two that need action also by their own type. */
    private static List<String> statusEvents(String status) {
        if (ConnectionRow.REAUTHORIZATION_REQUIRED.equals(status)) {
            return List.of(STATUS_CHANGED, REAUTHORIZATION_REQUIRED);
        }
        if (ConnectionRow.DISCONNECTED.equals(status)) {
            return List.of(STATUS_CHANGED, DISCONNECTED);
        }
        return List.of(STATUS_CHANGED);
    }

    @Override
    public void syncRunEnded(Connection c, SyncRunRow run) throws SQLException {
        String org = organizationOf(c, run.connectionId());
        if (org == null) {
            return;
        }
        String type = SyncRunRow.SUCCEEDED.equals(run.status()) ? SYNC_COMPLETED : SYNC_FAILED;
        if (!subscriptions(c, org).types().contains(type)) {
            return;
        }
        ObjectNode sync = Json.NODES.objectNode();
        sync.put("id", run.id());
        sync.put("connection_id", run.connectionId());
        sync.put("entity", run.entity());
        sync.put("kind", run.kind());
        sync.put("status", run.status());
        sync.put("started_at", Json.time(run.startedAt()));
        sync.put("finished_at", Json.time(run.finishedAt()));
        sync.put("records_seen", run.recordsSeen());
        sync.put("records_changed", run.recordsChanged());
        sync.put("records_deleted", run.recordsDeleted());
        if (run.errorCode() == null) {
            sync.putNull("error");
        } else {
            ObjectNode error = sync.putObject("error");
            error.put("code", run.errorCode());
            error.put("message", run.errorMessage());
        }
        ObjectNode data = Json.NODES.objectNode();
        data.set("sync", sync);
        Instant at = run.finishedAt() != null ? run.finishedAt() : Instant.now();
        emit(c, org, run.connectionId(), at, List.of(new Pending(type, data)));
    }

    // -------------------------------------------------------------------------------- records

    /**
     * Announces records written to the store (by a sync page or a live write), in the caller's
     * transaction: an insert is {@code record.created}, a write that sets {@code deleted_at} is
     * {@code record.deleted}, any other update {@code record.updated}.
     */
    void recordsWritten(
            Connection c,
            String connectionId,
            String collection,
            List<RecordWrite> writes,
            Instant at)
            throws SQLException {
        if (writes.isEmpty()) {
            return;
        }
        String org = organizationOf(c, connectionId);
        if (org == null) {
            return;
        }
        Set<String> wanted = subscriptions(c, org).types();
        if (!wanted.contains(RECORD_CREATED)
                && !wanted.contains(RECORD_UPDATED)
                && !wanted.contains(RECORD_DELETED)) {
            return;
        }
        List<Pending> events = new ArrayList<>(writes.size());
        for (RecordWrite w : writes) {
            String type =
                    w.insert()
                            ? RECORD_CREATED
                            : (w.deletedAt() != null ? RECORD_DELETED : RECORD_UPDATED);
            if (!wanted.contains(type)) {
                continue;
            }
            ObjectNode data = Json.NODES.objectNode();
            data.put("collection", collection);
            data.put("id", w.id());
            data.put("remote_id", w.remoteId());
            data.put("updated_at", Json.time(w.updatedAt()));
            data.put("deleted_at", Json.time(w.deletedAt()));
            events.add(new Pending(type, data));
        }
        emit(c, org, connectionId, at, events);
    }

    // -------------------------------------------------------------------------------- helpers

    private void emit(
            Connection c, String organizationId, String connectionId, Instant at, List<Pending> all)
            throws SQLException {
        if (all.isEmpty()) {
            return;
        }
        Subscriptions subs = subscriptions(c, organizationId);
        List<WebhookRepository.NewEvent> events = new ArrayList<>();
        List<WebhookRepository.NewDelivery> deliveries = new ArrayList<>();
        // the deliveries are claimed by this node at once when its dispatcher has room: it sends
        // them from memory right after the commit, without reading them back
        String owner = dispatcher.preclaim(all.size() * subs.subscribers().size());
        Instant leaseUntil = owner == null ? null : dispatcher.leaseUntil();
        List<WebhookRepository.Claimed> claimed = new ArrayList<>();
        for (Pending p : all) {
            if (!subs.types().contains(p.type())) {
                continue;
            }
            String id = Tokens.newTimeOrderedId("evt");
            ObjectNode body = Json.NODES.objectNode();
            body.put("id", id);
            body.put("type", p.type());
            body.put("created_at", Json.time(at));
            body.put("organization_id", organizationId);
            body.put("connection_id", connectionId);
            body.set("data", p.data());
            String payload = Json.write(body);
            events.add(
                    new WebhookRepository.NewEvent(
                            id, organizationId, connectionId, p.type(), at, payload));
            for (Subscriber s : subs.subscribers()) {
                if (!s.events().contains(p.type())) {
                    continue;
                }
                String deliveryId = Tokens.newTimeOrderedId("whd");
                deliveries.add(
                        new WebhookRepository.NewDelivery(
                                deliveryId,
                                s.endpointId(),
                                id,
                                organizationId,
                                at,
                                owner,
                                leaseUntil));
                if (owner != null) {
                    claimed.add(
                            new WebhookRepository.Claimed(
                                    deliveryId,
                                    owner,
                                    0,
                                    at,
                                    s.endpointId(),
                                    s.url(),
                                    s.secret(),
                                    id,
                                    p.type(),
                                    at,
                                    payload));
                }
            }
        }
        if (events.isEmpty()) {
            return;
        }
        WebhookRepository.enqueue(c, events, deliveries);
        Jdbc.afterCommit(
                owner == null ? dispatcher::wake : () -> dispatcher.offer(claimed, leaseUntil));
    }

    private Subscriptions subscriptions(Connection c, String organizationId) throws SQLException {
        long now = System.nanoTime();
        Subscriptions s = subscriptions.get(organizationId);
        if (s != null && now - s.expires() < 0) {
            return s;
        }
        List<Subscriber> subscribers = new ArrayList<>();
        Set<String> types = new HashSet<>();
        for (WebhookRepository.Endpoint e : WebhookRepository.enabledEndpoints(c, organizationId)) {
            subscribers.add(new Subscriber(e.id(), e.url(), e.secret(), Set.copyOf(e.events())));
            types.addAll(e.events());
        }
        s = new Subscriptions(List.copyOf(subscribers), Set.copyOf(types), now + ttlNanos);
        // read in a transaction that began before the endpoints last changed, it may not see the
        // change: good enough for this transaction's own events, not to be cached for others
        Long lastChange = changed.get(organizationId);
        if (lastChange == null || Jdbc.transactionStart() - lastChange > 0) {
            subscriptions.put(organizationId, s);
        }
        return s;
    }

    private String organizationOf(Connection c, String connectionId) throws SQLException {
        String org = organizations.get(connectionId);
        if (org == null) {
            org = WebhookRepository.organizationOf(c, connectionId);
            if (org != null) {
                organizations.put(connectionId, org);
            }
        }
        return org;
    }

    private static ObjectNode connection(
            ConnectionRow r, String status, String reason, Instant disconnectedAt) {
        ObjectNode n = Json.NODES.objectNode();
        n.put("id", r.id());
        n.put("system", r.system());
        n.put("customer_id", r.customerId());
        n.put("name", r.name());
        n.put("deployment", r.deployment());
        n.put("status", status);
        n.put("status_reason", reason);
        n.put("created_at", Json.time(r.createdAt()));
        n.put("disconnected_at", Json.time(disconnectedAt));
        return n;
    }
}
