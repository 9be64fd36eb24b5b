package org.ironbridge.engine.internal;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.CreatedWebhook;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.NewWebhook;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.OrganizationRepository;
import org.ironbridge.store.PooledDatabase;

/**
 * A migrated database with organizations {@code org_a} and {@code org_b}, the fake connector on the
 * system clock, a real HTTP receiver, and engines on that database made on demand (several play the
 * nodes of a cluster, or one process after another). The engines' sync schedulers are not started
 * (tests run syncs by hand); their webhook dispatchers are started when asked, with retries in
 * milliseconds.
 */
final class WebhookFixture implements AutoCloseable {
    final PooledDatabase db;
    final FakeRegistry registry = new FakeRegistry();
    final FakeConnector fake = new FakeConnector(Clock.systemUTC());
    final byte[] vaultKey = new byte[32];
    final WebhookReceiver receiver;
    private final List<Engine> engines = new ArrayList<>();

    WebhookFixture(DatabaseSettings settings) throws Exception {
        this.db = new PooledDatabase(settings);
        db.migrate();
        OrganizationRepository orgs = new OrganizationRepository(db.dataSource());
        java.time.Instant t = java.time.Instant.now();
        orgs.createWithAdminKey("org_a", "A", 10, "key_a", "a".repeat(64), "ibk_a", t);
        orgs.createWithAdminKey("org_b", "B", 10, "key_b", "b".repeat(64), "ibk_b", t);
        registry.install(fake);
        new SecureRandom().nextBytes(vaultKey);
        this.receiver = new WebhookReceiver();
    }

    /**
     * Fast retries: 100 ms, 400 ms, 2 s ... for a minute; answers within 2 s; polls every 100 ms;
     * subscriptions cached for an hour (so that a test sees the cache dropped on changes).
     */
    static Engine.WebhookSettings fast(String node) {
        return fast(node, Duration.ofMinutes(1));
    }

    static Engine.WebhookSettings fast(String node, Duration retryFor) {
        return new Engine.WebhookSettings(
                new WebhookDispatcher.Settings(
                        8,
                        8,
                        Duration.ofSeconds(2),
                        Duration.ofMillis(100),
                        Duration.ofMillis(100),
                        retryFor,
                        Duration.ofSeconds(10),
                        node),
                Duration.ofHours(1),
                Duration.ofDays(30));
    }

    /** A new engine (a node) whose dispatcher is not started. */
    Engine engine(String node) {
        return engine(node, fast(node));
    }

    Engine engine(String node, Engine.WebhookSettings hooks) {
        Engine e =
                new Engine(
                        db.dataSource(),
                        registry,
                        CanonicalModel.standard(),
                        new Vault(vaultKey.clone()),
                        Clock.systemUTC(),
                        new Engine.Settings(2, Duration.ofHours(1), node),
                        hooks);
        engines.add(e);
        return e;
    }

    /** A new engine whose dispatcher is started. */
    Engine node(String node) {
        Engine e = engine(node);
        e.dispatcher().start();
        return e;
    }

    CreatedWebhook hook(Engine e, String org, String... events) throws EngineException {
        return hookAt(e, org, receiver.url(), events);
    }

    CreatedWebhook hookAt(Engine e, String org, String url, String... events)
            throws EngineException {
        return e.webhooks().createWebhook(org, new NewWebhook(url, List.of(events), null));
    }

    CreatedConnection connect(Engine e, String org, EntityType... entities) throws EngineException {
        return e.connections()
                .create(
                        org,
                        new NewConnection(
                                FakeConnector.SYSTEM,
                                "cust-1",
                                null,
                                null,
                                Fixture.goodCredentials(),
                                new SyncSettings(0, 60, Set.of(entities))));
    }

    /** Runs the entity's sync now on the engine (requested, so it is due). */
    void sync(Engine e, String connectionId, EntityType type) {
        new org.ironbridge.store.SyncRepository(db.dataSource())
                .request(
                        connectionId,
                        type.collection(),
                        "incremental",
                        org.ironbridge.engine.Tokens.newId("sync"),
                        java.time.Instant.now());
        if (!e.syncEngine().runIfDue(connectionId, type.collection())) {
            throw new AssertionError("the sync of " + type.collection() + " did not run");
        }
    }

    long count(String sql, Object... args) throws Exception {
        try (Connection c = db.dataSource().getConnection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++) {
                ps.setObject(i + 1, args[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    static Map<String, String> credentials() {
        return Fixture.goodCredentials();
    }

    @Override
    public void close() {
        for (Engine e : engines) {
            e.close();
        }
        receiver.close();
        db.close();
    }
}
