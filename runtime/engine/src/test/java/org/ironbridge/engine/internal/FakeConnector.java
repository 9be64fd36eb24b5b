package org.ironbridge.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.ironbridge.api.connector.Category;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorContext;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.CredentialField;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.Deployment;
import org.ironbridge.api.connector.EntityCapabilities;
import org.ironbridge.api.connector.Operation;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.api.connector.PassthroughResponse;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;

/**
 * A fake connector (system {@code fake}) over an in-memory source: records ordered by update time,
 * small pages, controllable failures, and a log of what the runtime asked for.
 */
final class FakeConnector implements ConnectorFactory {
    static final String SYSTEM = "fake";
    static final String PASSWORD = "secret";

    /** A record at the fake source. */
    record Rec(String remoteId, Instant createdAt, Instant updatedAt, ObjectNode fields) {}

    private final Clock clock;
    private final ConnectorDescriptor descriptor;
    private final Map<EntityType, Map<String, Rec>> data = new EnumMap<>(EntityType.class);
    private final Map<EntityType, Map<String, Instant>> deletions = new EnumMap<>(EntityType.class);
    private final Map<EntityType, Map<Integer, ConnectorException>> readFailures =
            new EnumMap<>(EntityType.class);
    private final Map<EntityType, AtomicInteger> readCounts = new EnumMap<>(EntityType.class);
    private final AtomicInteger ids = new AtomicInteger(1000);

    /** The source's current password; changing it makes stored credentials stale. */
    volatile String password = PASSWORD;

    /** Records per page (the connector may return fewer than the runtime asks for). */
    volatile int pageSize = 3;

    /** When set, verify() fails with it. */
    volatile ConnectorException verifyFailure;

    /** Each read waits this long first (outside the connector's lock), like a slow source. */
    volatile long readDelayMillis;

    /**
     * When set, reads wait for it to open (a node that hangs); {@link #readsWaiting} counts them.
     */
    volatile java.util.concurrent.CountDownLatch readGate;

    final AtomicInteger readsWaiting = new AtomicInteger();

    /** How many reads pass before the {@link #readGate} applies. */
    volatile int gateFromRead;

    /** When set, every session call throws it (a connector bug). */
    volatile RuntimeException bug;

    /** When set, writes fail with it. */
    volatile ConnectorException writeFailure;

    final List<ReadRequest> reads = Collections.synchronizedList(new ArrayList<>());
    final List<ObjectNode> writesReceived = Collections.synchronizedList(new ArrayList<>());
    final List<String> deletesReceived = Collections.synchronizedList(new ArrayList<>());
    final List<Map<String, String>> openedWith = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger closed = new AtomicInteger();

    FakeConnector(Clock clock) {
        this(clock, true);
    }

    /**
     * @param vendorDeletes whether the connector reports deleted vendors (false: Ironbridge must
     *     reconcile id sets to find them)
     */
    FakeConnector(Clock clock, boolean vendorDeletes) {
        this.clock = clock;
        this.descriptor =
                ConnectorDescriptor.builder(SYSTEM)
                        .name("Fake ERP")
                        .vendor("Tests")
                        .category(Category.ERP)
                        .deployment(Deployment.CLOUD, 2)
                        .deployment(Deployment.ON_PREM, 3)
                        .credentialField(
                                CredentialField.required("url", "URL", CredentialField.Type.URL))
                        .credentialField(
                                CredentialField.required(
                                        "username", "User", CredentialField.Type.TEXT))
                        .credentialField(
                                CredentialField.required(
                                        "password", "Password", CredentialField.Type.SECRET))
                        .credentialField(
                                new CredentialField(
                                        "mode",
                                        "Mode",
                                        CredentialField.Type.SELECT,
                                        false,
                                        null,
                                        List.of("live", "test"),
                                        "live"))
                        .credentialField(
                                CredentialField.optional(
                                        "timeout",
                                        "Timeout",
                                        CredentialField.Type.NUMBER,
                                        null,
                                        null))
                        .entity(
                                EntityType.VENDORS,
                                vendorDeletes
                                        ? EntityCapabilities.all()
                                        : new EntityCapabilities(
                                                EnumSet.allOf(Operation.class), true, false))
                        .entity(EntityType.ITEMS, EntityCapabilities.all())
                        .entity(EntityType.PURCHASE_ORDERS, EntityCapabilities.all())
                        .entity(EntityType.ASSETS, EntityCapabilities.readOnly(true, false))
                        .entity(
                                EntityType.WORK_ORDERS,
                                new EntityCapabilities(EnumSet.of(Operation.GET), false, false))
                        .build();
    }

