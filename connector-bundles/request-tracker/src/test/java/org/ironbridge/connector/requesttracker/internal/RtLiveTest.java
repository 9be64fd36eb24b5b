package org.ironbridge.connector.requesttracker.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.connector.testkit.ConnectorConformanceTest.expectKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorException.Kind;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.connector.testkit.TestContext;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Against the real RT: incremental reads of changes made through RT's own API, the time-zone trap,
 * status and asset-link round trips read back from RT, and how RT's refusals come out.
 */
class RtLiveTest {
    private static String run;
    private static RtServer.Sandbox box;
    private RtSession s;

    @BeforeAll
    static void sandbox() throws Exception {
        run = RtServer.runId();
        box = RtServer.Sandbox.create(run);
    }

    @AfterAll
    static void tidy() throws Exception {
        box.close();
    }

    @BeforeEach
    void open() throws Exception {
        s = open(RtServer.credentials(RtServer.PASSWORD, box));
    }

    @AfterEach
    void close() {
        s.close();
    }

    private static RtSession open(Credentials c) throws ConnectorException {
        return (RtSession) new RtConnectorFactory().open(c, TestContext.create("live"));
    }

    private static ObjectNode json() {
        return RtServer.json();
    }

    private SourceRecord asset(String name) throws Exception {
        return s.create(EntityType.ASSETS, json().put("name", name));
    }

    private SourceRecord workOrder(String title) throws Exception {
        return s.create(EntityType.WORK_ORDERS, json().put("title", title + " " + run));
    }

    private static List<SourceRecord> readAll(
            ConnectorSession session, EntityType type, Cursor[] cursor) throws ConnectorException {
        List<SourceRecord> out = new java.util.ArrayList<>();
        while (true) {
            ChangePage p = session.read(new ReadRequest(type, cursor[0], null, 3));
            out.addAll(p.records());
            cursor[0] = p.next();
            if (!p.hasMore()) {
                return out;
            }
        }
    }

    @Test
    void incrementalReadPicksUpAChangeMadeThroughRtsOwnApi() throws Exception {
        SourceRecord a = workOrder("Grease bearings");
        SourceRecord b = workOrder("Check belts");
        Cursor[] cursor = {null};
        assertThat(readAll(s, EntityType.WORK_ORDERS, cursor))
                .extracting(SourceRecord::remoteId)
                .containsSubsequence(a.remoteId(), b.remoteId());
        assertThat(readAll(s, EntityType.WORK_ORDERS, cursor)).as("nothing new yet").isEmpty();

        Thread.sleep(1100); // RT's LastUpdated has whole seconds
        RtServer.admin()
                .put(
                        "ticket/" + a.remoteId(),
                        json().put("Subject", "Grease bearings (done) " + run));
        List<SourceRecord> changed = readAll(s, EntityType.WORK_ORDERS, cursor);
        assertThat(changed).extracting(SourceRecord::remoteId).containsExactly(a.remoteId());
        assertThat(changed.get(0).fields().get("title").asText())
                .startsWith("Grease bearings (done)");
        assertThat(changed.get(0).updatedAt()).isAfter(b.updatedAt().minusSeconds(1));
        assertThat(cursor[0].watermark()).contains(changed.get(0).updatedAt());

        // The runtime moves the watermark back by its overlap: the change comes again, once.
        Cursor[] overlap = {cursor[0].minus(Duration.ofSeconds(2))};
        assertThat(readAll(s, EntityType.WORK_ORDERS, overlap))
                .extracting(SourceRecord::remoteId)
                .contains(a.remoteId())
                .doesNotHaveDuplicates();
    }

