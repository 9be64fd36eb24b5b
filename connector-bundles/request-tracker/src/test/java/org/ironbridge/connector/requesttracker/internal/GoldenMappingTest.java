package org.ironbridge.connector.requesttracker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.InputStream;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Recorded RT 5.0.3 REST2 search results (captured from the provisioned server with the fields the
 * connector asks for) in, canonical records out. The work order is stalled, owned, linked to an
 * asset, with a due date, a start and worked time; the service request is resolved.
 */
class GoldenMappingTest {

    private static JsonNode load(String name) throws Exception {
        try (InputStream in = GoldenMappingTest.class.getResourceAsStream("/golden/" + name)) {
            assertThat(in).as(name).isNotNull();
            return RtClient.MAPPER.readTree(in);
        }
    }

    @ParameterizedTest
    @CsvSource({"ASSETS, asset", "WORK_ORDERS, work-order", "SERVICE_REQUESTS, service-request"})
    void mapsRecordedResponses(EntityType type, String file) throws Exception {
        JsonNode raw = load(file + ".json");
        SourceRecord r = RtMapper.map(type, raw);
        JsonNode expected = load(file + ".expected.json");
        assertThat(r.remoteId()).isEqualTo(expected.get("remote_id").asText());
        assertThat(r.createdAt().toString()).isEqualTo(expected.get("created_at").asText());
        assertThat(r.updatedAt().toString()).isEqualTo(expected.get("updated_at").asText());
        // through text, so that a long 100 and an int 100 compare equal
        assertThat(RtClient.MAPPER.readTree(RtClient.MAPPER.writeValueAsString(r.fields())))
                .isEqualTo(expected.get("fields"));
        assertThat(r.raw()).isSameAs(raw);
    }

    @Test
    void unsetDatesAndNobodyAreLeftOut() throws Exception {
        ObjectNode t = (ObjectNode) load("work-order.json");
        t.put("Due", "1970-01-01T00:00:00Z").put("Starts", "1970-01-01T00:00:00Z");
        t.putObject("Owner").put("id", "Nobody").put("Name", "Nobody");
        t.putArray("_hyperlinks");
        JsonNode f = RtMapper.workOrder(t).fields();
        assertThat(f.has("due_date")).isFalse();
        assertThat(f.has("scheduled_start")).isFalse();
        assertThat(f.has("assigned_to")).isFalse();
        assertThat(f.has("asset_id")).isFalse();
        assertThat(f.path("custom_fields").has("due_at")).isFalse();
    }

    @Test
    void statusesKeepTheRawValue() throws Exception {
        ObjectNode t = (ObjectNode) load("work-order.json");
        String[][] cases = {
            {"new", "requested"},
            {"open", "in_progress"},
            {"stalled", "on_hold"},
            {"resolved", "completed"},
            {"rejected", "cancelled"},
            {"deleted", "cancelled"},
            {"waiting for parts", "in_progress"}
        };
        for (String[] c : cases) {
            t.put("Status", c[0]);
            JsonNode f = RtMapper.workOrder(t).fields();
            assertThat(f.get("status").asText()).as(c[0]).isEqualTo(c[1]);
            assertThat(f.get("remote_status").asText()).isEqualTo(c[0]);
        }
        assertThat(RtMapper.serviceRequestStatus("new")).isEqualTo("open");
        assertThat(RtMapper.serviceRequestStatus("stalled")).isEqualTo("in_progress");
        assertThat(RtMapper.serviceRequestStatus("rejected")).isEqualTo("cancelled");
        assertThat(RtMapper.assetStatus("in-use")).isEqualTo("active");
        assertThat(RtMapper.assetStatus("stolen")).isEqualTo("inactive");
        assertThat(RtMapper.assetStatus("recycled")).isEqualTo("decommissioned");
        assertThat(RtMapper.assetStatus("deleted")).isEqualTo("decommissioned");
    }

    @Test
    void everyCanonicalWorkOrderStatusAndPriorityHasAnRtValueThatReadsBackConsistently() {
        for (String s :
                new String[] {
                    "requested",
                    "approved",
                    "scheduled",
                    "in_progress",
                    "on_hold",
                    "completed",
                    "closed",
                    "cancelled"
                }) {
            String rt = RtMapper.rtWorkOrderStatus(s);
            assertThat(RtMapper.rtWorkOrderStatus(RtMapper.workOrderStatus(rt))).isEqualTo(rt);
        }
        for (String p : new String[] {"low", "medium", "high", "urgent"}) {
            assertThat(RtMapper.priority(RtMapper.rtPriority(p))).isEqualTo(p);
        }
        // RT 5's named priorities: Low 0, Medium 50, High 100
        assertThat(RtMapper.priority(0)).isEqualTo("low");
        assertThat(RtMapper.priority(50)).isEqualTo("medium");
        assertThat(RtMapper.priority(100)).isEqualTo("high");
    }
}
