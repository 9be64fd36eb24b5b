package ${package}.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.Map;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.connector.testkit.ConnectorConformanceTest;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The connector passes Ironbridge's conformance kit: complete descriptor, credentials checked,
 * paging without gaps or duplicates, incremental reads, write round trips, unsupported operations
 * and failure kinds. It runs against {@link FakeSource}; point it at a real server too once you
 * have one to test against.
 */
class ConformanceTest extends ConnectorConformanceTest {
    private static FakeSource source;

    private final ConnectorFactoryComponent factory = new ConnectorFactoryComponent();

    @BeforeAll
    static void startSource() throws IOException {
        source = FakeSource.start(25);
    }

    @AfterAll
    static void stopSource() {
        source.close();
    }

    @Override
    protected ConnectorFactory factory() {
        return factory;
    }

    @Override
    protected Credentials goodCredentials() {
        return credentials(FakeSource.TOKEN);
    }

    @Override
    protected Credentials badCredentials() {
        return credentials("wrong-token");
    }

    private static Credentials credentials(String token) {
        return Credentials.of(Map.of("url", source.url().toString(), "api_token", token));
    }

    @Override
    protected void changeAtSource(EntityType entity, String remoteId) {
        source.change(remoteId);
    }

    @Override
    protected ObjectNode sampleCreate(EntityType entity) {
        return JSON.createObjectNode()
                .put("title", "Replace the belt of conveyor C-3")
                .put("priority", "high")
                .put("due_date", "2026-12-01");
    }

    @Override
    protected ObjectNode sampleUpdate(EntityType entity) {
        return JSON.createObjectNode()
                .put("status", "in_progress")
                .put("assigned_to", "j.doe")
                .put("description", "Belt ordered");
    }

    @Override
    protected String missingRemoteId(EntityType entity) {
        return "999999";
    }
}
