package ${package}.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;

/**
 * One connection to the source: its work orders, over its REST API. Holds no state of its own
 * besides the client, so it is thread-safe.
 *
 * <p><b>Incremental reads.</b> The source lists work orders ordered by ({@code updated_at}, {@code
 * id}) and filters them with {@code updated_since} (inclusive) and {@code after_id}: together they
 * ask for what comes strictly after that (time, id) pair. The cursor is {@code Cursor.of(updated_at
 * of the last record, its id)}. Timestamps are coarse, so several records can share one; the id
 * breaks the tie, so a page boundary between them neither skips nor repeats a record. Before each
 * incremental sync the runtime moves the watermark back by an overlap window and clears the id, so
 * a record changed while a sync ran is read again rather than missed. A source that filters by time
 * only needs the tie-break done here instead: fetch the (id, time) pairs changed since the
 * watermark, sort them, skip up to the cursor, then read the page (Ironbridge's Tryton connector
 * does that).
 *
 * <p><b>Deletes</b> are neither supported nor detected: {@link #delete} is not overridden, so it
 * fails as not supported, and the descriptor says the source does not report deletions, so the
 * runtime finds them by reconciling id sets.
 */
final class RestSession extends ConnectorSession {
    /** The largest page the source serves. */
    static final int MAX_PAGE_SIZE = 100;

    private static final String WORK_ORDERS = "api/work-orders";

    private final RestClient client;

    RestSession(RestClient client) {
        this.client = client;
    }

    /** Asks the source who the token belongs to: the cheapest call that needs valid credentials. */
    @Override
    public void verify() throws ConnectorException {
        client.get("api/me");
    }

    @Override
    public ChangePage read(ReadRequest request) throws ConnectorException {
        requireWorkOrders(request.entity(), "list");
        Cursor cursor = request.cursor();
        Instant since =
                cursor != null && cursor.watermark().isPresent()
                        ? cursor.watermark().get()
                        : request.since();
        StringBuilder query =
                new StringBuilder(WORK_ORDERS)
                        .append("?limit=")
                        .append(Math.min(request.pageSize(), MAX_PAGE_SIZE));
        if (since != null) {
            query.append("&updated_since=").append(encode(since.toString()));
            if (cursor != null && !cursor.state().isEmpty()) {
                query.append("&after_id=").append(encode(cursor.state()));
            }
        }
        JsonNode page = client.get(query.toString());
        List<SourceRecord> records = new ArrayList<>();
        for (JsonNode raw : page.path("data")) {
            records.add(WorkOrderMapper.toRecord(raw));
        }
        Cursor next;
        if (records.isEmpty()) {
            next = cursor != null ? cursor : Cursor.at(since);
        } else {
            SourceRecord last = records.get(records.size() - 1);
            next = Cursor.of(last.updatedAt(), last.remoteId());
        }
        return new ChangePage(records, List.of(), next, page.path("has_more").asBoolean(false));
    }

    @Override
    public SourceRecord get(EntityType entity, String remoteId) throws ConnectorException {
        requireWorkOrders(entity, "get");
        return WorkOrderMapper.toRecord(client.get(path(remoteId)));
    }

    @Override
    public SourceRecord create(EntityType entity, ObjectNode fields) throws ConnectorException {
        requireWorkOrders(entity, "create");
        ObjectNode body = WorkOrderMapper.toSource(fields);
        try {
            return WorkOrderMapper.toRecord(client.post(WORK_ORDERS, body));
        } catch (ConnectorException e) {
            throw WorkOrderMapper.canonicalFieldNames(e);
        }
    }

    @Override
    public SourceRecord update(EntityType entity, String remoteId, ObjectNode changes)
            throws ConnectorException {
        requireWorkOrders(entity, "update");
        ObjectNode body = WorkOrderMapper.toSource(changes);
        try {
            return WorkOrderMapper.toRecord(client.patch(path(remoteId), body));
        } catch (ConnectorException e) {
            throw WorkOrderMapper.canonicalFieldNames(e);
        }
    }

    private static void requireWorkOrders(EntityType entity, String operation)
            throws ConnectorException {
        if (entity != EntityType.WORK_ORDERS) {
            throw unsupported(operation, entity);
        }
    }

    private static String path(String remoteId) {
        return WORK_ORDERS + "/" + encode(remoteId);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
