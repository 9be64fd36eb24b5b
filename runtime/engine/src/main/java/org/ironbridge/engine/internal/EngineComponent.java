package org.ironbridge.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.api.connector.PassthroughResponse;
import org.ironbridge.engine.ConnectSessionService;
import org.ironbridge.engine.ConnectionService;
import org.ironbridge.engine.ConnectionStats;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.ConsoleLogin;
import org.ironbridge.engine.ConsoleService;
import org.ironbridge.engine.ConsoleSession;
import org.ironbridge.engine.ConsoleUser;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.CreatedWebhook;
import org.ironbridge.engine.CreditBalance;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.IdempotencyService;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.NewWebhook;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.RecordQuery;
import org.ironbridge.engine.RecordService;
import org.ironbridge.engine.StatsSeries;
import org.ironbridge.engine.StatusEntry;
import org.ironbridge.engine.SyncView;
import org.ironbridge.engine.WebhookChange;
import org.ironbridge.engine.WebhookDeliveryView;
import org.ironbridge.engine.WebhookService;
import org.ironbridge.engine.WebhookView;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.model.EntityType;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine as OSGi services: {@link ConnectionService}, {@link RecordService} and {@link
 * IdempotencyService}, available once the migrated database, the connector registry and the
 * canonical model are. It delegates to the {@link Engine}'s parts, which tests use without OSGi.
 * The {@link ConnectSessionService} is the engine's connect-session manager itself, registered
 * while this component is active.
 *
 * <p>Framework properties: {@code ironbridge.master.key} (base64 of 32 bytes, from {@code
 * IRONBRIDGE_MASTER_KEY}; else {@code <ironbridge.data>/master.key} is used, created on first
 * start; a cluster must set the property on every node), {@code ironbridge.sync.workers} (2),
 * {@code ironbridge.sync.poll_seconds} (2); connect sessions: {@code
 * ironbridge.connect.session_minutes} (30); console logins: {@code
 * ironbridge.console.session.idle_minutes} (720), {@code ironbridge.console.session.max_hours}
 * (168), {@code ironbridge.console.password.iterations} (600000), {@code
 * ironbridge.console.login.max_failures} (10), {@code ironbridge.console.login.window_minutes}
 * (15); the circuit breakers' {@code ironbridge.circuit.failure_rate_threshold} (50 %), {@code
 * ironbridge.circuit.minimum_calls} (10), {@code ironbridge.circuit.window_seconds} (60), {@code
 * ironbridge.circuit.open_wait_seconds} (30), {@code ironbridge.circuit.half_open_calls} (3);
 * {@code ironbridge.stats.retention_days} (8).
 *
 * <p>Webhooks: {@code ironbridge.webhooks.workers} (32 requests in flight per node), {@code
 * ironbridge.webhooks.per_endpoint} (16 of them to one endpoint), {@code
 * ironbridge.webhooks.timeout_seconds} (10), {@code ironbridge.webhooks.poll_ms} (1000: how often
 * the outbox is read besides the wake-ups after local changes), {@code
 * ironbridge.webhooks.retry_base_ms} (30000: the first retry; the later ones are 4, 20, 120, 720,
 * then 1440 times it), {@code ironbridge.webhooks.retry_hours} (72), {@code
 * ironbridge.webhooks.lease_seconds} (30: when a node that died while sending is replaced), {@code
 * ironbridge.webhooks.subscriptions_ttl_ms} (1000), {@code ironbridge.webhooks.retention_days}
 * (30).
 */
@Component(
        immediate = true,
        service = {
            ConnectionService.class,
            RecordService.class,
            IdempotencyService.class,
            ConsoleService.class,
            ConnectionStats.class,
            WebhookService.class
        })
