package org.ironbridge.engine.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.ironbridge.api.connector.Category;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorContext;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.CredentialField;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.Deployment;
import org.ironbridge.api.connector.EntityCapabilities;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.engine.ConnectionService;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.CreditBalance;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.StatusEntry;
import org.ironbridge.engine.SyncSettings;
import org.ironbridge.engine.SyncView;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;

class BootstrapTest {

    /** Records the create request; everything else is unused by the bootstrap. */
    static final class RecordingConnections implements ConnectionService {
        volatile String organization;
        volatile NewConnection request;

        @Override
        public CreatedConnection create(String organizationId, NewConnection r) {
            organization = organizationId;
            request = r;
            ConnectionView v =
                    new ConnectionView(
                            "conn_demo",
                            organizationId,
                            r.system(),
                            r.customerId(),
                            r.name(),
                            "cloud",
                            "active",
                            null,
                            Instant.EPOCH,
                            null,
                            1,
                            r.sync(),
                            Map.of());
            return new CreatedConnection(v, "ibt_" + "T".repeat(32));
        }

        @Override
        public Page<ConnectionView> list(
                String o, String c, String s, String st, String cur, int n) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Optional<ConnectionView> find(String o, String c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public ConnectionView authenticate(String token) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SyncView> syncs(String o, String c, int limit) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void disconnect(String o, String c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CreatedConnection reconnect(String o, String c, Map<String, String> cr) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void purge(String o, String c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<StatusEntry> statusHistory(String o, String c) {
            throw new UnsupportedOperationException();
        }

        @Override
        public List<SyncView> requestSync(String o, String c, Set<EntityType> e, boolean full) {
            throw new UnsupportedOperationException();
        }

        @Override
        public CreditBalance credits(String o) {
            throw new UnsupportedOperationException();
        }
    }

    static ConnectorFactory sandbox() {
        ConnectorDescriptor d =
                ConnectorDescriptor.builder("sandbox")
                        .name("Sandbox")
                        .category(Category.SANDBOX)
                        .deployment(Deployment.CLOUD, 1)
                        .credentialField(
                                CredentialField.required(
                                        "username", "User", CredentialField.Type.TEXT))
                        .entity(EntityType.PURCHASE_ORDERS, EntityCapabilities.readOnly(true, true))
                        .build();
        return new ConnectorFactory() {
            @Override
            public ConnectorDescriptor descriptor() {
                return d;
            }

            @Override
            public ConnectorSession open(Credentials credentials, ConnectorContext context) {
                return new ConnectorSession() {
                    @Override
                    public void verify() {}

                    @Override
                    public ChangePage read(ReadRequest request) {
                        throw new UnsupportedOperationException();
                    }
                };
            }
        };
    }

    @Test
    void theSandboxIsConnectedOnceItAppears() throws Exception {
        FakeRegistry registry = new FakeRegistry();
        RecordingConnections connections = new RecordingConnections();
        CompletableFuture<Optional<CreatedConnection>> result =
                CompletableFuture.supplyAsync(
                        () ->
                                BootstrapComponent.createSandbox(
                                        connections,
                                        registry,
                                        Duration.ofSeconds(20),
                                        Duration.ofMillis(20)));
        Thread.sleep(200);
        assertThat(result).isNotDone();
        registry.install(sandbox());
        Optional<CreatedConnection> created = result.get(10, TimeUnit.SECONDS);
        assertThat(created).isPresent();
        assertThat(connections.organization).isEqualTo("org_default");
        NewConnection r = connections.request;
        assertThat(r.system()).isEqualTo("sandbox");
        assertThat(r.customerId()).isEqualTo("demo-customer");
        assertThat(r.name()).isEqualTo("Sandbox");
        assertThat(r.deployment()).isEqualTo("cloud");
        assertThat(r.credentials())
                .containsExactlyInAnyOrderEntriesOf(
                        Map.of(
                                "username",
                                "demo",
                                "password",
                                "sandbox",
                                "seed",
                                "42",
                                "dataset_size",
                                "1000"));
        assertThat(r.sync())
                .isEqualTo(new SyncSettings(SyncSettings.DEFAULT_INITIAL_DAYS, 60, Set.of()));

        String banner =
                BootstrapComponent.banner(
                        "http://127.0.0.1:8080", "ibk_KEY", "ibk_KEY", created.get());
        String token = "ibt_" + "T".repeat(32);
        assertThat(banner)
                .contains("http://127.0.0.1:8080/console/")
                .contains("Admin key:     ibk_KEY")
                .contains("Sandbox token: " + token)
                .contains(
                        "curl -H 'Authorization: Bearer ibk_KEY' http://127.0.0.1:8080/v1/admin/connections")
                .contains(
                        "curl -H 'Authorization: Bearer "
                                + token
                                + "' 'http://127.0.0.1:8080/v1/purchase-orders?page_size=5'");
    }

    @Test
    void withoutTheSandboxTheBannerHasNoConnection() {
        RecordingConnections connections = new RecordingConnections();
        long start = System.nanoTime();
        assertThat(
                        BootstrapComponent.createSandbox(
                                connections,
                                new FakeRegistry(),
                                Duration.ofMillis(300),
                                Duration.ofMillis(50)))
                .isEmpty();
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isGreaterThanOrEqualTo(Duration.ofMillis(300));
        assertThat(connections.request).isNull();
        String banner =
                BootstrapComponent.banner(
                        "http://h:1",
                        "(the value of IRONBRIDGE_BOOTSTRAP_ADMIN_KEY)",
                        "$IRONBRIDGE_BOOTSTRAP_ADMIN_KEY",
                        null);
        assertThat(banner)
                .contains("Admin key:     (the value of IRONBRIDGE_BOOTSTRAP_ADMIN_KEY)")
                .contains(
                        "curl -H 'Authorization: Bearer $IRONBRIDGE_BOOTSTRAP_ADMIN_KEY' http://h:1/v1/admin/connections")
                .doesNotContain("ibt_")
                .doesNotContain("purchase-orders")
                .contains("no demo connection");
    }
}
