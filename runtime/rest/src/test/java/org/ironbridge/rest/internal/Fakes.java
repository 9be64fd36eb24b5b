package org.ironbridge.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.ironbridge.api.connector.Category;
import org.ironbridge.api.connector.ConnectorContext;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.CredentialField;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.Deployment;
import org.ironbridge.api.connector.EntityCapabilities;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.Operation;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.api.connector.PassthroughResponse;
import org.ironbridge.engine.AdminAuthenticator;
import org.ironbridge.engine.ConnectionHealth;
import org.ironbridge.engine.ConnectionService;
import org.ironbridge.engine.ConnectionStats;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.ConnectorInstaller;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.CreditBalance;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.IdempotencyService;
import org.ironbridge.engine.InstalledConnector;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.RecordQuery;
import org.ironbridge.engine.RecordService;
import org.ironbridge.engine.StatsPoint;
import org.ironbridge.engine.StatsSeries;
import org.ironbridge.engine.StatusEntry;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.engine.SyncView;
import org.ironbridge.engine.Tokens;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.model.EntityType;
import org.ironbridge.model.Reference;
import org.ironbridge.store.Database;

/**
 * Small in-memory fakes of the runtime services the REST layer uses, with two organizations, their
 * connections and a few records. They behave like the engine (scoping by organization and by
 * connection, paging, idempotency) so that the HTTP contract can be tested without a database.
 */
final class Fakes {
    private Fakes() {}

    static final ObjectMapper JSON = Json.mapper();

    // organizations and their admin API keys
    static final String ORG_A = "org_a";
    static final String ORG_B = "org_b";
    static final String KEY_A = "ibk_orgAadminKey00000000000000000";
    static final String KEY_B = "ibk_orgBadminKey00000000000000000";
    static final String KEY_UNKNOWN = "ibk_unknownAdminKey00000000000000";

    // connections: a1 and a2 of org A (acme-erp), a3 of org A whose connector is not installed,
    // b1 of org B (acme-erp), b2 of org B (acme-cmms), ar of org A disconnected
    static final String CONN_A1 = "con_a1";
    static final String CONN_A2 = "con_a2";
    static final String CONN_A3 = "con_a3";
    static final String CONN_B1 = "con_b1";
    static final String CONN_AR = "con_ar";
    static final String CONN_B2 = "con_b2";
    static final String TOKEN_A1 = "ibt_connA1token000000000000000000";
    static final String TOKEN_A2 = "ibt_connA2token000000000000000000";
    static final String TOKEN_A3 = "ibt_connA3ghost000000000000000000";
    static final String TOKEN_B1 = "ibt_connB1token000000000000000000";
    static final String TOKEN_B2 = "ibt_connB2cmms0000000000000000000";
    static final String TOKEN_REVOKED = "ibt_revokedToken00000000000000000";
    static final String TOKEN_UNKNOWN = "ibt_unknownToken00000000000000000";
    static final String SESSION_TOKEN = "ibs_connectSession000000000000000";

    static final String ERP = "acme-erp";
    static final String CMMS = "acme-cmms";
    static final String GHOST = "ghost-erp";

    // records
    static final String PO_A1_1 = "po_a1one";
    static final String PO_A1_2 = "po_a1two";
    static final String PO_A1_3 = "po_a1three";
    static final String PO_A2_1 = "po_a2one";
    static final String PO_B1_1 = "po_b1one";
    static final String VEN_A1_1 = "ven_a1one";
    static final String WO_B2_1 = "wo_b2one";
    static final String PO_AR_1 = "po_arone";
    static final String VEN_AR_1 = "ven_arone";

    static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");

    /**
     * The acme-erp connector: purchase orders support everything (and read newest first), vendors
     * and items are read-only; 600 calls a minute.
     */
    static ConnectorDescriptor erpDescriptor() {
        return ConnectorDescriptor.builder(ERP)
                .name("Acme ERP")
                .vendor("Acme Corp.")
                .category(Category.ERP)
                .deployment(Deployment.CLOUD, 1)
                .deployment(Deployment.ON_PREM, 2)
                .credentialField(
                        CredentialField.required("base_url", "Base URL", CredentialField.Type.URL))
                .credentialField(
                        CredentialField.required("username", "User", CredentialField.Type.TEXT))
                .credentialField(
                        CredentialField.required(
                                "password", "Password", CredentialField.Type.SECRET))
                .rateLimit(org.ironbridge.api.connector.RateLimit.perMinute(600))
                .entity(EntityType.PURCHASE_ORDERS, EntityCapabilities.all().withNewestFirst())
                .entity(EntityType.VENDORS, EntityCapabilities.readOnly(true, false))
                .entity(EntityType.ITEMS, EntityCapabilities.readOnly(false, false))
                .build();
    }