    @Override
    public ConnectorDescriptor descriptor() {
        return descriptor;
    }

    // ---------------------------------------------------------------- the source

    synchronized Rec put(EntityType type, String remoteId, ObjectNode fields) {
        Map<String, Rec> m = data.computeIfAbsent(type, k -> new LinkedHashMap<>());
        Rec old = m.get(remoteId);
        Instant now = clock.instant();
        Rec r = new Rec(remoteId, old == null ? now : old.createdAt(), now, fields.deepCopy());
        m.put(remoteId, r);
        deletions.getOrDefault(type, new HashMap<>()).remove(remoteId);
        return r;
    }

    synchronized void remove(EntityType type, String remoteId) {
        Map<String, Rec> m = data.get(type);
        if (m != null && m.remove(remoteId) != null) {
            deletions
                    .computeIfAbsent(type, k -> new LinkedHashMap<>())
                    .put(remoteId, clock.instant());
        }
    }

    synchronized Rec rec(EntityType type, String remoteId) {
        return data.getOrDefault(type, Map.of()).get(remoteId);
    }

    synchronized int size(EntityType type) {
        return data.getOrDefault(type, Map.of()).size();
    }

    /** The n-th read (1-based) of the entity from now on fails with the exception. */
    synchronized void failRead(EntityType type, int nth, ConnectorException e) {
        readFailures
                .computeIfAbsent(type, k -> new HashMap<>())
                .put(readCount(type).get() + nth, e);
    }

    private AtomicInteger readCount(EntityType type) {
        return readCounts.computeIfAbsent(type, k -> new AtomicInteger());
    }

    synchronized List<ReadRequest> readsOf(EntityType type) {
        synchronized (reads) {
            return reads.stream().filter(r -> r.entity() == type).toList();
        }
    }

    private static SourceRecord source(Rec r) {
        ObjectNode raw = Json.NODES.objectNode();
        raw.put("ID", r.remoteId());
        raw.set("Payload", r.fields().deepCopy());
        return new SourceRecord(
                r.remoteId(), r.createdAt(), r.updatedAt(), r.fields().deepCopy(), raw);
    }

    synchronized ChangePage read(ReadRequest req) throws ConnectorException {
        reads.add(req);
        int n = readCount(req.entity()).incrementAndGet();
        ConnectorException fail =
                readFailures.computeIfAbsent(req.entity(), k -> new HashMap<>()).remove(n);
        if (fail != null) {
            throw fail;
        }
        List<Rec> all = new ArrayList<>(data.getOrDefault(req.entity(), Map.of()).values());
        all.sort(Comparator.comparing(Rec::updatedAt).thenComparing(Rec::remoteId));
        Instant mark = req.cursor() == null ? null : req.cursor().watermark().orElse(null);
        String after = req.cursor() == null ? "" : req.cursor().state();
        List<Rec> matching = new ArrayList<>();
        for (Rec r : all) {
            if (mark == null) {
                if (req.since() != null && r.updatedAt().isBefore(req.since())) {
                    continue;
                }
            } else if (after.isEmpty()) {
                if (r.updatedAt().isBefore(mark)) {
                    continue;
                }
            } else {
                int c = r.updatedAt().compareTo(mark);
                if (c < 0 || (c == 0 && r.remoteId().compareTo(after) <= 0)) {
                    continue;
                }
            }
            matching.add(r);
        }
        int size = Math.min(pageSize, req.pageSize());
        List<Rec> page = matching.subList(0, Math.min(size, matching.size()));
        boolean more = matching.size() > page.size();
        Cursor next =
                page.isEmpty()
                        ? (req.cursor() == null
                                ? Cursor.at(req.since() == null ? Instant.EPOCH : req.since())
                                : req.cursor())
                        : Cursor.of(
                                page.get(page.size() - 1).updatedAt(),
                                page.get(page.size() - 1).remoteId());
        List<String> deleted = new ArrayList<>();
        if (!more && mark != null && descriptor.entities().get(req.entity()).deletes()) {
            deletions
                    .getOrDefault(req.entity(), Map.of())
                    .forEach(
                            (id, at) -> {
                                if (!at.isBefore(mark)) {
                                    deleted.add(id);
                                }
                            });
        }
        return new ChangePage(
                page.stream().map(FakeConnector::source).toList(),
                deleted,
                next,
                more,
                matching.size() - page.size());
    }

