package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.ironbridge.api.connector.RateLimit;
import org.ironbridge.connector.sandbox.internal.SandboxConnectorFactory;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.model.EntityType;
import org.ironbridge.store.ConnectionRow;
import org.junit.jupiter.api.Test;

/** The rate limit a connector declares for its source, kept per connection by the runtime. */
class SourceRateLimitTest {
    static final EntityType PO = EntityType.PURCHASE_ORDERS;

    private static String connect(Fixture f, String customer) throws Exception {
        Map<String, String> credentials = new HashMap<>();
        credentials.put("username", "demo");
        credentials.put("password", "sandbox");
        credentials.put("dataset_size", "2000");
        credentials.put("activity_per_minute", "0");
        return f.connections()
                .create(
                        "org_a",
                        new NewConnection(
                                "sandbox",
                                customer,
                                null,
                                null,
                                credentials,
                                new SyncSettings(0, 60, Set.of(PO))))
                .connection()
                .id();
    }

    @Test
    void aSyncsReadsAreSpacedByTheDeclaredLimit() throws Exception {
        try (Fixture f = new Fixture(TestDatabases.h2("ratelimit-" + System.nanoTime()))) {
            // one call per 400 ms: the sync's 4 pages take at least 3 periods after the first
            RecordingFactory sandbox =
                    new RecordingFactory(
                            new SandboxConnectorFactory(),
                            RecordingFactory.withRateLimit(
                                    new SandboxConnectorFactory().descriptor(),
                                    new RateLimit(1, Duration.ofMillis(400))));
            f.registry.install(sandbox);
            String id = connect(f, "c1");
            sandbox.callNanos.clear();
            assertThat(f.sync(id, PO)).isTrue();
            assertThat(f.connections().syncs("org_a", id, 1).get(0).status())
                    .isEqualTo("succeeded");
            List<Long> calls = List.copyOf(sandbox.callNanos);
            assertThat(calls).hasSize(4);
            // a fixed-window limiter: at most one call per 400 ms window, so any two calls with
            // one between them are more than a period apart
            for (int i = 2; i < calls.size(); i++) {
                assertThat(Duration.ofNanos(calls.get(i) - calls.get(i - 2)))
                        .as("calls %d and %d", i - 2, i)
                        .isGreaterThan(Duration.ofMillis(390));
            }
            assertThat(Duration.ofNanos(calls.get(3) - calls.get(0)))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(800));
        }
    }

    @Test
    void eachConnectionHasItsOwnBudgetAndAnOverlongWaitIsRateLimited() throws Exception {
        SourceRateLimits limits = new SourceRateLimits(Duration.ZERO);
        RateLimit twoPerMinute = RateLimit.perMinute(2);
        limits.acquire("a", twoPerMinute);
        limits.acquire("a", twoPerMinute);
        // another connection of the same connector is not affected
        limits.acquire("b", twoPerMinute);
        EngineException e =
                catchThrowableOfType(
                        () -> limits.acquire("a", twoPerMinute), EngineException.class);
        assertThat(e).isNotNull();
        assertThat(e.code()).isEqualTo(EngineException.Code.RATE_LIMITED);
        assertThat(e.retryAfter()).isEqualTo(Duration.ofMinutes(1));
        // a connector without a declared limit is never held back
        for (int i = 0; i < 100; i++) {
            limits.acquire("a", null);
        }
    }

    @Test
    void liveCallsWaitForTheLimitToo() throws Exception {
        try (Fixture f = new Fixture(TestDatabases.h2("ratelimit-" + System.nanoTime()))) {
            RecordingFactory sandbox =
                    new RecordingFactory(
                            new SandboxConnectorFactory(),
                            RecordingFactory.withRateLimit(
                                    new SandboxConnectorFactory().descriptor(),
                                    new RateLimit(2, Duration.ofMillis(500))));
            f.registry.install(sandbox);
            String id = connect(f, "c1");
            ConnectionRow row =
                    new org.ironbridge.store.ConnectionRepository(f.db.dataSource())
                            .find(id)
                            .orElseThrow();
            long start = System.nanoTime();
            for (int i = 1; i <= 7; i++) {
                String remote = String.format("PO-%07d", i);
                f.engine.sessions().call(row, s -> s.get(PO, remote));
            }
            // 7 calls at 2 per 500 ms need at least 3 more periods after the first
            assertThat(Duration.ofNanos(System.nanoTime() - start))
                    .isGreaterThanOrEqualTo(Duration.ofMillis(1000));
        }
    }
}