    /** The acme-cmms connector: work orders (no delete) and read-only assets. */
    static ConnectorDescriptor cmmsDescriptor() {
        return ConnectorDescriptor.builder(CMMS)
                .name("Acme CMMS")
                .category(Category.CMMS)
                .deployment(Deployment.CLOUD, 1)
                .credentialField(
                        CredentialField.required("api_key", "API key", CredentialField.Type.SECRET))
                .entity(
                        EntityType.WORK_ORDERS,
                        new EntityCapabilities(
                                EnumSet.of(
                                        Operation.LIST,
                                        Operation.GET,
                                        Operation.CREATE,
                                        Operation.UPDATE),
                                true,
                                false))
                .entity(EntityType.ASSETS, EntityCapabilities.readOnly(true, true))
                .build();
    }

    static ConnectorFactory factory(ConnectorDescriptor d) {
        return new ConnectorFactory() {
            @Override
            public ConnectorDescriptor descriptor() {
                return d;
            }

            @Override
            public ConnectorSession open(Credentials credentials, ConnectorContext context) {
                throw new UnsupportedOperationException("not used by the REST tests");
            }
        };
    }

    static ConnectionView connection(
            String id, String org, String system, String customerId, String status) {
        Map<String, SyncView> last = new LinkedHashMap<>();
        last.put(
                "purchase-orders",
                new SyncView(
                        "syn_" + id + "_1",
                        id,
                        "purchase-orders",
                        "incremental",
                        "succeeded",
                        T0,
                        T0.plusSeconds(12),
                        40,
                        3,
                        1,
                        null,
                        null));
        return new ConnectionView(
                        id,
                        org,
                        system,
                        customerId,
                        "Connection " + id,
                        "cloud",
                        status,
                        "disconnected".equals(status) ? "disconnected by the organization" : null,
                        T0.minusSeconds(86_400),
                        "disconnected".equals(status) ? T0 : null,
                        1,
                        new SyncSettings(
                                90,
                                900,
                                Set.of(EntityType.PURCHASE_ORDERS, EntityType.VENDORS),
                                SyncSettings.DEFAULT_RECONCILE_SECONDS),
                        last)
                .withHealth(HEALTH);
    }

    /** Sync settings as the engine stores them: defaults filled in, as the engine does. */
    static SyncSettings resolved(SyncSettings s) {
        SyncSettings r = s == null ? SyncSettings.defaults() : s;
        return r.reconcileSeconds() != 0
                ? r
                : new SyncSettings(
                        r.initialDays(),
                        r.intervalSeconds(),
                        r.entities(),
                        SyncSettings.DEFAULT_RECONCILE_SECONDS);
    }

    /** The health of every fake connection. */
    static final ConnectionHealth HEALTH =
            new ConnectionHealth(0.25, 8, T0.plusSeconds(3600), "closed");

    /** The connection with another status (and, when disconnected, its time of disconnection). */
    static ConnectionView withStatus(
            ConnectionView c, String status, String reason, Instant disconnectedAt) {
        return new ConnectionView(
                        c.id(),
                        c.organizationId(),
                        c.system(),
                        c.customerId(),
                        c.name(),
                        c.deployment(),
                        status,
                        reason,
                        c.createdAt(),
                        disconnectedAt,
                        c.credits(),
                        c.sync(),
                        c.lastSync())
                .withHealth(c.health());
    }

    /** The descriptor of an installed system, or null (ghost-erp is not installed). */
    static ConnectorDescriptor descriptorOf(String system) {
        return switch (system) {
            case ERP -> erpDescriptor();
            case CMMS -> cmmsDescriptor();
            default -> null;
        };
    }

    /** Admin API keys → organizations. */
    static final class FakeAdminAuthenticator implements AdminAuthenticator {
        final Map<String, String> keys = new HashMap<>(Map.of(KEY_A, ORG_A, KEY_B, ORG_B));

        @Override
        public Optional<String> organizationOf(String key) {
            return Optional.ofNullable(keys.get(key));
        }
    }

    /** The installed connectors. */
    static final class FakeConnectorRegistry implements ConnectorRegistry {
        final List<InstalledConnector> installed = new ArrayList<>();

        FakeConnectorRegistry() {
            installed.add(
                    new InstalledConnector(
                            cmmsDescriptor(),
                            factory(cmmsDescriptor()),
                            "org.ironbridge.connector.acme.cmms",
                            "1.2.0",
                            41));
            installed.add(
                    new InstalledConnector(
                            erpDescriptor(),
                            factory(erpDescriptor()),
                            "org.ironbridge.connector.acme.erp",
                            "2.0.1",
                            42));
        }

        @Override
        public List<InstalledConnector> installed() {
            return List.copyOf(installed);
        }

        @Override
        public Optional<InstalledConnector> find(String system) {
            return installed.stream().filter(c -> c.system().equals(system)).findFirst();
        }
    }

    /**
     * Installs "bundles" whose content is a text naming the system of an installed connector of the
     * registry (so tests can send readable multipart bodies); anything else is not a connector.
     */
    static final class FakeConnectorInstaller implements ConnectorInstaller {
        final FakeConnectorRegistry registry;
        final List<String> uninstalled = new ArrayList<>();

        FakeConnectorInstaller(FakeConnectorRegistry registry) {
            this.registry = registry;
        }