    // ---------------------------------------------------------------- sessions

    @Override
    public ConnectorSession open(Credentials credentials, ConnectorContext context)
            throws ConnectorException {
        credentials.require("url");
        credentials.require("username");
        String pw = credentials.require("password");
        openedWith.add(Map.copyOf(credentials.asMap()));
        if (context.connectionId() == null || context.clock() == null || context.http() == null) {
            throw new IllegalStateException("incomplete context");
        }
        return new ConnectorSession() {
            private void check() throws ConnectorException {
                if (bug != null) {
                    throw bug;
                }
                if (!pw.equals(password)) {
                    throw ConnectorException.credentialsRejected("Invalid username or password");
                }
            }

            @Override
            public void verify() throws ConnectorException {
                if (verifyFailure != null) {
                    throw verifyFailure;
                }
                check();
            }

            @Override
            public ChangePage read(ReadRequest request) throws ConnectorException {
                check();
                try {
                    if (readDelayMillis > 0) {
                        Thread.sleep(readDelayMillis);
                    }
                    java.util.concurrent.CountDownLatch gate = readGate;
                    if (gate != null && reads.size() >= gateFromRead) {
                        readsWaiting.incrementAndGet();
                        gate.await();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw ConnectorException.sourceUnavailable("interrupted", e);
                }
                return FakeConnector.this.read(request);
            }

            @Override
            public SourceRecord get(EntityType entity, String remoteId) throws ConnectorException {
                check();
                Rec r = rec(entity, remoteId);
                if (r == null) {
                    throw ConnectorException.notFound("no such record " + remoteId);
                }
                return source(r);
            }

            @Override
            public SourceRecord create(EntityType entity, ObjectNode fields)
                    throws ConnectorException {
                check();
                if (writeFailure != null) {
                    throw writeFailure;
                }
                writesReceived.add(fields.deepCopy());
                return source(put(entity, "N" + ids.incrementAndGet(), fields));
            }

            @Override
            public SourceRecord update(EntityType entity, String remoteId, ObjectNode changes)
                    throws ConnectorException {
                check();
                if (writeFailure != null) {
                    throw writeFailure;
                }
                writesReceived.add(changes.deepCopy());
                Rec r = rec(entity, remoteId);
                if (r == null) {
                    throw ConnectorException.notFound("no such record " + remoteId);
                }
                ObjectNode merged = r.fields().deepCopy();
                merged.setAll(changes);
                return source(put(entity, remoteId, merged));
            }

            @Override
            public void delete(EntityType entity, String remoteId) throws ConnectorException {
                check();
                if (writeFailure != null) {
                    throw writeFailure;
                }
                deletesReceived.add(remoteId);
                if (rec(entity, remoteId) == null) {
                    throw ConnectorException.notFound("no such record " + remoteId);
                }
                remove(entity, remoteId);
            }

            @Override
            public PassthroughResponse passthrough(PassthroughRequest request)
                    throws ConnectorException {
                check();
                return new PassthroughResponse(
                        200,
                        Map.of("content-type", "text/plain"),
                        request.method() + " " + request.path());
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
    }

    // ---------------------------------------------------------------- sample data

    static ObjectNode vendor(String name, String status) {
        ObjectNode v = Json.NODES.objectNode();
        v.put("name", name);
        v.put("code", name.toUpperCase(java.util.Locale.ROOT));
        v.put("status", status);
        v.putObject("custom_fields").put("tier", "gold");
        return v;
    }

    static ObjectNode item(String name, String vendorRemoteId) {
        ObjectNode v = Json.NODES.objectNode();
        v.put("name", name);
        v.put("status", "active");
        v.put("vendor_id", vendorRemoteId);
        return v;
    }

    static ObjectNode purchaseOrder(String number, String vendorRemoteId, String... itemRemoteIds) {
        ObjectNode po = Json.NODES.objectNode();
        po.put("number", number);
        po.put("vendor_id", vendorRemoteId);
        po.put("status", "approved");
        po.put("currency", "EUR");
        var lines = po.putArray("lines");
        int n = 1;
        for (String item : itemRemoteIds) {
            ObjectNode l = lines.addObject();
            l.put("line_number", n++);
            l.put("item_id", item);
            l.put("quantity", "2");
            l.put("unit_price", "10.00");
        }
        return po;
    }
}
