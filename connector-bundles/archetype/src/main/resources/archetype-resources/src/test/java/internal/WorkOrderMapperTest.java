package ${package}.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import org.ironbridge.api.connector.SourceRecord;
import org.junit.jupiter.api.Test;

/**
 * Golden files: a list answer recorded from the source ({@code golden/work-orders.json}) in,
 * canonical records out ({@code golden/work-orders.expected.json}). Record new answers from a real
 * server when the mapping grows, and review the expected records by hand.
 */
class WorkOrderMapperTest {
    private static final ObjectMapper JSON = RestClient.JSON;

    @Test
    void recordedWorkOrdersMapToCanonicalRecords() throws Exception {
        JsonNode recorded = read("work-orders.json").path("data");
        JsonNode expected = read("work-orders.expected.json");
        assertThat(recorded.size()).isEqualTo(expected.size()).isPositive();
        for (int i = 0; i < recorded.size(); i++) {
            SourceRecord record = WorkOrderMapper.toRecord(recorded.get(i));
            ObjectNode actual = JSON.createObjectNode();
            actual.put("remote_id", record.remoteId());
            actual.put("created_at", record.createdAt().toString());
            actual.put("updated_at", record.updatedAt().toString());
            actual.set("fields", record.fields());
            assertThat(actual).as("work order %s", record.remoteId()).isEqualTo(expected.get(i));
            assertThat(record.raw()).isEqualTo(recorded.get(i));
        }
    }

    @Test
    void canonicalBodyMapsToTheSourcesFields() throws Exception {
        ObjectNode canonical =
                JSON.createObjectNode()
                        .put("title", "Grease bearings")
                        .put("status", "on_hold")
                        .put("priority", "urgent")
                        .putNull("due_date");
        assertThat(WorkOrderMapper.toSource(canonical))
                .isEqualTo(
                        JSON.createObjectNode()
                                .put("summary", "Grease bearings")
                                .put("state", "ON_HOLD")
                                .put("priority", 4)
                                .putNull("due_on"));
    }

    private static JsonNode read(String name) throws IOException {
        try (InputStream in = WorkOrderMapperTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as(name).isNotNull();
            return JSON.readTree(in);
        }
    }
}