        @Override
        public List<InstalledConnector> install(java.nio.file.Path jar) throws EngineException {
            String content;
            try {
                content = java.nio.file.Files.readString(jar).trim();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            if (content.startsWith("connector:")) {
                return registry.find(content.substring("connector:".length()))
                        .map(List::of)
                        .orElseThrow();
            }
            throw EngineException.invalid(
                    "The jar is not an OSGi bundle (no Bundle-SymbolicName)",
                    List.of(
                            new org.ironbridge.api.connector.FieldError(
                                    "bundle",
                                    "The jar is not an OSGi bundle (no Bundle-SymbolicName)")));
        }

        @Override
        public void uninstall(String system) throws EngineException {
            if (registry.installed.removeIf(c -> c.system().equals(system))) {
                uninstalled.add(system);
                return;
            }
            throw EngineException.notFound("No connector for system " + system + " is installed");
        }
    }

    /** Connections of two organizations, scoped by organization like the engine. */
    static final class FakeConnectionService implements ConnectionService {
        final Map<String, ConnectionView> byId = new LinkedHashMap<>();
        final Map<String, String> tokens = new HashMap<>();
        final List<NewConnection> created = new ArrayList<>();
        final List<String> createdBy = new ArrayList<>();
        final AtomicInteger authentications = new AtomicInteger();
        List<Object> lastListArgs;
        private int next = 1;

        /** The credit pool of each organization (org A uses 3 of 10, org B 2 of 5). */
        final Map<String, Integer> pools = new HashMap<>(Map.of(ORG_A, 10, ORG_B, 5));

        /** The status history of each connection, oldest first. */
        final Map<String, List<StatusEntry>> history = new HashMap<>();

        /** Runs queued by {@link #requestSync}, oldest first. */
        final List<SyncView> requestedRuns = new ArrayList<>();

        /** The arguments of each {@link #requestSync} call: organization, id, entities, full. */
        final List<List<Object>> syncRequests = new ArrayList<>();

        /** The ids of the connections disconnect was called for, in order. */
        final List<String> disconnects = new ArrayList<>();

        /** The credentials of each successful reconnect, in order. */
        final List<Map<String, String>> reconnects = new ArrayList<>();

        /** The ids of the connections whose records were purged, in order. */
        final List<String> purged = new ArrayList<>();

        /** The record store that purge deletes from; wired by the test base. */
        FakeRecordService records;

        private int nextRun = 1;

        FakeConnectionService() {
            add(connection(CONN_A1, ORG_A, ERP, "cust-1", "active"), TOKEN_A1);
            add(connection(CONN_A2, ORG_A, ERP, "cust-2", "active"), TOKEN_A2);
            add(connection(CONN_A3, ORG_A, GHOST, "cust-3", "active"), TOKEN_A3);
            add(connection(CONN_B1, ORG_B, ERP, "cust-1", "active"), TOKEN_B1);
            add(connection(CONN_B2, ORG_B, CMMS, "cust-2", "active"), TOKEN_B2);
            add(connection(CONN_AR, ORG_A, ERP, "cust-4", "disconnected"), TOKEN_REVOKED);
        }

        /** Puts a connection into a status, as the engine would after a source's answer. */
        void setStatus(String id, String status, String reason) {
            ConnectionView c = byId.get(id);
            byId.put(
                    id,
                    new ConnectionView(
                            c.id(),
                            c.organizationId(),
                            c.system(),
                            c.customerId(),
                            c.name(),
                            c.deployment(),
                            status,
                            reason,
                            c.createdAt(),
                            c.disconnectedAt(),
                            c.credits(),
                            c.sync(),
                            c.lastSync(),
                            c.health()));
        }

        private void add(ConnectionView c, String token) {
            add(c, token, "connected");
        }

        private void add(ConnectionView c, String token, String reason) {
            byId.put(c.id(), c);
            tokens.put(token, c.id());
            List<StatusEntry> h = history.computeIfAbsent(c.id(), k -> new ArrayList<>());
            h.add(new StatusEntry("active", reason, c.createdAt()));
            if (disconnected(c)) {
                h.add(new StatusEntry("disconnected", c.statusReason(), c.disconnectedAt()));
            }
        }

        static boolean disconnected(ConnectionView c) {
            return "disconnected".equals(c.status());
        }

        /** The organization's connection, or NOT_FOUND like the engine. */
        private ConnectionView require(String organizationId, String connectionId)
                throws EngineException {
            return find(organizationId, connectionId)
                    .orElseThrow(
                            () ->
                                    EngineException.notFound(
                                            "There is no connection " + connectionId + "."));
        }

        /** Changes the status (no-op when unchanged) and records it in the history. */
        void changeStatus(String connectionId, String status, String reason) {
            ConnectionView c = byId.get(connectionId);
            if (c.status().equals(status)) {
                return;
            }
            Instant now = Instant.now();
            byId.put(
                    connectionId,
                    withStatus(c, status, reason, "disconnected".equals(status) ? now : null));
            history.get(connectionId).add(new StatusEntry(status, reason, now));
            if ("disconnected".equals(status)) {
                // its syncs stop
                requestedRuns.removeIf(
                        r -> r.connectionId().equals(connectionId) && "queued".equals(r.status()));
            }
        }

