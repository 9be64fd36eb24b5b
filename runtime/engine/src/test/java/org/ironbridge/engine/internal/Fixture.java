package org.ironbridge.engine.internal;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.model.CanonicalModel;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.DatabaseSettings;
import org.ironbridge.store.OrganizationRepository;
import org.ironbridge.store.PooledDatabase;

/**
 * A migrated database with two organizations ({@code org_a} with 10 credits, {@code org_b} with
 * 10), the fake connector installed, and an engine on a test clock whose scheduler is not started
 * (tests run syncs with {@link #sync}).
 */
final class Fixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-11-01T08:00:00Z");

    final PooledDatabase db;
    final MutableClock clock = new MutableClock(T0);
    final FakeRegistry registry = new FakeRegistry();
    final FakeConnector fake = new FakeConnector(clock);
    final Engine engine;
    final byte[] vaultKey = new byte[32];

    /** The waits of the sync engine between read attempts (recorded, not slept). */
    final java.util.List<Duration> sleeps =
            java.util.Collections.synchronizedList(new java.util.ArrayList<>());

    Fixture(DatabaseSettings settings) {
        this(settings, new Engine.Settings(2, Duration.ofHours(1), "test-node"));
    }

    Fixture(DatabaseSettings settings, Engine.Settings engineSettings) {
        this(settings, engineSettings, Engine.Monitoring.defaults());
    }

    Fixture(
            DatabaseSettings settings,
            Engine.Settings engineSettings,
            Engine.Monitoring monitoring) {
        this.db = new PooledDatabase(settings);
        db.migrate();
        OrganizationRepository orgs = new OrganizationRepository(db.dataSource());
        orgs.createWithAdminKey("org_a", "A", 10, "key_a", "a".repeat(64), "ibk_a", T0);
        orgs.createWithAdminKey("org_b", "B", 10, "key_b", "b".repeat(64), "ibk_b", T0);
        registry.install(fake);
        byte[] key = vaultKey;
        new SecureRandom().nextBytes(key);
        this.engine =
                new Engine(
                        db.dataSource(),
                        registry,
                        CanonicalModel.standard(),
                        new Vault(key.clone()),
                        clock,
                        engineSettings,
                        monitoring);
        engine.syncEngine().sleeper(sleeps::add);
    }

    ConnectionManager connections() {
        return engine.connections();
    }

    RecordManager records() {
        return engine.records();
    }

    static Map<String, String> goodCredentials() {
        return Map.of(
                "url",
                "https://erp.example.com",
                "username",
                "alice",
                "password",
                FakeConnector.PASSWORD);
    }

    CreatedConnection connect(String org, EntityType... entities) throws EngineException {
        return connections()
                .create(
                        org,
                        new NewConnection(
                                FakeConnector.SYSTEM,
                                "cust-1",
                                null,
                                null,
                                goodCredentials(),
                                new SyncSettings(30, 60, Set.of(entities))));
    }

    /** Runs the entity's sync now if it is due; returns whether it ran. */
    boolean sync(String connectionId, EntityType type) {
        return engine.syncEngine().runIfDue(connectionId, type.collection());
    }

    /** Makes the entity's sync due now and runs it, failing the test if it did not run. */
    void assertSynced(String connectionId, EntityType type) {
        new org.ironbridge.store.SyncRepository(db.dataSource())
                .request(
                        connectionId,
                        type.collection(),
                        "incremental",
                        "sync_" + java.util.UUID.randomUUID().toString().substring(0, 8),
                        clock.instant());
        if (!sync(connectionId, type)) {
            throw new AssertionError("the sync of " + type.collection() + " did not run");
        }
    }

    @Override
    public void close() {
        engine.close();
        db.close();
    }
}