    /**
     * The trap the connector avoids: RT parses a TicketSQL date literal in the RT user's time zone
     * (this test server's is America/New_York, see scripts/provision.sh), not in UTC, although
     * REST2 answers in UTC. A naive "LastUpdated > 'UTC time'" misses fresh changes.
     */
    @Test
    void rtReadsDateLiteralsInItsOwnTimeZoneSoTheConnectorComparesTheStoredUtcValue()
            throws Exception {
        SourceRecord wo = workOrder("Time zones");
        String justBefore =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
                        .withZone(ZoneOffset.UTC)
                        .format(wo.updatedAt().minusSeconds(60));
        String queue = RtSession.quote(box.workOrders());
        JsonNode naive =
                RtServer.admin()
                        .get(
                                RtClient.path(
                                        "tickets",
                                        List.of(
                                                Map.entry(
                                                        "query",
                                                        "Queue = "
                                                                + queue
                                                                + " AND LastUpdated > '"
                                                                + justBefore
                                                                + "'"))));
        assertThat(naive.path("total").asInt())
                .as("RT took the UTC literal as local time (test server not in UTC?)")
                .isZero();
        JsonNode exact =
                RtServer.admin()
                        .get(
                                RtClient.path(
                                        "tickets",
                                        List.of(
                                                Map.entry(
                                                        "query",
                                                        "Queue = "
                                                                + queue
                                                                + " AND LastUpdated.DateTime > '"
                                                                + justBefore
                                                                + "'"))));
        assertThat(exact.path("items").findValuesAsText("id")).contains(wo.remoteId());
        ChangePage p =
                s.read(
                        new ReadRequest(
                                EntityType.WORK_ORDERS, Cursor.at(wo.updatedAt()), null, 100));
        assertThat(p.records()).extracting(SourceRecord::remoteId).contains(wo.remoteId());
    }

    @Test
    void statusChangesRoundTripThroughRtsLifecycle() throws Exception {
        SourceRecord wo = workOrder("Overhaul gearbox");
        assertThat(wo.fields().get("status").asText()).isEqualTo("requested");
        assertThat(wo.fields().get("remote_status").asText()).isEqualTo("new");
        String[][] steps = {
            {"in_progress", "open", "in_progress"},
            {"on_hold", "stalled", "on_hold"},
            {"approved", "open", "in_progress"},
            {"completed", "resolved", "completed"},
            {"cancelled", "rejected", "cancelled"},
            {"requested", "new", "requested"}
        };
        for (String[] step : steps) {
            SourceRecord r =
                    s.update(EntityType.WORK_ORDERS, wo.remoteId(), json().put("status", step[0]));
            assertThat(r.fields().get("remote_status").asText()).as(step[0]).isEqualTo(step[1]);
            assertThat(r.fields().get("status").asText()).isEqualTo(step[2]);
            assertThat(RtServer.record("ticket", wo.remoteId()).get("Status").asText())
                    .as("RT's own record")
                    .isEqualTo(step[1]);
        }
        SourceRecord done =
                s.update(EntityType.WORK_ORDERS, wo.remoteId(), json().put("status", "completed"));
        assertThat(done.fields().has("completed_at")).isTrue();
    }

    @Test
    void workOrdersLinkToAssetsThroughRefersTo() throws Exception {
        SourceRecord pump = asset("Pump A " + run);
        SourceRecord motor = asset("Motor B " + run);
        SourceRecord wo =
                s.create(
                        EntityType.WORK_ORDERS,
                        json().put("title", "Align pump and motor " + run)
                                .put("asset_id", pump.remoteId()));
        assertThat(wo.fields().get("asset_id").asText()).isEqualTo(pump.remoteId());
        assertThat(assetLinks(wo.remoteId())).containsExactly(pump.remoteId());

        SourceRecord moved =
                s.update(
                        EntityType.WORK_ORDERS,
                        wo.remoteId(),
                        json().put("asset_id", motor.remoteId()));
        assertThat(moved.fields().get("asset_id").asText()).isEqualTo(motor.remoteId());
        assertThat(assetLinks(wo.remoteId())).containsExactly(motor.remoteId());

        SourceRecord unlinked =
                s.update(EntityType.WORK_ORDERS, wo.remoteId(), json().putNull("asset_id"));
        assertThat(unlinked.fields().has("asset_id")).isFalse();
        assertThat(assetLinks(wo.remoteId())).isEmpty();

        ConnectorException e =
                expectKind(
                        Kind.VALIDATION_FAILED,
                        () ->
                                s.update(
                                        EntityType.WORK_ORDERS,
                                        wo.remoteId(),
                                        json().put("asset_id", "987654321")));
        assertThat(e.fieldErrors()).extracting(f -> f.field()).containsExactly("asset_id");
    }