        @Override
        public CreatedConnection create(String organizationId, NewConnection request)
                throws EngineException {
            if (!request.system().equals(ERP) && !request.system().equals(CMMS)) {
                throw EngineException.invalid(
                        "There is no connector for system " + request.system() + ".",
                        List.of(new FieldError("system", "is not an installed connector")));
            }
            String password = request.credentials().getOrDefault("password", "");
            switch (password) {
                case "wrong" ->
                        throw new EngineException(
                                EngineException.Code.CREDENTIALS_REJECTED,
                                "Acme ERP said: invalid user name or password.");
                case "down" ->
                        throw new EngineException(
                                EngineException.Code.SOURCE_UNAVAILABLE,
                                "Acme ERP did not answer.",
                                List.of(),
                                Duration.ofSeconds(120));
                case "throttled" ->
                        throw new EngineException(
                                EngineException.Code.RATE_LIMITED, "Acme ERP is rate limiting.");
                default -> {}
            }
            if ("no-credits".equals(request.customerId())) {
                throw new EngineException(
                        EngineException.Code.INSUFFICIENT_CREDITS,
                        "The credit pool of the organization is used up.");
            }
            String id = "con_new" + next++;
            ConnectionView c =
                    new ConnectionView(
                            id,
                            organizationId,
                            request.system(),
                            request.customerId(),
                            request.name(),
                            request.deployment() == null ? "cloud" : request.deployment(),
                            "active",
                            null,
                            Instant.now(),
                            null,
                            1,
                            resolved(request.sync()),
                            Map.of());
            String token = "ibt_" + org.ironbridge.engine.Tokens.random(32);
            add(c, token);
            created.add(request);
            createdBy.add(organizationId);
            return new CreatedConnection(c, token);
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
            lastListArgs =
                    java.util.Arrays.asList(
                            organizationId, customerId, system, status, cursor, pageSize);
            int offset = offset(cursor);
            List<ConnectionView> all =
                    byId.values().stream()
                            .filter(c -> c.organizationId().equals(organizationId))
                            .filter(c -> customerId == null || c.customerId().equals(customerId))
                            .filter(c -> system == null || c.system().equals(system))
                            .filter(c -> status == null || c.status().equals(status))
                            .toList();
            return page(all, offset, pageSize);
        }

        @Override
        public Optional<ConnectionView> find(String organizationId, String connectionId) {
            return Optional.ofNullable(byId.get(connectionId))
                    .filter(c -> c.organizationId().equals(organizationId));
        }

        @Override
        public ConnectionView authenticate(String token) throws EngineException {
            authentications.incrementAndGet();
            String id = tokens.get(token);
            if (id == null) {
                throw new EngineException(
                        EngineException.Code.TOKEN_INVALID, "The connection token is unknown.");
            }
            ConnectionView c = byId.get(id);
            if ("disconnected".equals(c.status())) {
                throw new EngineException(
                        EngineException.Code.TOKEN_REVOKED,
                        "The connection of this token was disconnected.");
            }
            return c;
        }

        @Override
        public List<SyncView> syncs(String organizationId, String connectionId, int limit)
                throws EngineException {
            ConnectionView c = require(organizationId, connectionId);
            List<SyncView> out = new ArrayList<>();
            for (int i = requestedRuns.size() - 1; i >= 0; i--) {
                if (requestedRuns.get(i).connectionId().equals(c.id())) {
                    out.add(requestedRuns.get(i));
                }
            }
            out.add(
                    new SyncView(
                            "syn_" + c.id() + "_2",
                            c.id(),
                            "vendors",
                            "initial",
                            "running",
                            T0.plusSeconds(60),
                            null,
                            10,
                            10,
                            0,
                            0.25,
                            null));
            out.addAll(c.lastSync().values());
            return out.subList(0, Math.min(limit, out.size()));
        }

        @Override
        public void disconnect(String organizationId, String connectionId) throws EngineException {
            ConnectionView c = require(organizationId, connectionId);
            disconnects.add(c.id());
            changeStatus(c.id(), "disconnected", "disconnected by the organization");
        }

