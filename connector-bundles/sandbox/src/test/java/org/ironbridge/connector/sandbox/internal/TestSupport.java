package org.ironbridge.connector.sandbox.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ironbridge.api.connector.ChangePage;
import org.ironbridge.api.connector.ConnectorContext;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.ConnectorSession;
import org.ironbridge.api.connector.Credentials;
import org.ironbridge.api.connector.Cursor;
import org.ironbridge.api.connector.ReadRequest;
import org.ironbridge.api.connector.SourceHttpClient;
import org.ironbridge.api.connector.SourceRecord;
import org.ironbridge.model.EntityType;
import org.slf4j.Logger;
import org.slf4j.helpers.NOPLogger;

/** A fake runtime for the sandbox: a settable clock, a context, and read helpers. */
final class TestSupport {
    static final Instant T0 = Instant.parse("2026-11-22T08:00:00Z");

    private TestSupport() {}

    /** A clock that only moves when told to. */
    static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void set(Instant t) {
            now = t;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** A context whose HTTP client fails: the sandbox must never use it. */
    record FakeContext(String connectionId, Clock clock) implements ConnectorContext {
        @Override
        public SourceHttpClient http() {
            return request -> {
                throw new AssertionError("the sandbox must not make HTTP calls");
            };
        }

        @Override
        public Logger logger() {
            return NOPLogger.NOP_LOGGER;
        }
    }

    /** Valid credentials with the given overrides (a null value removes the field). */
    static Credentials credentials(String... overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("username", "demo");
        values.put("password", "sandbox");
        values.put("activity_per_minute", "0");
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                values.remove(overrides[i]);
            } else {
                values.put(overrides[i], overrides[i + 1]);
            }
        }
        return Credentials.of(values);
    }

    static ConnectorSession open(
            SandboxConnectorFactory factory, Clock clock, String connection, String... overrides)
            throws ConnectorException {
        return factory.open(credentials(overrides), new FakeContext(connection, clock));
    }

    /** The result of paging through an entity until hasMore is false. */
    record ReadAll(List<SourceRecord> records, List<String> deleted, Cursor cursor, int pages) {}

    static ReadAll readAll(
            ConnectorSession s, EntityType e, Cursor cursor, Instant since, int pageSize)
            throws ConnectorException {
        List<SourceRecord> records = new ArrayList<>();
        List<String> deleted = new ArrayList<>();
        int pages = 0;
        while (true) {
            ChangePage p = s.read(new ReadRequest(e, cursor, since, pageSize));
            pages++;
            records.addAll(p.records());
            deleted.addAll(p.deletedRemoteIds());
            // persist and reload the cursor the way the runtime does
            cursor = Cursor.parse(p.next().serialize());
            if (!p.hasMore()) {
                return new ReadAll(records, deleted, cursor, pages);
            }
            if (pages > 1_000_000) {
                throw new AssertionError("paging does not end");
            }
        }
    }
}
