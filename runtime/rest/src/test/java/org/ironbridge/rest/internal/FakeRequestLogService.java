package org.ironbridge.rest.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.Page;
import org.ironbridge.engine.RequestLogEntry;
import org.ironbridge.engine.RequestLogQuery;
import org.ironbridge.engine.RequestLogService;
import org.ironbridge.engine.RequestLogView;

/**
 * An in-memory request log: keeps what the HTTP layer records (unredacted: redaction is the
 * engine's, tested there) and answers queries like the real one, scoped to the organization.
 */
final class FakeRequestLogService implements RequestLogService {
    volatile boolean enabled = true;
    volatile int maxBodyBytes = 16 * 1024;
    final List<RequestLogEntry> entries = new ArrayList<>();

    /** What {@link #admit} answers; null: what the interface's default answers. */
    volatile Take take;

    /** For each entry, whether it was recorded as one whose bodies were dropped. */
    final List<Boolean> bodiesDropped = new ArrayList<>();

    /** The last query the admin API asked. */
    volatile RequestLogQuery lastQuery;

    @Override
    public boolean enabled() {
        return enabled;
    }

    @Override
    public int maxBodyBytes() {
        return maxBodyBytes;
    }

    @Override
    public Take admit() {
        Take t = take;
        return t == null ? RequestLogService.super.admit() : t;
    }

    @Override
    public synchronized void record(RequestLogEntry entry) {
        record(entry, false);
    }

    @Override
    public synchronized void record(RequestLogEntry entry, boolean dropped) {
        entries.add(entry);
        bodiesDropped.add(dropped);
    }

    synchronized List<RequestLogEntry> entries() {
        return List.copyOf(entries);
    }

    /** The one entry recorded for a request id. */
    synchronized RequestLogEntry entry(String requestId) {
        List<RequestLogEntry> found =
                entries.stream().filter(e -> e.requestId().equals(requestId)).toList();
        if (found.size() != 1) {
            throw new AssertionError(found.size() + " entries for " + requestId + ": " + entries);
        }
        return found.get(0);
    }

    @Override
    public synchronized Page<RequestLogView> list(String organizationId, RequestLogQuery q)
            throws EngineException {
        lastQuery = q;
        List<RequestLogEntry> matching = new ArrayList<>();
        for (RequestLogEntry e : entries) {
            if (organizationId.equals(e.organizationId()) && matches(e, q)) {
                matching.add(e);
            }
        }
        matching.sort(
                Comparator.comparing(RequestLogEntry::startedAt)
                        .thenComparing(entries::indexOf)
                        .reversed());
        int start = 0;
        if (q.cursor() != null) {
            if (!q.cursor().matches("c[0-9]+")) {
                throw EngineException.invalid(
                        "Invalid cursor",
                        List.of(new org.ironbridge.api.connector.FieldError("cursor", "bad")));
            }
            // the cursor names the last entry of the previous page: stable under inserts
            RequestLogEntry last = entries.get(Integer.parseInt(q.cursor().substring(1)));
            start = matching.indexOf(last) + 1;
        }
        int end = Math.min(matching.size(), start + q.pageSize());
        List<RequestLogView> page = new ArrayList<>();
        for (RequestLogEntry e : matching.subList(Math.min(start, end), end)) {
            page.add(view(e, false));
        }
        return new Page<>(
                page, end < matching.size() ? "c" + entries.indexOf(matching.get(end - 1)) : null);
    }

    private static boolean matches(RequestLogEntry e, RequestLogQuery q) {
        return (q.connectionId() == null || q.connectionId().equals(e.connectionId()))
                && (q.statusFrom() == null
                        || (e.status() >= q.statusFrom() && e.status() < q.statusTo()))
                && (q.errorCode() == null || q.errorCode().equals(e.errorCode()))
                && (q.since() == null || !e.startedAt().isBefore(q.since()))
                && (q.until() == null || e.startedAt().isBefore(q.until()))
                && (q.text() == null
                        || e.path().contains(q.text())
                        || e.requestId().contains(q.text())
                        || (e.errorCode() != null && e.errorCode().contains(q.text())));
    }

    @Override
    public synchronized Optional<RequestLogView> find(String organizationId, String requestId) {
        for (int i = entries.size() - 1; i >= 0; i--) {
            RequestLogEntry e = entries.get(i);
            if (organizationId.equals(e.organizationId()) && e.requestId().equals(requestId)) {
                return Optional.of(view(e, true));
            }
        }
        return Optional.empty();
    }

    private static RequestLogView view(RequestLogEntry e, boolean whole) {
        return new RequestLogView(
                e.requestId(),
                e.startedAt(),
                e.durationNanos() / 1000,
                e.connectionId(),
                e.method(),
                e.path(),
                e.rawQuery(),
                e.status(),
                e.errorCode(),
                e.sourceCalls().size(),
                false,
                whole ? message(e.requestHeaders(), e.requestBody()) : null,
                whole ? message(e.responseHeaders(), e.responseBody()) : null,
                whole ? e.sourceCalls() : null);
    }

    private static RequestLogView.Message message(
            Map<String, List<String>> headers, RequestLogEntry.Body body) {
        Map<String, String> h = new LinkedHashMap<>();
        headers.forEach(
                (k, v) -> h.put(k.toLowerCase(java.util.Locale.ROOT), String.join(", ", v)));
        return new RequestLogView.Message(
                h,
                body == null
                        ? null
                        : new String(body.bytes(), 0, body.length(), StandardCharsets.UTF_8),
                body == null ? null : body.size(),
                body != null && body.truncated());
    }
}