        @Override
        public CreatedConnection reconnect(
                String organizationId, String connectionId, Map<String, String> credentials)
                throws EngineException {
            ConnectionView old = require(organizationId, connectionId);
            ConnectorDescriptor d = descriptorOf(old.system());
            if (d == null) {
                throw new EngineException(
                        EngineException.Code.CONNECTOR_UNAVAILABLE,
                        "The connector for system "
                                + old.system()
                                + " is not installed or not started.");
            }
            // as on create: the credentials are checked against the connector's descriptor ...
            List<FieldError> errors = new ArrayList<>();
            Set<String> known = new LinkedHashSet<>();
            d.credentialFields().forEach(f -> known.add(f.name()));
            for (String name : credentials.keySet()) {
                if (!known.contains(name)) {
                    errors.add(new FieldError("credentials." + name, "is not a known field"));
                }
            }
            for (CredentialField f : d.credentialFields()) {
                String v = credentials.get(f.name());
                if (f.required() && (v == null || v.isBlank())) {
                    errors.add(new FieldError("credentials." + f.name(), "is required"));
                }
            }
            if (!errors.isEmpty()) {
                throw EngineException.invalid("The connection request is invalid", errors);
            }
            // ... the old connection's credits count as returned ...
            int cost = d.creditCost(Deployment.ofWireName(old.deployment())).orElse(0);
            int available =
                    credits(organizationId).available() + (disconnected(old) ? 0 : old.credits());
            if (available < cost) {
                throw new EngineException(
                        EngineException.Code.INSUFFICIENT_CREDITS,
                        "This connection costs "
                                + cost
                                + " credits; the organization has "
                                + available
                                + " available.");
            }
            // ... and verified live
            String password = credentials.getOrDefault("password", credentials.get("api_key"));
            switch (password == null ? "" : password) {
                case "wrong" ->
                        throw new EngineException(
                                EngineException.Code.CREDENTIALS_REJECTED,
                                d.name() + " said: invalid user name or password.");
                case "down" ->
                        throw new EngineException(
                                EngineException.Code.SOURCE_UNAVAILABLE,
                                d.name() + " did not answer.",
                                List.of(),
                                Duration.ofSeconds(120));
                case "throttled" ->
                        throw new EngineException(
                                EngineException.Code.RATE_LIMITED, d.name() + " is rate limiting.");
                default -> {}
            }
            String id = "con_new" + next++;
            ConnectionView c =
                    new ConnectionView(
                            id,
                            organizationId,
                            old.system(),
                            old.customerId(),
                            old.name(),
                            old.deployment(),
                            "active",
                            "reconnected (replaces " + old.id() + ")",
                            Instant.now(),
                            null,
                            cost,
                            old.sync(),
                            Map.of());
            String token = Tokens.newToken(Tokens.CONNECTION_TOKEN);
            add(c, token, c.statusReason());
            reconnects.add(Map.copyOf(credentials));
            changeStatus(old.id(), "disconnected", "replaced by " + id);
            return new CreatedConnection(c, token);
        }

        @Override
        public void purge(String organizationId, String connectionId) throws EngineException {
            ConnectionView c = require(organizationId, connectionId);
            if (!disconnected(c)) {
                throw EngineException.invalid(
                        "Only the records of a disconnected connection can be purged.",
                        List.of(new FieldError("status", "must be disconnected")));
            }
            if (records != null) {
                records.purge(c.id());
            }
            purged.add(c.id());
        }

        @Override
        public List<StatusEntry> statusHistory(String organizationId, String connectionId)
                throws EngineException {
            return List.copyOf(history.get(require(organizationId, connectionId).id()));
        }

        /** The entities a connection syncs: its settings, or all the connector can list. */
        static Set<EntityType> synced(ConnectionView c) {
            if (!c.sync().entities().isEmpty()) {
                return c.sync().entities();
            }
            ConnectorDescriptor d = descriptorOf(c.system());
            Set<EntityType> out = EnumSet.noneOf(EntityType.class);
            if (d != null) {
                for (EntityType t : EntityType.values()) {
                    if (d.capabilities(t).supports(Operation.LIST)) {
                        out.add(t);
                    }
                }
            }
            return out;
        }

        @Override
        public List<SyncView> requestSync(
                String organizationId, String connectionId, Set<EntityType> entities, boolean full)
                throws EngineException {
            ConnectionView c = require(organizationId, connectionId);
            syncRequests.add(List.of(organizationId, connectionId, Set.copyOf(entities), full));
            if (disconnected(c) || "reauthorization_required".equals(c.status())) {
                throw EngineException.invalid(
                        "The connection cannot sync while it is " + c.status() + ".",
                        List.of(new FieldError("status", "is " + c.status())));
            }
            Set<EntityType> synced = synced(c);
            List<EntityType> chosen = new ArrayList<>();
            List<FieldError> errors = new ArrayList<>();
            for (EntityType t : EntityType.values()) {
                if (entities.isEmpty() ? synced.contains(t) : entities.contains(t)) {
                    if (synced.contains(t)) {
                        chosen.add(t);
                    } else {
                        errors.add(
                                new FieldError(
                                        "entities",
                                        t.collection() + " is not synced by this connection"));
                    }
                }
            }
            if (!errors.isEmpty()) {
                throw EngineException.invalid("The sync request is invalid.", errors);
            }
            List<SyncView> out = new ArrayList<>();
            for (EntityType t : chosen) {
                SyncView run =
                        requestedRuns.stream()
                                .filter(r -> r.connectionId().equals(c.id()))
                                .filter(r -> r.entity().equals(t.collection()))
                                .filter(r -> r.status().matches("queued|running"))
                                .findFirst()
                                .orElse(null);
                if (run == null) {
                    run =
                            new SyncView(
                                    "syn_req" + nextRun++,
                                    c.id(),
                                    t.collection(),
                                    full ? "full" : "incremental",
                                    "queued",
                                    null,
                                    null,
                                    0,
                                    0,
                                    0,
                                    null,
                                    null);
                    requestedRuns.add(run);
                }
                out.add(run);
            }
            return out;
        }

