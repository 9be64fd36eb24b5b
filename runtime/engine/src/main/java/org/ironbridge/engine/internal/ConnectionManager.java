package org.ironbridge.engine.internal;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.CredentialField;
import org.ironbridge.api.connector.Deployment;
import org.ironbridge.api.connector.EntityCapabilities;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.Operation;
import org.ironbridge.engine.ConnectionHealth;
import org.ironbridge.engine.ConnectionService;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.CreditBalance;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.InstalledConnector;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.StatusEntry;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.engine.SyncView;
import org.ironbridge.engine.Tokens;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.ChangeListener;
import org.ironbridge.store.ConnectionRepository;
import org.ironbridge.store.ConnectionRow;
import org.ironbridge.store.OrganizationRepository;
import org.ironbridge.store.RecordRepository;
import org.ironbridge.store.SyncRepository;
import org.ironbridge.store.SyncRunRow;
import org.ironbridge.store.SyncStateRow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@link ConnectionService}: plain class, constructed by {@link EngineComponent}. */
final class ConnectionManager implements ConnectionService {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionManager.class);
    static final long AUTH_TTL_NANOS = 5_000_000_000L;
    static final int MAX_PAGE_SIZE = 1000;
    private static final int MAX_CACHED_TOKENS = 10_000;

    /** A token's connection (null for an unknown token) and its view, until {@code expires}. */
    private record Cached(ConnectionRow row, ConnectionView view, long expires) {}

    private final ConnectorRegistry registry;
    private final Sessions sessions;
    private final Clock clock;

    /** Makes sure the scheduler has the syncs of a connection, due ones at once. */
    private final java.util.function.Consumer<String> wakeScheduler;

    private final OrganizationRepository organizations;
    private final ConnectionRepository connections;
    private final SyncRepository syncs;
    private final RecordRepository records;

    /** Token hash → connection row (null for unknown tokens), with a short TTL. */
    private final ConcurrentHashMap<String, Cached> tokens = new ConcurrentHashMap<>();

    /** The health of connections by id, for the views of {@link #find} and {@link #list}. */
    private volatile java.util.function.Function<List<String>, Map<String, ConnectionHealth>>
            health = ids -> Map.of();

    ConnectionManager(
            DataSource ds,
            ConnectorRegistry registry,
            Sessions sessions,
            Clock clock,
            java.util.function.Consumer<String> wakeScheduler) {
        this(ds, registry, sessions, clock, wakeScheduler, ChangeListener.NONE);
    }

    /**
     * @param listener told of created connections and status changes in their transactions (the
     *     webhook outbox)
     */
    ConnectionManager(
            DataSource ds,
            ConnectorRegistry registry,
            Sessions sessions,
            Clock clock,
            java.util.function.Consumer<String> wakeScheduler,
            ChangeListener listener) {
        this.registry = registry;
        this.sessions = sessions;
        this.clock = clock;
        this.wakeScheduler = wakeScheduler;
        this.organizations = new OrganizationRepository(ds);
        this.connections = new ConnectionRepository(ds, listener);
        this.syncs = new SyncRepository(ds);
        this.records = new RecordRepository(ds);
    }

    private volatile int defaultReconcileSeconds = SyncSettings.DEFAULT_RECONCILE_SECONDS;

    /**
     * The reconciliation interval of connections created without one (the node's {@code
     * ironbridge.sync.reconcile_hours}).
     */
    void defaultReconcileSeconds(int seconds) {
        this.defaultReconcileSeconds = Math.max(SyncSettings.MIN_RECONCILE_SECONDS, seconds);
    }

    /** Where the views of {@link #find} and {@link #list} get the health of connections. */
    void healthFrom(
            java.util.function.Function<List<String>, Map<String, ConnectionHealth>> source) {
        this.health = source;
    }

    private ConnectionView withHealth(ConnectionView v, Map<String, ConnectionHealth> h) {
        return v.withHealth(h.getOrDefault(v.id(), ConnectionHealth.none()));
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // ---------------------------------------------------------------- create

    @Override
    public CreatedConnection create(String organizationId, NewConnection request)
            throws EngineException {
        return create(organizationId, request, null);
    }

    private CreatedConnection create(
            String organizationId, NewConnection request, ConnectionRow replacing)
            throws EngineException {
        if (request == null) {
            throw EngineException.invalid(
                    "The connection request is invalid",
                    List.of(new FieldError("", "a request body is required")));
        }
        List<FieldError> errors = new ArrayList<>();
        String system = trim(request.system());
        InstalledConnector connector = null;
        if (system == null) {
            errors.add(new FieldError("system", "is required"));
        } else {
            connector = registry.find(system).orElse(null);
            if (connector == null) {
                if (connections.hasSystem(organizationId, system)) {
                    throw new EngineException(
                            Code.CONNECTOR_UNAVAILABLE,
                            "The connector for system "
                                    + system
                                    + " is not installed or not started");
                }
                errors.add(new FieldError("system", "unknown system"));
            }
        }
        String customerId = trim(request.customerId());
        if (customerId == null) {
            errors.add(new FieldError("customer_id", "is required"));
        } else if (customerId.length() > 200) {
            errors.add(new FieldError("customer_id", "must be at most 200 characters long"));
        }
        String name = trim(request.name());
        if (name != null && name.length() > 200) {
            errors.add(new FieldError("name", "must be at most 200 characters long"));
        }
        Deployment deployment = Deployment.CLOUD;
        String wanted = trim(request.deployment());
        if (wanted != null) {
            deployment = Deployment.ofWireName(wanted);
            if (deployment == null) {
                errors.add(new FieldError("deployment", "must be one of: cloud, on_prem"));
            } else if (connector != null
                    && !connector.descriptor().deployments().contains(deployment)) {
                errors.add(
                        new FieldError(
                                "deployment",
                                system + " does not support the " + wanted + " deployment"));
            }
        }
        SyncSettings sync = request.sync() == null ? SyncSettings.defaults() : request.sync();
        if (sync.intervalSeconds() < SyncSettings.MIN_INTERVAL_SECONDS) {
            errors.add(
                    new FieldError(
                            "sync.interval_seconds",
                            "must be at least " + SyncSettings.MIN_INTERVAL_SECONDS));
        }
        if (sync.initialDays() < 0) {
            errors.add(new FieldError("sync.initial_days", "must be at least 0"));
        }
        if (sync.reconcileSeconds() != 0
                && sync.reconcileSeconds() < SyncSettings.MIN_RECONCILE_SECONDS) {
            errors.add(
                    new FieldError(
                            "sync.reconcile_seconds",
                            "must be at least " + SyncSettings.MIN_RECONCILE_SECONDS));
        }
        Map<String, String> credentials = Map.of();
        List<String> entities = List.of();
        if (connector != null) {
            ConnectorDescriptor d = connector.descriptor();
            for (EntityType t : EntityType.values()) {
                if (sync.entities().contains(t) && !listable(d, t)) {
                    errors.add(
                            new FieldError(
                                    "sync.entities",
                                    t.collection() + " cannot be synced from " + system));
                }
            }
            entities = syncedEntities(d, sync);
            credentials = credentials(d, request.credentials(), errors);
        }
        if (!errors.isEmpty()) {
            throw EngineException.invalid("The connection request is invalid", errors);
        }
        ConnectorDescriptor d = connector.descriptor();
        int cost = d.creditCost(deployment).orElse(0);
        CreditBalance balance = credits(organizationId);
        int available =
                balance.available()
                        + (replacing != null && !replacing.disconnected()
                                ? replacing.credits()
                                : 0);
        if (available < cost) {
            throw insufficientCredits(cost, available);
        }

        String id = Tokens.newId("conn");
        ConnectorSession session = null;
        try {
            session = sessions.open(connector, id, credentials);
            session.verify();
        } catch (ConnectorException e) {
            close(session);
            throw Sessions.map(e, true);
        } catch (RuntimeException e) {
            close(session);
            LOG.error("Connector {} failed while verifying new credentials", system, e);
            throw new EngineException(Code.SOURCE_ERROR, "The connector failed");
        }

        String token = Tokens.newToken(Tokens.CONNECTION_TOKEN);
        Instant now = now();
        List<String> storedEntities = new ArrayList<>();
        for (EntityType t : EntityType.values()) {
            if (sync.entities().contains(t)) {
                storedEntities.add(t.collection());
            }
        }
        ConnectionRow row =
                new ConnectionRow(
                        id,
                        organizationId,
                        system,
                        customerId,
                        name == null ? d.name() : name,
                        deployment.wireName(),
                        null,
                        ConnectionRow.ACTIVE,
                        replacing == null
                                ? "connected"
                                : "reconnected (replaces " + replacing.id() + ")",
                        now,
                        cost,
                        Tokens.hash(token),
                        Tokens.hint(token),
                        sessions.encrypt(id, credentials),
                        sync.initialDays(),
                        sync.intervalSeconds(),
                        storedEntities,
                        now,
                        null,
                        null,
                        null,
                        sync.reconcileSeconds() == 0
                                ? defaultReconcileSeconds
                                : sync.reconcileSeconds());
        ConnectionRepository.CreateResult result =
                connections.create(
                        row,
                        entities,
                        () -> Tokens.newId("sync"),
                        replacing == null ? null : replacing.id());
        if (result instanceof ConnectionRepository.InsufficientCredits ic) {
            close(session);
            throw insufficientCredits(cost, Math.max(0, ic.pool() - ic.used()));
        }
        if (result instanceof ConnectionRepository.NoOrganization) {
            close(session);
            throw EngineException.notFound("No such organization");
        }
        sessions.put(id, connector, session);
        LOG.info("Connection {} to {} created for customer {}", id, system, customerId);
        wakeScheduler.accept(id);
        return new CreatedConnection(
                Views.connection(row, syncs.latestRuns(List.of(id)).get(id))
                        .withHealth(ConnectionHealth.none()),
                token);
    }

    private static EngineException insufficientCredits(int cost, int available) {
        return new EngineException(
                Code.INSUFFICIENT_CREDITS,
                "This connection costs "
                        + cost
                        + " credits; the organization has "
                        + available
                        + " available");
    }

    static boolean listable(ConnectorDescriptor d, EntityType t) {
        EntityCapabilities c = d.entities().get(t);
        return c != null && c.supports(Operation.LIST);
    }

    /** The entity collections a connection syncs. */
    static List<String> syncedEntities(ConnectorDescriptor d, SyncSettings sync) {
        List<String> out = new ArrayList<>();
        for (EntityType t : EntityType.values()) {
            if (listable(d, t) && (sync.entities().isEmpty() || sync.entities().contains(t))) {
                out.add(t.collection());
            }
        }
        return out;
    }

    /** Validates credential values against the descriptor's fields, filling in defaults. */
    static Map<String, String> credentials(
            ConnectorDescriptor d, Map<String, String> given, List<FieldError> errors) {
        Map<String, String> values = given == null ? Map.of() : given;
        Map<String, CredentialField> fields = new LinkedHashMap<>();
        for (CredentialField f : d.credentialFields()) {
            fields.put(f.name(), f);
        }
        for (String name : values.keySet()) {
            if (!fields.containsKey(name)) {
                errors.add(new FieldError("credentials." + name, "is not a known field"));
            }
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (CredentialField f : fields.values()) {
            String field = "credentials." + f.name();
            String v = values.get(f.name());
            if (v == null || v.isBlank()) {
                if (f.defaultValue() != null && !f.defaultValue().isBlank()) {
                    out.put(f.name(), f.defaultValue());
                } else if (f.required()) {
                    errors.add(new FieldError(field, "is required"));
                }
                continue;
            }
            String value = f.secret() ? v : v.trim();
            switch (f.type()) {
                case SELECT -> {
                    if (!f.options().isEmpty() && !f.options().contains(value)) {
                        errors.add(
                                new FieldError(
                                        field,
                                        "must be one of: " + String.join(", ", f.options())));
                    }
                }
                case NUMBER -> {
                    try {
                        new java.math.BigDecimal(value);
                    } catch (NumberFormatException e) {
                        errors.add(new FieldError(field, "must be a number"));
                    }
                }
                case URL -> {
                    if (!isHttpUrl(value)) {
                        errors.add(
                                new FieldError(
                                        field,
                                        "must be an http or https URL such as https://erp.example.com"));
                    }
                }
                default -> {
                    // TEXT and SECRET: any non-blank value
                }
            }
            out.put(f.name(), value);
        }
        return out;
    }

    private static boolean isHttpUrl(String value) {
        try {
            URI u = new URI(value);
            return u.isAbsolute()
                    && ("http".equalsIgnoreCase(u.getScheme())
                            || "https".equalsIgnoreCase(u.getScheme()))
                    && u.getHost() != null;
        } catch (java.net.URISyntaxException e) {
            return false;
        }
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Page<ConnectionView> list(
            String organizationId,
            String customerId,
            String system,
            String status,
            String cursor,
            int pageSize)
            throws EngineException {
        checkPageSize(pageSize);
        Cursors.Position after = cursor == null ? null : Cursors.connections(cursor);
        List<ConnectionRow> rows =
                connections.list(
                        organizationId,
                        customerId,
                        system,
                        status,
                        after == null ? null : after.at(),
                        after == null ? null : after.id(),
                        pageSize + 1);
        String next = null;
        if (rows.size() > pageSize) {
            rows = rows.subList(0, pageSize);
            ConnectionRow last = rows.get(rows.size() - 1);
            next = Cursors.connections(last.createdAt(), last.id());
        }
        List<String> ids = rows.stream().map(ConnectionRow::id).toList();
        Map<String, Map<String, SyncRunRow>> latest = syncs.latestRuns(ids);
        Map<String, ConnectionHealth> h = health.apply(ids);
        List<ConnectionView> views = new ArrayList<>(rows.size());
        for (ConnectionRow r : rows) {
            views.add(withHealth(Views.connection(r, latest.get(r.id())), h));
        }
        return new Page<>(views, next);
    }

    static void checkPageSize(int pageSize) throws EngineException {
        if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
            throw EngineException.invalid(
                    "page_size must be between 1 and " + MAX_PAGE_SIZE,
                    List.of(new FieldError("page_size", "must be between 1 and " + MAX_PAGE_SIZE)));
        }
    }

    @Override
    public Optional<ConnectionView> find(String organizationId, String connectionId) {
        return connections
                .find(organizationId, connectionId)
                .map(
                        r ->
                                withHealth(
                                        Views.connection(
                                                r, syncs.latestRuns(List.of(r.id())).get(r.id())),
                                        health.apply(List.of(r.id()))));
    }

    /** The connection row, or {@code NOT_FOUND}. */
    ConnectionRow row(String organizationId, String connectionId) throws EngineException {
        return connections
                .find(organizationId, connectionId)
                .orElseThrow(() -> EngineException.notFound("No such connection"));
    }

    /**
     * The connection of a token, from a short-lived in-memory cache: within {@link #AUTH_TTL_NANOS}
     * a token is answered without a database query (its view, {@code lastSync} included, may be
     * that old). A disconnect on this node takes effect at once; on another node of a cluster
     * within the TTL.
     */
    @Override
    public ConnectionView authenticate(String token) throws EngineException {
        return cached(token).view();
    }

    private Cached cached(String token) throws EngineException {
        if (!Tokens.looksLike(token, Tokens.CONNECTION_TOKEN)) {
            throw new EngineException(
                    Code.TOKEN_INVALID, "The token is not a valid connection token");
        }
        String hash = Tokens.hash(token);
        long now = System.nanoTime();
        Cached c = tokens.get(hash);
        if (c == null || now - c.expires() >= 0) {
            ConnectionRow row = connections.findByTokenHash(hash).orElse(null);
            ConnectionView view =
                    row == null
                            ? null
                            : Views.connection(
                                    row, syncs.latestRuns(List.of(row.id())).get(row.id()));
            if (tokens.size() > MAX_CACHED_TOKENS) {
                tokens.clear(); // unknown tokens must not grow the cache without bound
            }
            c = new Cached(row, view, now + AUTH_TTL_NANOS);
            tokens.put(hash, c);
        }
        if (c.row() == null) {
            throw new EngineException(
                    Code.TOKEN_INVALID, "The token is not a valid connection token");
        }
        if (c.row().disconnected()) {
            throw new EngineException(
                    Code.TOKEN_REVOKED, "The connection of this token was disconnected");
        }
        return c;
    }

    private void forget(String tokenHash) {
        if (tokenHash != null) {
            tokens.remove(tokenHash);
        }
    }

    @Override
    public List<SyncView> syncs(String organizationId, String connectionId, int limit)
            throws EngineException {
        row(organizationId, connectionId);
        int n = Math.max(1, Math.min(limit, MAX_PAGE_SIZE));
        return syncs.runs(connectionId, n).stream().map(Views::sync).toList();
    }

    @Override
    public List<StatusEntry> statusHistory(String organizationId, String connectionId)
            throws EngineException {
        row(organizationId, connectionId);
        return connections.statusHistory(connectionId).stream()
                .map(s -> new StatusEntry(s.status(), s.reason(), s.at()))
                .toList();
    }

    @Override
    public CreditBalance credits(String organizationId) {
        int pool = organizations.find(organizationId).map(org -> org.creditPool()).orElse(0);
        int used = connections.creditsUsed(organizationId);
        return new CreditBalance(pool, used, Math.max(0, pool - used));
    }

    // ---------------------------------------------------------------- changes

    @Override
    public void disconnect(String organizationId, String connectionId) throws EngineException {
        ConnectionRow row = row(organizationId, connectionId);
        disconnect(row, "disconnected by the organization");
    }

    private void disconnect(ConnectionRow row, String reason) {
        if (!row.disconnected()) {
            boolean changed =
                    connections.changeStatus(
                            row.id(),
                            Set.of(
                                    ConnectionRow.ACTIVE,
                                    ConnectionRow.DEGRADED,
                                    ConnectionRow.REAUTHORIZATION_REQUIRED),
                            ConnectionRow.DISCONNECTED,
                            reason,
                            now());
            if (changed) {
                LOG.info("Connection {} disconnected: {}", row.id(), reason);
            }
        }
        forget(row.tokenHash());
        sessions.drop(row.id());
    }

    @Override
    public CreatedConnection reconnect(
            String organizationId, String connectionId, Map<String, String> credentials)
            throws EngineException {
        ConnectionRow old = row(organizationId, connectionId);
        CreatedConnection created =
                create(
                        organizationId,
                        new NewConnection(
                                old.system(),
                                old.customerId(),
                                old.name(),
                                old.deployment(),
                                credentials,
                                Views.settings(old)),
                        old);
        disconnect(old, "replaced by " + created.connection().id());
        connections.markReplaced(old.id(), created.connection().id());
        return created;
    }

    @Override
    public void purge(String organizationId, String connectionId) throws EngineException {
        ConnectionRow row = row(organizationId, connectionId);
        if (!row.disconnected()) {
            throw EngineException.invalid(
                    "Only the records of a disconnected connection can be purged",
                    List.of(new FieldError("status", "must be disconnected")));
        }
        int n = records.purge(row.id());
        connections.markPurged(row.id(), now());
        LOG.info("Purged {} records of connection {}", n, row.id());
    }

    @Override
    public List<SyncView> requestSync(
            String organizationId, String connectionId, Set<EntityType> entities, boolean full)
            throws EngineException {
        ConnectionRow row = row(organizationId, connectionId);
        if (row.disconnected() || ConnectionRow.REAUTHORIZATION_REQUIRED.equals(row.status())) {
            throw EngineException.invalid(
                    "The connection cannot sync while it is " + row.status(),
                    List.of(new FieldError("status", "is " + row.status())));
        }
        Map<String, SyncStateRow> states = new LinkedHashMap<>();
        for (SyncStateRow s : syncs.states(row.id())) {
            states.put(s.entity(), s);
        }
        List<String> chosen = new ArrayList<>();
        List<FieldError> errors = new ArrayList<>();
        if (entities == null || entities.isEmpty()) {
            chosen.addAll(states.keySet());
        } else {
            for (EntityType t : EntityType.values()) {
                if (!entities.contains(t)) {
                    continue;
                }
                if (states.containsKey(t.collection())) {
                    chosen.add(t.collection());
                } else {
                    errors.add(
                            new FieldError(
                                    "entities",
                                    t.collection() + " is not synced by this connection"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw EngineException.invalid("The sync request is invalid", errors);
        }
        Instant now = now();
        List<SyncView> out = new ArrayList<>();
        for (String entity : chosen) {
            syncs.request(
                            row.id(),
                            entity,
                            full ? SyncRunRow.FULL : SyncRunRow.INCREMENTAL,
                            Tokens.newId("sync"),
                            now)
                    .ifPresent(r -> out.add(Views.sync(r)));
        }
        wakeScheduler.accept(row.id());
        return out;
    }

    // ------------------------------------------------------- status changes from the engine

    /** The source rejected the stored credentials: reauthorization is required (recorded once). */
    void reauthorizationRequired(String connectionId, String sourceMessage) {
        changeStatus(
                connectionId,
                Set.of(ConnectionRow.ACTIVE, ConnectionRow.DEGRADED),
                ConnectionRow.REAUTHORIZATION_REQUIRED,
                "The source rejected the stored credentials: " + sourceMessage);
    }

    /** Syncs keep failing: the connection is degraded. */
    void degraded(String connectionId, String reason) {
        changeStatus(connectionId, Set.of(ConnectionRow.ACTIVE), ConnectionRow.DEGRADED, reason);
    }

    /** A sync succeeded again: a degraded connection is active again. */
    void recovered(String connectionId) {
        recovered(connectionId, "syncs succeed again");
    }

    /** A degraded connection is active again. */
    void recovered(String connectionId, String reason) {
        changeStatus(connectionId, Set.of(ConnectionRow.DEGRADED), ConnectionRow.ACTIVE, reason);
    }

    private void changeStatus(String connectionId, Set<String> from, String to, String reason) {
        if (connections.changeStatus(connectionId, from, to, reason, now())) {
            LOG.info("Connection {} is now {}: {}", connectionId, to, reason);
            connections.find(connectionId).ifPresent(r -> forget(r.tokenHash()));
        }
    }

    private static void close(ConnectorSession s) {
        if (s != null) {
            try {
                s.close();
            } catch (RuntimeException e) {
                LOG.warn("A connector session failed to close", e);
            }
        }
    }

    private static String trim(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