    private static List<String> assetLinks(String ticket) throws Exception {
        return RtMapper.assetIds(RtServer.record("ticket", ticket));
    }

    @Test
    void writesAreReadBackAndRtsRefusalsComeThrough() throws Exception {
        SourceRecord wo =
                s.create(
                        EntityType.WORK_ORDERS,
                        json().put("title", "Replace filter " + run)
                                .put("description", "Filter F-7 is clogged")
                                .put("priority", "urgent")
                                .put("due_date", "2026-12-24")
                                .put("assigned_to", "root")
                                .put("requested_by", "planner@example.test"));
        assertThat(wo.fields().get("priority").asText()).isEqualTo("urgent");
        assertThat(wo.fields().get("due_date").asText()).isEqualTo("2026-12-24");
        assertThat(wo.fields().get("assigned_to").asText()).isEqualTo("root");
        assertThat(wo.fields().get("requested_by").asText()).isEqualTo("planner@example.test");
        JsonNode raw = RtServer.record("ticket", wo.remoteId());
        assertThat(raw.get("Due").asText()).isEqualTo("2026-12-24T12:00:00Z");
        assertThat(raw.get("Priority").asInt()).isEqualTo(120);

        expectKind(
                Kind.VALIDATION_FAILED,
                () ->
                        s.update(
                                EntityType.WORK_ORDERS,
                                wo.remoteId(),
                                json().put("assigned_to", "no-such-user-" + run)));
        ConnectorException e =
                expectKind(
                        Kind.VALIDATION_FAILED,
                        () ->
                                s.update(
                                        EntityType.WORK_ORDERS,
                                        wo.remoteId(),
                                        json().put("description", "x").put("type", "preventive")));
        assertThat(e.fieldErrors())
                .extracting(f -> f.field())
                .containsExactlyInAnyOrder("description", "type");
        SourceRecord cleared =
                s.update(
                        EntityType.WORK_ORDERS,
                        wo.remoteId(),
                        json().putNull("due_date").putNull("assigned_to").putNull("requested_by"));
        assertThat(cleared.fields().has("due_date")).isFalse();
        assertThat(cleared.fields().has("assigned_to")).isFalse();
        assertThat(cleared.fields().has("requested_by")).isFalse();

        // a ticket of another queue is not a work order of this connection
        String other =
                RtServer.admin()
                        .post(
                                "ticket",
                                json().put("Queue", box.serviceRequests())
                                        .put("Subject", "SR " + run))
                        .path("id")
                        .asText();
        expectKind(Kind.NOT_FOUND, () -> s.get(EntityType.WORK_ORDERS, other));
        assertThat(s.get(EntityType.SERVICE_REQUESTS, other).fields().get("status").asText())
                .isEqualTo("open");
    }

    @Test
    void assetsMapTheirLifecycle() throws Exception {
        SourceRecord a = asset("Chiller C-1 " + run);
        assertThat(a.fields().get("status").asText()).isEqualTo("active");
        assertThat(a.fields().get("category").asText()).isEqualTo(box.catalog());
        SourceRecord gone =
                s.update(EntityType.ASSETS, a.remoteId(), json().put("status", "decommissioned"));
        assertThat(gone.fields().get("remote_status").asText()).isEqualTo("recycled");
        expectKind(
                Kind.VALIDATION_FAILED,
                () -> s.update(EntityType.ASSETS, a.remoteId(), json().put("status", "inactive")));
        SourceRecord back =
                s.update(EntityType.ASSETS, a.remoteId(), json().put("status", "active"));
        assertThat(back.fields().get("remote_status").asText()).isEqualTo("allocated");
    }

