package org.ironbridge.engine.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.Operation;
import org.ironbridge.api.connector.PassthroughRequest;
import org.ironbridge.api.connector.PassthroughResponse;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.InstalledConnector;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.RecordQuery;
import org.ironbridge.engine.RecordService;
import org.ironbridge.model.EntityType;
import org.ironbridge.model.Violation;
import org.ironbridge.store.ConnectionRepository;
import org.ironbridge.store.ConnectionRow;
import org.ironbridge.store.RecordListQuery;
import org.ironbridge.store.RecordRepository;
import org.ironbridge.store.StoredRecord;

/**
 * The {@link RecordService}: reads from the record store (never the connector), writes live through
 * the connection's session and then into the store.
 */
final class RecordManager implements RecordService {
    private final Canonical canonical;
    private final Sessions sessions;
    private final RecordWriter writer;
    private final Clock clock;
    private final RecordRepository records;
    private final ConnectionRepository connections;

    RecordManager(
            DataSource ds,
            Canonical canonical,
            Sessions sessions,
            RecordWriter writer,
            Clock clock) {
        this.canonical = canonical;
        this.sessions = sessions;
        this.writer = writer;
        this.clock = clock;
        this.records = new RecordRepository(ds);
        this.connections = new ConnectionRepository(ds);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // ---------------------------------------------------------------- reads

    @Override
    public Page<ObjectNode> list(String connectionId, EntityType type, RecordQuery query)
            throws EngineException {
        Page<StoredRecord> rows = rows(connectionId, type, query);
        List<ObjectNode> data = new ArrayList<>(rows.data().size());
        for (StoredRecord r : rows.data()) {
            data.add(render(r, query.includeRemoteData()));
        }
        return new Page<>(data, rows.nextCursor());
    }

    /**
     * The hot path of the HTTP layer: the page as JSON text, spliced from the stored JSON without
     * parsing it into a tree and serializing it again.
     */
    @Override
    public String listJson(String connectionId, EntityType type, RecordQuery query)
            throws EngineException {
        Page<StoredRecord> rows = rows(connectionId, type, query);
        StringBuilder sb = new StringBuilder(64 + rows.data().size() * 1024);
        sb.append("{\"data\":[");
        boolean first = true;
        for (StoredRecord r : rows.data()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            appendJson(sb, r, query.includeRemoteData());
        }
        sb.append("],\"next_cursor\":");
        if (rows.nextCursor() == null) {
            sb.append("null");
        } else {
            // cursors are base64url: nothing to escape
            sb.append('"').append(rows.nextCursor()).append('"');
        }
        return sb.append('}').toString();
    }

    @Override
    public Optional<String> getJson(
            String connectionId, EntityType type, String id, boolean includeRemoteData) {
        if (id == null || !id.startsWith(type.idPrefix() + "_")) {
            return Optional.empty();
        }
        return records.get(connectionId, type.collection(), id, includeRemoteData)
                .map(
                        r -> {
                            StringBuilder sb = new StringBuilder(r.data().length() + 64);
                            appendJson(sb, r, includeRemoteData);
                            return sb.toString();
                        });
    }

    /**
     * The stored canonical JSON (an object written by our own serializer), with remote_data
     * appended if asked.
     */
    private static void appendJson(StringBuilder sb, StoredRecord r, boolean includeRemoteData) {
        String data = r.data();
        if (!includeRemoteData) {
            sb.append(data);
            return;
        }
        int end = data.lastIndexOf('}');
        sb.append(data, 0, end);
        sb.append(end > 1 ? ",\"remote_data\":" : "\"remote_data\":");
        sb.append(r.raw() == null ? "null" : r.raw());
        sb.append('}');
    }

    /** The rows of a page and the cursor of the next one. */
    private Page<StoredRecord> rows(String connectionId, EntityType type, RecordQuery query)
            throws EngineException {
        ConnectionManager.checkPageSize(query.pageSize());
        Cursors.Position after =
                query.cursor() == null ? null : Cursors.records(query.cursor(), type.collection());
        Map<String, String> filters = new LinkedHashMap<>();
        if (query.filters() != null) {
            List<FieldError> errors = new ArrayList<>();
            Set<String> allowed = canonical.filterable(type);
            for (Map.Entry<String, String> f : query.filters().entrySet()) {
                if (!allowed.contains(f.getKey())) {
                    errors.add(
                            new FieldError(
                                    "filter[" + f.getKey() + "]",
                                    "cannot be filtered on; filterable fields of "
                                            + type.collection()
                                            + ": "
                                            + String.join(", ", allowed)));
                } else {
                    filters.put(f.getKey(), f.getValue() == null ? "" : f.getValue());
                }
            }
            if (!errors.isEmpty()) {
                throw EngineException.invalid("Unknown filter field", errors);
            }
        }
        List<StoredRecord> rows =
                records.list(
                        connectionId,
                        type.collection(),
                        new RecordListQuery(
                                after == null ? null : after.at(),
                                after == null ? null : after.id(),
                                query.modifiedAfter(),
                                query.modifiedBefore(),
                                query.includeDeleted(),
                                filters,
                                query.includeRemoteData(),
                                query.pageSize() + 1));
        String next = null;
        if (rows.size() > query.pageSize()) {
            rows = rows.subList(0, query.pageSize());
            StoredRecord last = rows.get(rows.size() - 1);
            next = Cursors.records(type.collection(), last.updatedAt(), last.id());
        }
        return new Page<>(rows, next);
    }

    @Override
    public Optional<ObjectNode> get(
            String connectionId, EntityType type, String id, boolean includeRemoteData) {
        if (id == null || !id.startsWith(type.idPrefix() + "_")) {
            return Optional.empty();
        }
        return records.get(connectionId, type.collection(), id, includeRemoteData)
                .map(r -> render(r, includeRemoteData));
    }

    private static ObjectNode render(StoredRecord r, boolean includeRemoteData) {
        ObjectNode node = Json.readObject(r.data());
        if (includeRemoteData) {
            node.set("remote_data", r.raw() == null ? Json.NODES.nullNode() : Json.read(r.raw()));
        }
        return node;
    }

    @Override
    public Set<String> filterableFields(EntityType type) {
        return canonical.filterable(type);
    }

    // ---------------------------------------------------------------- writes

    /** The connection for a write; only connections that can reach their source may write. */
    private ConnectionRow writable(String connectionId, EntityType type, Operation op)
            throws EngineException {
        ConnectionRow row =
                connections
                        .find(connectionId)
                        .orElseThrow(() -> EngineException.notFound("No such connection"));
        if (row.disconnected()) {
            throw new EngineException(
                    Code.TOKEN_REVOKED, "The connection of this token was disconnected");
        }
        if (ConnectionRow.REAUTHORIZATION_REQUIRED.equals(row.status())) {
            throw new EngineException(
                    Code.REAUTHORIZATION_REQUIRED,
                    "The source system rejected the stored credentials. Reconnect this"
                            + " connection.");
        }
        InstalledConnector connector = sessions.connector(row);
        if (!connector.descriptor().capabilities(type).supports(op)) {
            throw new EngineException(
                    Code.OPERATION_NOT_SUPPORTED,
                    row.system()
                            + " cannot "
                            + op.name().toLowerCase(java.util.Locale.ROOT)
                            + " "
                            + type.collection());
        }
        return row;
    }

    @Override
    public ObjectNode create(String connectionId, EntityType type, ObjectNode body)
            throws EngineException {
        validate(canonical.model().validateCreate(type, body));
        ConnectionRow row = writable(connectionId, type, Operation.CREATE);
        ObjectNode fields = toRemote(connectionId, type, body);
        SourceRecord created = sessions.call(row, s -> s.create(type, fields));
        return store(connectionId, type, created);
    }

    @Override
    public ObjectNode update(String connectionId, EntityType type, String id, ObjectNode body)
            throws EngineException {
        validate(canonical.model().validateUpdate(type, body));
        StoredRecord existing = existing(connectionId, type, id);
        ConnectionRow row = writable(connectionId, type, Operation.UPDATE);
        ObjectNode changes = toRemote(connectionId, type, body);
        SourceRecord updated =
                sessions.call(row, s -> s.update(type, existing.remoteId(), changes));
        return store(connectionId, type, updated);
    }

    @Override
    public void delete(String connectionId, EntityType type, String id) throws EngineException {
        StoredRecord existing = existing(connectionId, type, id);
        ConnectionRow row = writable(connectionId, type, Operation.DELETE);
        try {
            sessions.call(
                    row,
                    s -> {
                        s.delete(type, existing.remoteId());
                        return null;
                    });
        } catch (EngineException e) {
            if (e.code() == Code.NOT_FOUND) {
                // gone at the source already: the store follows
                writer.deleteOne(connectionId, type, existing.remoteId(), now());
            }
            throw e;
        }
        writer.deleteOne(connectionId, type, existing.remoteId(), now());
    }

    @Override
    public PassthroughResponse passthrough(String connectionId, PassthroughRequest request)
            throws EngineException {
        ConnectionRow row =
                connections
                        .find(connectionId)
                        .orElseThrow(() -> EngineException.notFound("No such connection"));
        if (row.disconnected()) {
            throw new EngineException(
                    Code.TOKEN_REVOKED, "The connection of this token was disconnected");
        }
        if (ConnectionRow.REAUTHORIZATION_REQUIRED.equals(row.status())) {
            throw new EngineException(
                    Code.REAUTHORIZATION_REQUIRED,
                    "The source system rejected the stored credentials. Reconnect this"
                            + " connection.");
        }
        return sessions.call(row, s -> s.passthrough(request));
    }

    private StoredRecord existing(String connectionId, EntityType type, String id)
            throws EngineException {
        Optional<StoredRecord> r =
                id == null || !id.startsWith(type.idPrefix() + "_")
                        ? Optional.empty()
                        : records.get(connectionId, type.collection(), id, false);
        if (r.isEmpty() || r.get().deletedAt() != null) {
            throw EngineException.notFound("No such " + Canonical.words(type));
        }
        return r.get();
    }

    private ObjectNode store(String connectionId, EntityType type, SourceRecord r)
            throws EngineException {
        if (r == null) {
            throw new EngineException(Code.SOURCE_ERROR, "The connector returned no record");
        }
        return writer.writeOne(connectionId, type, r, now());
    }

    private static void validate(List<Violation> violations) throws EngineException {
        if (!violations.isEmpty()) {
            List<FieldError> errors = new ArrayList<>(violations.size());
            for (Violation v : violations) {
                errors.add(new FieldError(v.field(), v.message()));
            }
            throw EngineException.invalid("The request body is invalid", errors);
        }
    }

    /**
     * A copy of a write body with its reference fields translated from Ironbridge ids to the
     * source's ids, by looking the referenced records up in the store.
     *
     * @throws EngineException {@code VALIDATION_FAILED} naming each unknown reference
     */
    ObjectNode toRemote(String connectionId, EntityType type, ObjectNode body)
            throws EngineException {
        ObjectNode copy = body.deepCopy();
        List<Canonical.Found> found = canonical.referencesIn(type, copy);
        if (found.isEmpty()) {
            return copy;
        }
        Map<EntityType, Set<String>> wanted = new EnumMap<>(EntityType.class);
        for (Canonical.Found f : found) {
            if (f.id().startsWith(f.target().idPrefix() + "_")) {
                wanted.computeIfAbsent(f.target(), k -> new LinkedHashSet<>()).add(f.id());
            }
        }
        Map<EntityType, Map<String, String>> remote = new EnumMap<>(EntityType.class);
        for (Map.Entry<EntityType, Set<String>> w : wanted.entrySet()) {
            remote.put(
                    w.getKey(),
                    records.remoteIds(connectionId, w.getKey().collection(), w.getValue()));
        }
        Map<String, String> byPath = new HashMap<>();
        List<FieldError> errors = new ArrayList<>();
        for (Canonical.Found f : found) {
            String r = remote.getOrDefault(f.target(), Map.of()).get(f.id());
            if (r == null) {
                errors.add(new FieldError(f.path(), "no such " + Canonical.words(f.target())));
            } else {
                byPath.put(f.path(), r);
            }
        }
        if (!errors.isEmpty()) {
            throw EngineException.invalid(
                    "The request refers to records that do not exist", errors);
        }
        canonical.toRemote(type, copy, byPath);
        return copy;
    }
}