        @Override
        public CreditBalance credits(String organizationId) {
            int pool = pools.getOrDefault(organizationId, 0);
            int used =
                    byId.values().stream()
                            .filter(c -> c.organizationId().equals(organizationId))
                            .filter(c -> !disconnected(c))
                            .mapToInt(ConnectionView::credits)
                            .sum();
            return new CreditBalance(pool, used, Math.max(0, pool - used));
        }
    }

    /** Records per connection and collection, plus the calls the tests look at. */
    static final class FakeRecordService implements RecordService {
        final Map<String, Map<EntityType, LinkedHashMap<String, ObjectNode>>> store =
                new HashMap<>();
        final List<RecordQuery> queries = new ArrayList<>();
        final AtomicInteger creates = new AtomicInteger();
        final AtomicInteger updates = new AtomicInteger();
        final AtomicInteger deletes = new AtomicInteger();
        final List<PassthroughRequest> passthroughs = new ArrayList<>();
        private int next = 1;

        FakeRecordService() {
            put(CONN_A1, EntityType.PURCHASE_ORDERS, po(PO_A1_1, "PO-1", "approved", 1));
            put(CONN_A1, EntityType.PURCHASE_ORDERS, po(PO_A1_2, "PO-2", "draft", 2));
            put(CONN_A1, EntityType.PURCHASE_ORDERS, po(PO_A1_3, "PO-3", "approved", 3));
            put(CONN_A1, EntityType.VENDORS, vendor(VEN_A1_1, "Bolt Supply"));
            put(CONN_A2, EntityType.PURCHASE_ORDERS, po(PO_A2_1, "PO-1", "approved", 1));
            put(CONN_B1, EntityType.PURCHASE_ORDERS, po(PO_B1_1, "PO-1", "approved", 1));
            ObjectNode wo = base(WO_B2_1, 5);
            wo.put("title", "Replace pump seal");
            wo.put("status", "scheduled");
            put(CONN_B2, EntityType.WORK_ORDERS, wo);
            // the disconnected connection's records are kept until purged
            put(CONN_AR, EntityType.PURCHASE_ORDERS, po(PO_AR_1, "PO-9", "approved", 9));
            put(CONN_AR, EntityType.VENDORS, vendor(VEN_AR_1, "Old Supply"));
        }

        static ObjectNode po(String id, String number, String status, int minutes) {
            ObjectNode n = base(id, minutes);
            n.put("number", number);
            n.put("vendor_id", VEN_A1_1);
            n.put("status", status);
            n.put("remote_status", status.toUpperCase(java.util.Locale.ROOT));
            n.put("currency", "EUR");
            n.put("total_net", "100.00");
            ObjectNode line = n.putArray("lines").addObject();
            line.put("line_number", 1);
            line.put("quantity", "2");
            line.put("unit_price", "50.00");
            return n;
        }

        static ObjectNode vendor(String id, String name) {
            ObjectNode n = base(id, 0);
            n.put("name", name);
            n.put("status", "active");
            return n;
        }

        private static ObjectNode base(String id, int minutes) {
            ObjectNode n = JSON.createObjectNode();
            n.put("id", id);
            n.put("remote_id", "R-" + id);
            n.put("created_at", T0.toString());
            n.put("updated_at", T0.plusSeconds(60L * minutes).toString());
            n.putNull("deleted_at");
            n.putObject("custom_fields");
            return n;
        }

        void put(String connection, EntityType type, ObjectNode record) {
            store.computeIfAbsent(connection, k -> new HashMap<>())
                    .computeIfAbsent(type, k -> new LinkedHashMap<>())
                    .put(record.get("id").asText(), record);
        }

        private Map<String, ObjectNode> of(String connection, EntityType type) {
            return store.getOrDefault(connection, Map.of())
                    .getOrDefault(type, new LinkedHashMap<>());
        }

        /** Deletes every record of a connection, as the engine's purge does; returns how many. */
        int purge(String connectionId) {
            Map<EntityType, LinkedHashMap<String, ObjectNode>> removed = store.remove(connectionId);
            return removed == null ? 0 : removed.values().stream().mapToInt(Map::size).sum();
        }

        /**
         * Like the engine: {@code remote_id}, the scalar fields status, number and code where the
         * entity's schema has them, and its top-level reference fields.
         */
        @Override
        public Set<String> filterableFields(EntityType type) {
            return FILTERABLE.computeIfAbsent(type, FakeRecordService::computeFilterable);
        }

        private static final Map<EntityType, Set<String>> FILTERABLE =
                new java.util.concurrent.ConcurrentHashMap<>();

        private static Set<String> computeFilterable(EntityType type) {
            CanonicalModel model = CanonicalModel.standard();
            Set<String> out = new LinkedHashSet<>();
            out.add("remote_id");
            var props = model.schema(type).path("properties");
            for (String f : List.of("status", "number", "code")) {
                if (props.has(f)) {
                    out.add(f);
                }
            }
            for (Reference r : model.references(type)) {
                if (!r.path().contains(".") && !r.inArray()) {
                    out.add(r.path());
                }
            }
            return Collections.unmodifiableSet(out);
        }