    @Test
    void aWrongPasswordIsRejectedAtVerifyAndNeedsReauthorizationLater() throws Exception {
        RtSession bad = open(RtServer.credentials("wrong-" + run, box));
        ConnectorException e = expectKind(Kind.CREDENTIALS_REJECTED, bad::verify);
        assertThat(e.getMessage()).doesNotContain("wrong-" + run);
        expectKind(
                Kind.REAUTHORIZATION_REQUIRED,
                () -> bad.read(new ReadRequest(EntityType.WORK_ORDERS, null, null, 10)));
    }

    @Test
    void anAuthTokenWorksInsteadOfThePassword() throws Exception {
        SourceRecord wo = workOrder("Token check");
        RtSession t = open(RtServer.tokenCredentials(box));
        t.verify();
        assertThat(t.get(EntityType.WORK_ORDERS, wo.remoteId()).fields().get("title").asText())
                .startsWith("Token check");
        RtSession badToken =
                open(Credentials.of(Map.of("url", RtServer.URL, "token", "1-14-0123456789abcdef")));
        expectKind(Kind.CREDENTIALS_REJECTED, badToken::verify);
    }

    @Test
    void verifyNamesAMissingQueueAndTheProvisionedDefaultsWork() throws Exception {
        RtSession typo =
                open(
                        Credentials.of(
                                Map.of(
                                        "url",
                                        RtServer.URL,
                                        "username",
                                        "root",
                                        "password",
                                        RtServer.PASSWORD,
                                        "work_order_queue",
                                        "Work ordres " + run)));
        ConnectorException e = expectKind(Kind.VALIDATION_FAILED, typo::verify);
        assertThat(e.fieldErrors())
                .extracting(f -> f.field())
                .containsExactly("credentials.work_order_queue");
        open(RtServer.credentials(RtServer.PASSWORD, null)).verify();
    }

    @Test
    void aUserWithoutRightsGetsPermissionDenied() throws Exception {
        String name = "ib-norights-" + run;
        RtServer.admin()
                .post(
                        "user",
                        json().put("Name", name)
                                .put("Password", "pw-" + run)
                                .put("EmailAddress", name + "@example.test")
                                .put("Privileged", 1));
        try {
            Map<String, String> c =
                    Map.of(
                            "url",
                            RtServer.URL,
                            "username",
                            name,
                            "password",
                            "pw-" + run,
                            "work_order_queue",
                            box.workOrders(),
                            "service_request_queue",
                            box.serviceRequests());
            RtSession nobody = open(Credentials.of(c));
            expectKind(Kind.PERMISSION_DENIED, nobody::verify);
            ConnectorException e =
                    expectKind(
                            Kind.PERMISSION_DENIED,
                            () -> nobody.create(EntityType.WORK_ORDERS, json().put("title", "x")));
            assertThat(e.getMessage()).contains("No permission to create tickets");
        } finally {
            RtServer.admin().put("user/" + name, json().put("Disabled", 1));
        }
    }

    @Test
    void deletedWorkOrdersDisappearFromReadsAndGets() throws Exception {
        SourceRecord wo = workOrder("Scrap me");
        s.delete(EntityType.WORK_ORDERS, wo.remoteId());
        assertThat(RtServer.record("ticket", wo.remoteId()).get("Status").asText())
                .isEqualTo("deleted");
        expectKind(Kind.NOT_FOUND, () -> s.get(EntityType.WORK_ORDERS, wo.remoteId()));
        ChangePage p =
                s.read(
                        new ReadRequest(
                                EntityType.WORK_ORDERS,
                                Cursor.at(Instant.now().minusSeconds(120)),
                                null,
                                100));
        assertThat(p.records()).extracting(SourceRecord::remoteId).doesNotContain(wo.remoteId());
    }
}