public final class EngineComponent
        implements ConnectionService,
                RecordService,
                IdempotencyService,
                ConsoleService,
                ConnectionStats,
                WebhookService {
    private static final Logger LOG = LoggerFactory.getLogger(EngineComponent.class);

    private final Engine engine;
    private final ConnectionManager connections;
    private final RecordManager records;
    private final IdempotencyManager idempotency;
    private final ConsoleManager console;
    private final ServiceRegistration<ConnectSessionService> connectSessions;
    private final StatsRecorder stats;
    private final WebhookManager webhooks;

    @Activate
    public EngineComponent(
            BundleContext ctx,
            @Reference DataSource ds,
            @Reference ConnectorRegistry registry,
            @Reference CanonicalModel model)
            throws IOException {
        byte[] key =
                Vault.masterKey(
                        ctx.getProperty("ironbridge.master.key"),
                        Path.of(prop(ctx, "ironbridge.data", "data")));
        Engine.Settings settings =
                new Engine.Settings(
                        Integer.parseInt(prop(ctx, "ironbridge.sync.workers", "2")),
                        Duration.ofSeconds(
                                Long.parseLong(prop(ctx, "ironbridge.sync.poll_seconds", "2"))),
                        // this node's name in sync runs and scheduled_tasks.picked_by (unique!)
                        prop(ctx, "ironbridge.node.name", Engine.defaultOwner()),
                        Duration.ofSeconds(
                                Long.parseLong(
                                        prop(ctx, "ironbridge.sync.heartbeat_seconds", "5"))),
                        Integer.parseInt(prop(ctx, "ironbridge.sync.missed_heartbeats", "4")));
        Engine.Monitoring monitoring =
                new Engine.Monitoring(
                        new Circuits.Settings(
                                Float.parseFloat(
                                        prop(
                                                ctx,
                                                "ironbridge.circuit.failure_rate_threshold",
                                                "50")),
                                Integer.parseInt(
                                        prop(ctx, "ironbridge.circuit.minimum_calls", "10")),
                                Duration.ofSeconds(
                                        Long.parseLong(
                                                prop(
                                                        ctx,
                                                        "ironbridge.circuit.window_seconds",
                                                        "60"))),
                                Duration.ofSeconds(
                                        Long.parseLong(
                                                prop(
                                                        ctx,
                                                        "ironbridge.circuit.open_wait_seconds",
                                                        "30"))),
                                Integer.parseInt(
                                        prop(ctx, "ironbridge.circuit.half_open_calls", "3"))),
                        Duration.ofDays(
                                Long.parseLong(prop(ctx, "ironbridge.stats.retention_days", "8"))));
        Engine.WebhookSettings hooks =
                new Engine.WebhookSettings(
                        new WebhookDispatcher.Settings(
                                Integer.parseInt(prop(ctx, "ironbridge.webhooks.workers", "32")),
                                Integer.parseInt(
                                        prop(ctx, "ironbridge.webhooks.per_endpoint", "16")),
                                Duration.ofSeconds(
                                        Long.parseLong(
                                                prop(
                                                        ctx,
                                                        "ironbridge.webhooks.timeout_seconds",
                                                        "10"))),
                                Duration.ofMillis(
                                        Long.parseLong(
                                                prop(ctx, "ironbridge.webhooks.poll_ms", "1000"))),
                                Duration.ofMillis(
                                        Long.parseLong(
                                                prop(
                                                        ctx,
                                                        "ironbridge.webhooks.retry_base_ms",
                                                        "30000"))),
                                Duration.ofHours(
                                        Long.parseLong(
                                                prop(
                                                        ctx,
                                                        "ironbridge.webhooks.retry_hours",
                                                        "72"))),
                                Duration.ofSeconds(
                                        Long.parseLong(
                                                prop(
                                                        ctx,
                                                        "ironbridge.webhooks.lease_seconds",
                                                        "30"))),
                                settings.owner()),
                        Duration.ofMillis(
                                Long.parseLong(
                                        prop(
                                                ctx,
                                                "ironbridge.webhooks.subscriptions_ttl_ms",
                                                "1000"))),
                        Duration.ofDays(
                                Long.parseLong(
                                        prop(ctx, "ironbridge.webhooks.retention_days", "30"))));
        this.engine =
                new Engine(
                        ds,
                        registry,
                        model,
                        new Vault(key),
                        Clock.systemUTC(),
                        settings,
                        monitoring,
                        hooks);
        // the default reconciliation interval of connections created without one
        engine.connections()
                .defaultReconcileSeconds(
                        (int)
                                Duration.ofHours(
                                                Long.parseLong(
                                                        prop(
                                                                ctx,
                                                                "ironbridge.sync.reconcile_hours",
                                                                "24")))
                                        .toSeconds());
        Arrays.fill(key, (byte) 0);
        this.connections = engine.connections();
        this.records = engine.records();
        this.idempotency = engine.idempotency();
        this.console = engine.console();
        console.configure(
                new ConsoleManager.Settings(
                        Duration.ofMinutes(
                                Long.parseLong(
                                        prop(
                                                ctx,
                                                "ironbridge.console.session.idle_minutes",
                                                "720"))),
                        Duration.ofHours(
                                Long.parseLong(
                                        prop(ctx, "ironbridge.console.session.max_hours", "168"))),
                        Integer.parseInt(
                                prop(
                                        ctx,
                                        "ironbridge.console.password.iterations",
                                        String.valueOf(PasswordHasher.DEFAULT_ITERATIONS))),
                        Integer.parseInt(prop(ctx, "ironbridge.console.login.max_failures", "10")),
                        Duration.ofMinutes(
                                Long.parseLong(
                                        prop(
                                                ctx,
                                                "ironbridge.console.login.window_minutes",
                                                "15")))));
        engine.connectSessions()
                .sessionTtl(
                        Duration.ofMinutes(
                                Long.parseLong(
                                        prop(ctx, "ironbridge.connect.session_minutes", "30"))));
        this.stats = engine.stats();
        this.webhooks = engine.webhooks();
        engine.start();
        this.connectSessions =
                ctx.registerService(ConnectSessionService.class, engine.connectSessions(), null);
        LOG.info("Engine started (sync node {})", settings.owner());
    }

    @Deactivate
    void deactivate() {
        try {
            connectSessions.unregister();
        } catch (IllegalStateException alreadyGone) {
            // unregistered by the framework while the bundle stops
        }
        engine.close();
    }

    private static String prop(BundleContext ctx, String name, String dflt) {
        String v = ctx.getProperty(name);
        return v == null || v.isBlank() ? dflt : v.trim();
    }

    // ---------------------------------------------------------------- ConnectionService

    @Override
    public CreatedConnection create(String organizationId, NewConnection request)
            throws EngineException {
        return connections.create(organizationId, request);
    }

    @Override
    public Page<ConnectionView> list(
            String organizationId,
            String customerId,
            String system,
            String status,
            String cursor,
            int pageSize)
            throws EngineException {
        return connections.list(organizationId, customerId, system, status, cursor, pageSize);
    }

    @Override
    public Optional<ConnectionView> find(String organizationId, String connectionId) {
        return connections.find(organizationId, connectionId);
    }

    @Override
    public ConnectionView authenticate(String token) throws EngineException {
        return connections.authenticate(token);
    }

    @Override
    public List<SyncView> syncs(String organizationId, String connectionId, int limit)
            throws EngineException {
        return connections.syncs(organizationId, connectionId, limit);
    }

    @Override
    public void disconnect(String organizationId, String connectionId) throws EngineException {
        connections.disconnect(organizationId, connectionId);
    }

    @Override
    public CreatedConnection reconnect(
            String organizationId, String connectionId, Map<String, String> credentials)
            throws EngineException {
        return connections.reconnect(organizationId, connectionId, credentials);
    }

    @Override
    public void purge(String organizationId, String connectionId) throws EngineException {
        connections.purge(organizationId, connectionId);
    }

    @Override
    public List<StatusEntry> statusHistory(String organizationId, String connectionId)
            throws EngineException {
        return connections.statusHistory(organizationId, connectionId);
    }

    @Override
    public List<SyncView> requestSync(
            String organizationId, String connectionId, Set<EntityType> entities, boolean full)
            throws EngineException {
        return connections.requestSync(organizationId, connectionId, entities, full);
    }

    @Override
    public CreditBalance credits(String organizationId) {
        return connections.credits(organizationId);
    }

    // ---------------------------------------------------------------- RecordService

    @Override
    public Page<ObjectNode> list(String connectionId, EntityType type, RecordQuery query)
            throws EngineException {
        return records.list(connectionId, type, query);
    }

    @Override
    public Optional<ObjectNode> get(
            String connectionId, EntityType type, String id, boolean includeRemoteData) {
        return records.get(connectionId, type, id, includeRemoteData);
    }

    @Override
    public Optional<String> getJson(
            String connectionId, EntityType type, String id, boolean includeRemoteData) {
        return records.getJson(connectionId, type, id, includeRemoteData);
    }

    @Override
    public String listJson(String connectionId, EntityType type, RecordQuery query)
            throws EngineException {
        return records.listJson(connectionId, type, query);
    }

    @Override
    public ObjectNode create(String connectionId, EntityType type, ObjectNode body)
            throws EngineException {
        return records.create(connectionId, type, body);
    }

    @Override
    public ObjectNode update(String connectionId, EntityType type, String id, ObjectNode body)
            throws EngineException {
        return records.update(connectionId, type, id, body);
    }

    @Override
    public void delete(String connectionId, EntityType type, String id) throws EngineException {
        records.delete(connectionId, type, id);
    }

    @Override
    public PassthroughResponse passthrough(String connectionId, PassthroughRequest request)
            throws EngineException {
        return records.passthrough(connectionId, request);
    }

    @Override
    public Set<String> filterableFields(EntityType type) {
        return records.filterableFields(type);
    }

    // ---------------------------------------------------------------- IdempotencyService

    @Override
    public Optional<StoredResponse> begin(String connectionId, String key, String fingerprint)
            throws EngineException {
        return idempotency.begin(connectionId, key, fingerprint);
    }

    @Override
    public void complete(String connectionId, String key, StoredResponse response) {
        idempotency.complete(connectionId, key, response);
    }

    @Override
    public void abandon(String connectionId, String key) {
        idempotency.abandon(connectionId, key);
    }

    // ---------------------------------------------------------------- ConsoleService

    @Override
    public ConsoleLogin logInWithAdminKey(String adminKey, String clientAddress)
            throws EngineException {
        return console.logInWithAdminKey(adminKey, clientAddress);
    }

    @Override
    public ConsoleLogin logInWithPassword(
            String email, String password, String organizationId, String clientAddress)
            throws EngineException {
        return console.logInWithPassword(email, password, organizationId, clientAddress);
    }

    @Override
    public Optional<ConsoleSession> session(String token) {
        return console.session(token);
    }

    @Override
    public boolean logOut(String token) {
        return console.logOut(token);
    }

    @Override
    public ConsoleUser createUser(String organizationId, String email, String password)
            throws EngineException {
        return console.createUser(organizationId, email, password);
    }

    @Override
    public List<ConsoleUser> users(String organizationId) {
        return console.users(organizationId);
    }

    @Override
    public void deleteUser(String organizationId, String userId) throws EngineException {
        console.deleteUser(organizationId, userId);
    }

    // ---------------------------------------------------------------- ConnectionStats

    @Override
    public void recordApiRequest(
            String connectionId, int httpStatus, String errorCode, long durationNanos) {
        stats.recordApiRequest(connectionId, httpStatus, errorCode, durationNanos);
    }

    @Override
    public StatsSeries series(
            String organizationId,
            String connectionId,
            Instant since,
            Instant until,
            int stepSeconds)
            throws EngineException {
        return stats.series(organizationId, connectionId, since, until, stepSeconds);
    }

    @Override
    public StatsSeries organizationSeries(
            String organizationId, Instant since, Instant until, int stepSeconds)
            throws EngineException {
        return stats.organizationSeries(organizationId, since, until, stepSeconds);
    }

    // ---------------------------------------------------------------- WebhookService

    @Override
    public CreatedWebhook createWebhook(String organizationId, NewWebhook request)
            throws EngineException {
        return webhooks.createWebhook(organizationId, request);
    }

    @Override
    public Page<WebhookView> listWebhooks(String organizationId, String cursor, int pageSize)
            throws EngineException {
        return webhooks.listWebhooks(organizationId, cursor, pageSize);
    }

    @Override
    public Optional<WebhookView> findWebhook(String organizationId, String webhookId) {
        return webhooks.findWebhook(organizationId, webhookId);
    }

    @Override
    public WebhookView updateWebhook(String organizationId, String webhookId, WebhookChange change)
            throws EngineException {
        return webhooks.updateWebhook(organizationId, webhookId, change);
    }

    @Override
    public void deleteWebhook(String organizationId, String webhookId) throws EngineException {
        webhooks.deleteWebhook(organizationId, webhookId);
    }

    @Override
    public Page<WebhookDeliveryView> deliveries(
            String organizationId, String webhookId, String cursor, int pageSize)
            throws EngineException {
        return webhooks.deliveries(organizationId, webhookId, cursor, pageSize);
    }

    @Override
    public WebhookDeliveryView replay(String organizationId, String deliveryId)
            throws EngineException {
        return webhooks.replay(organizationId, deliveryId);
    }
}