        @Override
        public Page<ObjectNode> list(String connectionId, EntityType type, RecordQuery query)
                throws EngineException {
            queries.add(query);
            for (String field : query.filters().keySet()) {
                if (!filterableFields(type).contains(field)) {
                    throw EngineException.invalid(
                            "Unknown filter field " + field + ".",
                            List.of(
                                    new FieldError(
                                            "filter[" + field + "]", "is not a filterable field")));
                }
            }
            int offset = offset(query.cursor());
            List<ObjectNode> all =
                    of(connectionId, type).values().stream()
                            .filter(r -> matches(r, query.filters()))
                            .toList();
            return page(all, offset, query.pageSize());
        }

        private static boolean matches(ObjectNode record, Map<String, String> filters) {
            return filters.entrySet().stream()
                    .allMatch(f -> f.getValue().equals(record.path(f.getKey()).asText()));
        }

        @Override
        public Optional<ObjectNode> get(
                String connectionId, EntityType type, String id, boolean includeRemoteData) {
            return Optional.ofNullable(of(connectionId, type).get(id)).map(ObjectNode::deepCopy);
        }

        @Override
        public ObjectNode create(String connectionId, EntityType type, ObjectNode body)
                throws EngineException {
            creates.incrementAndGet();
            failIfAsked(body);
            ObjectNode r = base(type.idPrefix() + "_new" + next++, 0);
            r.put("created_at", Instant.now().toString());
            r.put("updated_at", Instant.now().toString());
            r.setAll(body.deepCopy());
            put(connectionId, type, r);
            return r.deepCopy();
        }

        @Override
        public ObjectNode update(String connectionId, EntityType type, String id, ObjectNode body)
                throws EngineException {
            updates.incrementAndGet();
            failIfAsked(body);
            ObjectNode r = of(connectionId, type).get(id);
            if (r == null) {
                throw EngineException.notFound("There is no record " + id + ".");
            }
            r.setAll(body.deepCopy());
            r.put("updated_at", Instant.now().toString());
            return r.deepCopy();
        }

        @Override
        public void delete(String connectionId, EntityType type, String id) throws EngineException {
            deletes.incrementAndGet();
            ObjectNode r = of(connectionId, type).get(id);
            if (r == null) {
                throw EngineException.notFound("There is no record " + id + ".");
            }
            r.put("deleted_at", Instant.now().toString());
        }

        @Override
        public PassthroughResponse passthrough(String connectionId, PassthroughRequest request) {
            passthroughs.add(request);
            // as the runtime's source HTTP client does for each call a connector makes
            org.ironbridge.engine.SourceCallLog.record(
                    new org.ironbridge.engine.SourceCall(
                            Instant.now(),
                            1500,
                            request.method(),
                            "https://erp.example.com" + request.path(),
                            200,
                            null));
            return new PassthroughResponse(
                    200, Map.of("Content-Type", "application/json"), "{\"echo\":\"ok\"}");
        }

        /** Source failures on demand, chosen by the {@code notes} of the body. */
        private static void failIfAsked(ObjectNode body) throws EngineException {
            switch (body.path("notes").asText("")) {
                case "source-down" ->
                        throw new EngineException(
                                EngineException.Code.SOURCE_UNAVAILABLE,
                                "Acme ERP did not answer.",
                                List.of(),
                                Duration.ofSeconds(45));
                case "source-rate-limited" ->
                        throw new EngineException(
                                EngineException.Code.RATE_LIMITED,
                                "Acme ERP is rate limiting.",
                                List.of(),
                                Duration.ofSeconds(7));
                case "source-reauth" ->
                        throw new EngineException(
                                EngineException.Code.REAUTHORIZATION_REQUIRED,
                                "Acme ERP rejected the stored credentials.");
                case "source-forbidden" ->
                        throw new EngineException(
                                EngineException.Code.INSUFFICIENT_PERMISSIONS,
                                "Acme ERP does not let this account create orders.");
                case "source-conflict" ->
                        throw new EngineException(
                                EngineException.Code.CONFLICT, "Acme ERP reports a change.");
                case "source-invalid" ->
                        throw EngineException.invalid(
                                "Acme ERP rejected the order.",
                                List.of(new FieldError("lines[0].item_id", "is blocked")));
                case "bug" ->
                        throw new IllegalStateException(
                                "NullPointerException at org.ironbridge.engine.Secret(Secret.java:1)");
                default -> {}
            }
        }
    }

    /**
     * Connection statistics: records what the HTTP layer reports and answers series of a fixed
     * shape, scoped by organization like the engine.
     */
    static final class FakeConnectionStats implements ConnectionStats {
        /** One recorded request. */
        record Recorded(String connectionId, int status, String errorCode, long nanos) {}

        final List<Recorded> recorded = java.util.Collections.synchronizedList(new ArrayList<>());
        final List<List<Object>> seriesArgs = new ArrayList<>();
        final FakeConnectionService connections;

        FakeConnectionStats(FakeConnectionService connections) {
            this.connections = connections;
        }

        @Override
        public void recordApiRequest(
                String connectionId, int httpStatus, String errorCode, long durationNanos) {
            recorded.add(new Recorded(connectionId, httpStatus, errorCode, durationNanos));
        }

