package org.ironbridge.connector.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorContext;
import org.ironbridge.api.connector.ConnectorDescriptor;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorException.Kind;
import org.ironbridge.api.connector.ConnectorFactory;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.EntityCapabilities;
import org.ironbridge.api.connector.Operation;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The connector conformance suite. A connector's test class extends it and says how to reach its
 * simulator or real server; the suite checks what every connector must do, per the descriptor it
 * declares:
 *
 * <ul>
 *   <li>the descriptor is complete;
 *   <li>{@code verify} accepts good and rejects bad credentials with {@code CREDENTIALS_REJECTED};
 *   <li>paging returns every record exactly once, for each listable entity;
 *   <li>an incremental read after a change returns the change and no untouched record;
 *   <li>create → get → update → delete round-trip for each declared operation, and undeclared ones
 *       fail with {@code NOT_SUPPORTED};
 *   <li>unknown ids fail with {@code NOT_FOUND}, invalid input with {@code VALIDATION_FAILED}.
 * </ul>
 *
 * <p>Every test opens its own session through {@link #factory()} and closes it afterwards.
 */
public abstract class ConnectorConformanceTest {
    /** A mapper for building JSON bodies in subclasses. */
    protected static final ObjectMapper JSON = new ObjectMapper();

    private final List<ConnectorSession> opened = new ArrayList<>();

    /** The session of the current test, opened with {@link #goodCredentials()}. */
    protected ConnectorSession session;

    /** The factory under test, as DS would create it. */
    protected abstract ConnectorFactory factory();

    /** Credentials the source accepts. */
    protected abstract Credentials goodCredentials();

    /** Credentials the source rejects (e.g. a wrong password). */
    protected abstract Credentials badCredentials();

    /**
     * Changes the record at the source by the source's own means (not through the session under
     * test, where possible), so that its modification time moves.
     */
    protected abstract void changeAtSource(EntityType entity, String remoteId) throws Exception;

    /** A valid create body for the entity; called only for entities that declare CREATE. */
    protected abstract ObjectNode sampleCreate(EntityType entity) throws Exception;

    /**
     * A valid update body for the entity; called only for entities that declare UPDATE. Each field
     * in it must read back with an equal value (decimals compared by value).
     */
    protected abstract ObjectNode sampleUpdate(EntityType entity) throws Exception;

    /** A source id that no record of the entity has. */
    protected abstract String missingRemoteId(EntityType entity);

    /** A create body the source or connector must reject; by default an empty object. */
    protected ObjectNode invalidCreate(EntityType entity) throws Exception {
        return JSON.createObjectNode();
    }

    /** The context sessions are opened with. */
    protected ConnectorContext context() {
        return TestContext.create("conformance");
    }

    /** The page size used to page through entities; small, to cross many page boundaries. */
    protected int pageSize() {
        return 7;
    }

    /** The entities the paging and incremental tests cover; by default every listable one. */
    protected Set<EntityType> listableEntities() {
        Set<EntityType> result = new HashSet<>();
        descriptor()
                .entities()
                .forEach(
                        (type, caps) -> {
                            if (caps.supports(Operation.LIST)) {
                                result.add(type);
                            }
                        });
        return result;
    }

    protected final ConnectorDescriptor descriptor() {
        return factory().descriptor();
    }

    /** Opens a session that is closed after the test. */
    protected final ConnectorSession open(Credentials credentials) throws ConnectorException {
        ConnectorSession s = factory().open(credentials, context());
        opened.add(s);
        return s;
    }

    @BeforeEach
    void openSession() throws ConnectorException {
        session = open(goodCredentials());
    }

    @AfterEach
    void closeSessions() {
        opened.forEach(ConnectorSession::close);
        opened.clear();
    }

    @Test
    void descriptorIsComplete() {
        ConnectorDescriptor d = descriptor();
        assertThat(d.system()).matches("[a-z][a-z0-9-]{1,39}");
        assertThat(d.name()).isNotBlank();
        assertThat(d.vendor()).isNotBlank();
        assertThat(d.category()).isNotNull();
        assertThat(d.deployments()).isNotEmpty();
        assertThat(d.credentialFields()).isNotEmpty();
        d.credentialFields()
                .forEach(
                        f -> {
                            assertThat(f.name()).matches("[a-z][a-z0-9_]*");
                            assertThat(f.label()).isNotBlank();
                        });
        assertThat(d.entities()).isNotEmpty();
        d.entities()
                .forEach(
                        (type, caps) -> {
                            assertThat(caps.operations()).as(type.collection()).isNotEmpty();
                            if (caps.incremental()) {
                                assertThat(caps.supports(Operation.LIST))
                                        .as(type.collection() + " is incremental but not listable")
                                        .isTrue();
                            }
                        });
        assertThat(factory().descriptor()).as("descriptor never changes").isSameAs(d);
    }

    @Test
    void verifyAcceptsGoodCredentials() throws Exception {
        session.verify();
    }

    @Test
    void verifyRejectsBadCredentials() throws Exception {
        ConnectorSession bad = open(badCredentials());
        ConnectorException e = catchThrowableOfType(ConnectorException.class, bad::verify);
        assertThat(e).as("verify with bad credentials must fail").isNotNull();
        assertThat(e.kind()).isEqualTo(Kind.CREDENTIALS_REJECTED);
        assertThat(e.getMessage()).isNotBlank();
    }

    @TestFactory
    Stream<DynamicTest> pagingReturnsEveryRecordOnce() {
        return listableEntities().stream()
                .map(
                        type ->
                                DynamicTest.dynamicTest(
                                        type.collection(),
                                        () -> {
                                            List<SourceRecord> all =
                                                    readAll(type, null, pageSize()).records;
                                            List<SourceRecord> big =
                                                    readAll(type, null, 1000).records;
                                            assertThat(ids(all))
                                                    .as("no duplicates")
                                                    .doesNotHaveDuplicates();
                                            assertThat(ids(all))
                                                    .as("same records at any page size")
                                                    .containsExactlyInAnyOrderElementsOf(ids(big));
                                        }));
    }

    @TestFactory
    Stream<DynamicTest> incrementalReadReturnsTheChangeOnly() {
        return listableEntities().stream()
                .filter(t -> descriptor().capabilities(t).incremental())
                .map(
                        type ->
                                DynamicTest.dynamicTest(
                                        type.collection(),
                                        () -> {
                                            ReadAll first = readAll(type, null, pageSize());
                                            assertThat(first.records)
                                                    .as("need a record to change")
                                                    .isNotEmpty();
                                            String changed =
                                                    first.records
                                                            .get(first.records.size() / 2)
                                                            .remoteId();
                                            changeAtSource(type, changed);
                                            ReadAll next = readAll(type, first.cursor, pageSize());
                                            assertThat(ids(next.records))
                                                    .as("only the changed record")
                                                    .containsExactly(changed);
                                            ReadAll none = readAll(type, next.cursor, pageSize());
                                            assertThat(ids(none.records))
                                                    .as("nothing after the change")
                                                    .isEmpty();
                                        }));
    }

    /**
     * For entities that declare {@link EntityCapabilities#newestFirst()}: a newest-first read pages
     * through the same records as an oldest-first one, newest change first, every cursor carrying
     * the same snapshot mark (the newest modification time); and an incremental read from that mark
     * after the walk returns a record changed meanwhile.
     */
    @TestFactory
    Stream<DynamicTest> newestFirstReadsNewestFirst() {
        return listableEntities().stream()
                .filter(t -> descriptor().capabilities(t).newestFirst())
                .map(
                        type ->
                                DynamicTest.dynamicTest(
                                        type.collection(),
                                        () -> {
                                            List<SourceRecord> ascending =
                                                    readAll(type, null, 1000).records;
                                            assertThat(ascending)
                                                    .as("need records to read")
                                                    .isNotEmpty();
                                            List<Cursor> cursors = new ArrayList<>();
                                            List<SourceRecord> descending =
                                                    readNewestFirst(type, pageSize(), cursors);
                                            assertThat(ids(descending))
                                                    .as("no duplicates")
                                                    .doesNotHaveDuplicates()
                                                    .as("the same records as oldest first")
                                                    .containsExactlyInAnyOrderElementsOf(
                                                            ids(ascending));
                                            for (int i = 1; i < descending.size(); i++) {
                                                assertThat(descending.get(i).updatedAt())
                                                        .as("newest change first")
                                                        .isBeforeOrEqualTo(
                                                                descending.get(i - 1).updatedAt());
                                            }
                                            java.time.Instant newest =
                                                    descending.get(0).updatedAt();
                                            assertThat(cursors)
                                                    .as("every cursor carries the snapshot mark")
                                                    .allSatisfy(
                                                            c ->
                                                                    assertThat(c.watermark())
                                                                            .contains(newest));
                                            String changed =
                                                    descending
                                                            .get(descending.size() / 2)
                                                            .remoteId();
                                            changeAtSource(type, changed);
                                            Cursor end = cursors.get(cursors.size() - 1);
                                            ReadAll next =
                                                    readAll(
                                                            type,
                                                            end.minus(java.time.Duration.ZERO),
                                                            pageSize());
                                            assertThat(ids(next.records))
                                                    .as("the change after the snapshot mark")
                                                    .contains(changed);
                                        }));
    }

    private List<SourceRecord> readNewestFirst(EntityType type, int pageSize, List<Cursor> cursors)
            throws ConnectorException {
        List<SourceRecord> records = new ArrayList<>();
        Cursor cursor = null;
        for (int pages = 0; pages < 100_000; pages++) {
            ChangePage p =
                    session.read(
                            new ReadRequest(
                                    type, cursor, null, pageSize, ReadRequest.Order.NEWEST_FIRST));
            assertThat(p.records().size()).isLessThanOrEqualTo(pageSize);
            records.addAll(p.records());
            cursor = Cursor.parse(p.next().serialize());
            cursors.add(cursor);
            if (!p.hasMore()) {
                return records;
            }
        }
        throw new AssertionError("paging does not end");
    }

    @TestFactory
    Stream<DynamicTest> writesRoundTrip() {
        return descriptor().entities().entrySet().stream()
                .filter(e -> e.getValue().supports(Operation.CREATE))
                .map(
                        e ->
                                DynamicTest.dynamicTest(
                                        e.getKey().collection(),
                                        () -> roundTrip(e.getKey(), e.getValue())));
    }

    private void roundTrip(EntityType type, EntityCapabilities caps) throws Exception {
        SourceRecord created = session.create(type, sampleCreate(type));
        assertThat(created.remoteId()).isNotBlank();
        if (caps.supports(Operation.GET)) {
            SourceRecord got = session.get(type, created.remoteId());
            assertThat(got.remoteId()).isEqualTo(created.remoteId());
            assertThat(got.fields()).isEqualTo(created.fields());
        }
        if (caps.supports(Operation.UPDATE)) {
            ObjectNode changes = sampleUpdate(type);
            SourceRecord updated = session.update(type, created.remoteId(), changes);
            assertFieldsMatch(changes, updated.fields());
            if (caps.supports(Operation.GET)) {
                assertFieldsMatch(changes, session.get(type, created.remoteId()).fields());
            }
        }
        if (caps.supports(Operation.DELETE)) {
            session.delete(type, created.remoteId());
            if (caps.supports(Operation.GET)) {
                ConnectorException e =
                        catchThrowableOfType(
                                ConnectorException.class,
                                () -> session.get(type, created.remoteId()));
                assertThat(e).as("get after delete").isNotNull();
                assertThat(e.kind()).isEqualTo(Kind.NOT_FOUND);
            }
        }
    }

    @TestFactory
    Stream<DynamicTest> undeclaredOperationsAreNotSupported() {
        List<DynamicTest> tests = new ArrayList<>();
        for (EntityType type : EntityType.values()) {
            EntityCapabilities caps = descriptor().capabilities(type);
            for (Operation op : List.of(Operation.GET, Operation.CREATE, Operation.UPDATE)) {
                if (!caps.supports(op)) {
                    tests.add(
                            DynamicTest.dynamicTest(
                                    type.collection() + " " + op,
                                    () -> expectKind(Kind.NOT_SUPPORTED, () -> call(op, type))));
                }
            }
            if (!caps.supports(Operation.DELETE)) {
                tests.add(
                        DynamicTest.dynamicTest(
                                type.collection() + " DELETE",
                                () ->
                                        expectKind(
                                                Kind.NOT_SUPPORTED,
                                                () ->
                                                        session.delete(
                                                                type, missingRemoteId(type)))));
            }
        }
        return tests.stream();
    }

    @TestFactory
    Stream<DynamicTest> unknownIdsAreNotFound() {
        return descriptor().entities().entrySet().stream()
                .filter(e -> e.getValue().supports(Operation.GET))
                .map(
                        e ->
                                DynamicTest.dynamicTest(
                                        e.getKey().collection(),
                                        () ->
                                                expectKind(
                                                        Kind.NOT_FOUND,
                                                        () ->
                                                                session.get(
                                                                        e.getKey(),
                                                                        missingRemoteId(
                                                                                e.getKey())))));
    }

    @TestFactory
    Stream<DynamicTest> invalidInputIsValidationFailed() {
        return descriptor().entities().entrySet().stream()
                .filter(e -> e.getValue().supports(Operation.CREATE))
                .map(
                        e ->
                                DynamicTest.dynamicTest(
                                        e.getKey().collection(),
                                        () ->
                                                expectKind(
                                                        Kind.VALIDATION_FAILED,
                                                        () ->
                                                                session.create(
                                                                        e.getKey(),
                                                                        invalidCreate(
                                                                                e.getKey())))));
    }

    private void call(Operation op, EntityType type) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("name", "x");
        switch (op) {
            case GET -> session.get(type, missingRemoteId(type));
            case CREATE -> session.create(type, body);
            case UPDATE -> session.update(type, missingRemoteId(type), body);
            default -> throw new IllegalArgumentException(op.name());
        }
    }

    /** A call that is expected to fail. */
    public interface ThrowingCall {
        void run() throws Exception;
    }

    /** Asserts the call fails with a {@link ConnectorException} of the kind and a message. */
    public static ConnectorException expectKind(Kind kind, ThrowingCall call) {
        try {
            call.run();
        } catch (ConnectorException e) {
            assertThat(e.kind()).as("failure kind of: " + e.getMessage()).isEqualTo(kind);
            assertThat(e.getMessage()).isNotBlank();
            return e;
        } catch (Exception e) {
            throw new AssertionError("expected a ConnectorException of kind " + kind, e);
        }
        return fail("expected a ConnectorException of kind " + kind + ", but the call succeeded");
    }

    /** Every field of {@code expected} is in {@code actual} with an equal value. */
    protected static void assertFieldsMatch(JsonNode expected, JsonNode actual) {
        Iterator<Map.Entry<String, JsonNode>> it = expected.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> f = it.next();
            JsonNode a = actual.get(f.getKey());
            assertThat(a).as("field " + f.getKey()).isNotNull();
            if (f.getValue().isObject()) {
                assertFieldsMatch(f.getValue(), a);
            } else if (!f.getValue().isArray()) {
                assertThat(sameValue(f.getValue(), a))
                        .as("field " + f.getKey() + ": expected " + f.getValue() + " got " + a)
                        .isTrue();
            }
        }
    }

    private static boolean sameValue(JsonNode e, JsonNode a) {
        if (e.equals(a)) {
            return true;
        }
        try {
            return new BigDecimal(e.asText()).compareTo(new BigDecimal(a.asText())) == 0;
        } catch (NumberFormatException ex) {
            return e.asText().equals(a.asText());
        }
    }

    /** Records and final cursor of paging an entity until {@code hasMore} is false. */
    protected record ReadAll(List<SourceRecord> records, Cursor cursor) {}

    /** Pages through an entity from the cursor, persisting the cursor as the runtime does. */
    protected final ReadAll readAll(EntityType type, Cursor cursor, int pageSize)
            throws ConnectorException {
        List<SourceRecord> records = new ArrayList<>();
        for (int pages = 0; pages < 100_000; pages++) {
            ChangePage p = session.read(new ReadRequest(type, cursor, null, pageSize));
            assertThat(p.records().size()).isLessThanOrEqualTo(pageSize);
            records.addAll(p.records());
            cursor = Cursor.parse(p.next().serialize());
            if (!p.hasMore()) {
                return new ReadAll(records, cursor);
            }
        }
        throw new AssertionError("paging does not end");
    }

    private static List<String> ids(List<SourceRecord> records) {
        return records.stream().map(SourceRecord::remoteId).toList();
    }
}