        /** Organization-wide: the series of the organization's first connection, unlabelled. */
        @Override
        public StatsSeries organizationSeries(
                String organizationId, Instant since, Instant until, int stepSeconds)
                throws EngineException {
            String first =
                    connections.byId.values().stream()
                            .filter(c -> c.organizationId().equals(organizationId))
                            .map(ConnectionView::id)
                            .findFirst()
                            .orElse(null);
            if (first == null) {
                return new StatsSeries(null, since, until, stepSeconds, List.of());
            }
            StatsSeries s = series(organizationId, first, since, until, stepSeconds);
            return new StatsSeries(null, s.since(), s.until(), s.stepSeconds(), s.data());
        }

        @Override
        public StatsSeries series(
                String organizationId,
                String connectionId,
                Instant since,
                Instant until,
                int stepSeconds)
                throws EngineException {
            if (connections.find(organizationId, connectionId).isEmpty()) {
                throw EngineException.notFound("No such connection");
            }
            if (!STEPS.contains(stepSeconds)) {
                throw EngineException.invalid(
                        "step must be one of 60, 300, 900 or 3600 seconds",
                        List.of(new FieldError("step", "must be one of 60, 300, 900, 3600")));
            }
            seriesArgs.add(java.util.Arrays.asList(organizationId, connectionId, since, until));
            Instant end = until == null ? T0.plusSeconds(3600) : until;
            Instant start = since == null ? end.minusSeconds(3600) : since;
            return new StatsSeries(
                    connectionId,
                    start,
                    end,
                    stepSeconds,
                    List.of(
                            new StatsPoint(
                                    start,
                                    120,
                                    3,
                                    1,
                                    Map.of("not_found", 2L, "source_unavailable", 1L),
                                    4.2,
                                    18.5,
                                    96.0,
                                    130.25,
                                    6,
                                    1,
                                    0,
                                    1,
                                    0,
                                    1530.0,
                                    1530L,
                                    0),
                            new StatsPoint(
                                    start.plusSeconds(stepSeconds),
                                    0,
                                    0,
                                    0,
                                    Map.of(),
                                    null,
                                    null,
                                    null,
                                    null,
                                    0,
                                    0,
                                    0,
                                    0,
                                    0,
                                    null,
                                    null,
                                    1)));
        }
    }

    /** Idempotency keys per connection: reserved, then completed or abandoned. */
    static final class FakeIdempotencyService implements IdempotencyService {
        record Entry(String fingerprint, StoredResponse response) {}

        final Map<String, Entry> keys = new HashMap<>();
        final List<String> abandoned = new ArrayList<>();

        @Override
        public Optional<StoredResponse> begin(String connectionId, String key, String fingerprint)
                throws EngineException {
            Entry e = keys.get(connectionId + "\n" + key);
            if (e == null) {
                keys.put(connectionId + "\n" + key, new Entry(fingerprint, null));
                return Optional.empty();
            }
            if (!e.fingerprint().equals(fingerprint)) {
                throw new EngineException(
                        EngineException.Code.IDEMPOTENCY_CONFLICT,
                        "This Idempotency-Key was used with a different request.");
            }
            if (e.response() == null) {
                throw new EngineException(
                        EngineException.Code.IDEMPOTENCY_CONFLICT,
                        "A request with this Idempotency-Key is still in progress.");
            }
            return Optional.of(e.response());
        }

        @Override
        public void complete(String connectionId, String key, StoredResponse response) {
            Entry e = keys.get(connectionId + "\n" + key);
            keys.put(connectionId + "\n" + key, new Entry(e.fingerprint(), response));
        }

        @Override
        public void abandon(String connectionId, String key) {
            keys.remove(connectionId + "\n" + key);
            abandoned.add(connectionId + "\n" + key);
        }
    }

    /** The database: healthy unless told otherwise. */
    static final class FakeDatabase implements Database {
        volatile String problem;

        @Override
        public DataSource dataSource() {
            throw new UnsupportedOperationException("no SQL in the REST tests");
        }

        @Override
        public Dialect dialect() {
            return Dialect.H2;
        }

        @Override
        public boolean isMigrated() {
            return problem == null;
        }

        @Override
        public Optional<String> check() {
            return Optional.ofNullable(problem);
        }

        @Override
        public String describe() {
            return "H2 in-memory (test)";
        }
    }

    /** Offset paging with opaque-looking cursors {@code o<offset>}. */
    static int offset(String cursor) throws EngineException {
        if (cursor == null) {
            return 0;
        }
        if (!cursor.matches("o[0-9]{1,6}")) {
            throw EngineException.invalid(
                    "The cursor is malformed.",
                    List.of(new FieldError("cursor", "is not a cursor of this list")));
        }
        return Integer.parseInt(cursor.substring(1));
    }

    static <T> Page<T> page(List<T> all, int offset, int pageSize) {
        if (offset >= all.size()) {
            return new Page<>(Collections.emptyList(), null);
        }
        int end = Math.min(all.size(), offset + pageSize);
        return new Page<>(
                new ArrayList<>(all.subList(offset, end)), end < all.size() ? "o" + end : null);
    }
}
