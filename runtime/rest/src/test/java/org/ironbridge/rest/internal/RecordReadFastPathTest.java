package org.ironbridge.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ironbridge.rest.internal.Fakes.CONN_A1;
import static org.ironbridge.rest.internal.Fakes.KEY_A;
import static org.ironbridge.rest.internal.Fakes.PO_A1_1;
import static org.ironbridge.rest.internal.Fakes.PO_A2_1;
import static org.ironbridge.rest.internal.Fakes.SESSION_TOKEN;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A1;
import static org.ironbridge.rest.internal.Fakes.TOKEN_A3;
import static org.ironbridge.rest.internal.Fakes.TOKEN_B2;
import static org.ironbridge.rest.internal.Fakes.TOKEN_REVOKED;
import static org.ironbridge.rest.internal.Fakes.TOKEN_UNKNOWN;
import static org.ironbridge.rest.internal.Fakes.VEN_A1_1;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.ironbridge.engine.RequestLogEntry;
import org.ironbridge.engine.RequestLogService;
import org.junit.jupiter.api.Test;

/**
 * {@link RecordReadFastPath} answers exactly what the Jersey application answers, or leaves the
 * request to it: every request here is sent to both, and whatever the fast path serves must equal
 * Jersey's answer, statistics and request log entry.
 */
class RecordReadFastPathTest extends ApiTestBase {

    /** What the fast path did with one request. */
    private record Served(
            boolean served,
            int status,
            Map<String, String> headers,
            String body,
            boolean anythingWritten) {}

    private Served fast(String method, String uri, String query, Map<String, String> headers)
            throws Exception {
        Map<String, String> h = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        h.putAll(headers);
        HttpServletRequest req =
                (HttpServletRequest)
                        Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {HttpServletRequest.class},
                                (p, m, args) ->
                                        switch (m.getName()) {
                                            case "getMethod" -> method;
                                            case "getRequestURI" -> uri;
                                            case "getQueryString" -> query;
                                            case "getContextPath" -> "";
                                            case "getHeader" -> h.get((String) args[0]);
                                            case "getHeaderNames" ->
                                                    Collections.enumeration(h.keySet());
                                            case "getHeaders" ->
                                                    Collections.enumeration(
                                                            h.containsKey((String) args[0])
                                                                    ? List.of(
                                                                            h.get((String) args[0]))
                                                                    : List.of());
                                            default ->
                                                    throw new UnsupportedOperationException(
                                                            m.getName());
                                        });
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Map<String, String> written = new LinkedHashMap<>();
        int[] status = {0};
        boolean[] touched = {false};
        ServletOutputStream sos =
                new ServletOutputStream() {
                    @Override
                    public boolean isReady() {
                        return true;
                    }

                    @Override
                    public void setWriteListener(WriteListener l) {}

                    @Override
                    public void write(int b) {
                        out.write(b);
                    }
                };
        HttpServletResponse res =
                (HttpServletResponse)
                        Proxy.newProxyInstance(
                                getClass().getClassLoader(),
                                new Class<?>[] {HttpServletResponse.class},
                                (p, m, args) -> {
                                    switch (m.getName()) {
                                        case "isCommitted":
                                            return touched[0];
                                        case "reset":
                                            return null;
                                        case "setStatus":
                                            status[0] = (Integer) args[0];
                                            break;
                                        case "setContentType":
                                            written.put("Content-Type", (String) args[0]);
                                            break;
                                        case "setHeader":
                                            written.put((String) args[0], (String) args[1]);
                                            break;
                                        case "setContentLength":
                                            written.put("Content-Length", args[0].toString());
                                            break;
                                        case "getOutputStream":
                                            touched[0] = true;
                                            return sos;
                                        case "flushBuffer":
                                            break;
                                        default:
                                            throw new UnsupportedOperationException(m.getName());
                                    }
                                    touched[0] = true;
                                    return null;
                                });
        RecordReadFastPath path = new RecordReadFastPath(services, new HttpMetrics());
        boolean served = path.serve(req, res);
        return new Served(
                served,
                status[0],
                written,
                out.toString(StandardCharsets.UTF_8),
                touched[0] || out.size() > 0);
    }

    /** Sends the request to the fast path and to Jersey; checks they agree. */
    private void same(String uri, Map<String, String> headers, boolean expectServed)
            throws Exception {
        requestLogs.entries.clear();
        stats.recorded.clear();
        Served f = fast("GET", uri, null, headers);
        List<RequestLogEntry> fastLog = new ArrayList<>(requestLogs.entries);
        List<Fakes.FakeConnectionStats.Recorded> fastStats = new ArrayList<>(stats.recorded);
        requestLogs.entries.clear();
        stats.recorded.clear();

        Call call = get(uri);
        headers.forEach(call::header);
        Res j = call.send();

        assertThat(f.served())
                .as("%s %s: fast path served (Jersey: %s)", uri, headers, j)
                .isEqualTo(expectServed);
        if (!f.served()) {
            assertThat(f.anythingWritten()).as("wrote nothing").isFalse();
            assertThat(fastLog).isEmpty();
            assertThat(fastStats).isEmpty();
            return;
        }
        assertThat(j.status()).isEqualTo(200);
        assertThat(f.status()).isEqualTo(200);
        assertThat(f.body()).isEqualTo(j.body());
        assertThat(f.headers().get("Content-Type")).isEqualTo(j.header("Content-Type"));
        assertThat(f.headers().get("Content-Length"))
                .isEqualTo(Integer.toString(j.body().getBytes(StandardCharsets.UTF_8).length));
        String given = headers.get("X-Request-Id");
        if (given != null && RequestIdFilter.valid(given)) {
            assertThat(f.headers().get("X-Request-Id")).isEqualTo(given);
            assertThat(j.header("X-Request-Id")).isEqualTo(given);
        } else {
            assertThat(f.headers().get("X-Request-Id")).matches("req_[A-Za-z0-9_-]{22}");
        }

        assertThat(fastStats).hasSize(1);
        assertThat(stats.recorded).hasSize(1);
        assertThat(fastStats.get(0).connectionId()).isEqualTo(stats.recorded.get(0).connectionId());
        assertThat(fastStats.get(0).status()).isEqualTo(stats.recorded.get(0).status());
        assertThat(fastStats.get(0).errorCode()).isEqualTo(stats.recorded.get(0).errorCode());

        assertThat(fastLog).hasSize(1);
        assertThat(requestLogs.entries).hasSize(1);
        RequestLogEntry a = fastLog.get(0);
        RequestLogEntry b = requestLogs.entries.get(0);
        assertThat(a.organizationId()).isEqualTo(b.organizationId());
        assertThat(a.connectionId()).isEqualTo(b.connectionId());
        assertThat(a.requestId()).isEqualTo(f.headers().get("X-Request-Id"));
        assertThat(b.requestId()).isEqualTo(j.header("X-Request-Id"));
        assertThat(a.method()).isEqualTo(b.method());
        assertThat(a.path()).isEqualTo(b.path());
        assertThat(a.rawQuery()).isEqualTo(b.rawQuery());
        assertThat(a.status()).isEqualTo(b.status());
        assertThat(a.errorCode()).isEqualTo(b.errorCode());
        assertThat(a.requestBody()).isEqualTo(b.requestBody());
        assertThat(a.sourceCalls()).isEqualTo(b.sourceCalls());
        assertThat(a.startedAt()).isNotNull();
        assertThat(a.durationNanos()).isPositive();
        assertThat(new ArrayList<>(a.responseHeaders().keySet()))
                .isEqualTo(new ArrayList<>(b.responseHeaders().keySet()));
        assertThat(a.responseHeaders().get("Content-Type"))
                .isEqualTo(b.responseHeaders().get("Content-Type"));
        assertThat(a.responseHeaders().get("Content-Length"))
                .isEqualTo(b.responseHeaders().get("Content-Length"));
        for (String name : headers.keySet()) {
            assertThat(lowerCase(a.requestHeaders()).get(name.toLowerCase()))
                    .isEqualTo(lowerCase(b.requestHeaders()).get(name.toLowerCase()));
        }
        assertThat(body(a.responseBody())).isEqualTo(body(b.responseBody()));
        assertThat(a.responseBody().size()).isEqualTo(b.responseBody().size());
        assertThat(a.responseBody().contentType()).isEqualTo(b.responseBody().contentType());
    }

    private static String body(RequestLogEntry.Body b) {
        return new String(b.bytes(), 0, b.length(), StandardCharsets.UTF_8);
    }

    private static Map<String, List<String>> lowerCase(Map<String, List<String>> headers) {
        Map<String, List<String>> out = new TreeMap<>();
        headers.forEach((k, v) -> out.put(k.toLowerCase(), v));
        return out;
    }

    private static Map<String, String> bearer(String token) {
        return Map.of("Authorization", "Bearer " + token);
    }

    @Test
    void servesAStoredRecordExactlyAsJersey() throws Exception {
        same("/v1/purchase-orders/" + PO_A1_1, bearer(TOKEN_A1), true);
        same("/v1/vendors/" + VEN_A1_1, bearer(TOKEN_A1), true);
        same(
                "/v1/purchase-orders/" + PO_A1_1,
                Map.of("Authorization", "bearer " + TOKEN_A1, "Accept", "*/*"),
                true);
        same(
                "/v1/purchase-orders/" + PO_A1_1,
                Map.of(
                        "Authorization",
                        "Bearer " + TOKEN_A1,
                        "Accept",
                        "application/json",
                        "X-Request-Id",
                        "my-request.1"),
                true);
        same(
                "/v1/purchase-orders/" + PO_A1_1,
                Map.of("Authorization", "Bearer " + TOKEN_A1, "X-Request-Id", "bad id!"),
                true);
    }

    @Test
    void truncatesTheLoggedBodyLikeJersey() throws Exception {
        requestLogs.maxBodyBytes = 10;
        same("/v1/purchase-orders/" + PO_A1_1, bearer(TOKEN_A1), true);
        requestLogs.maxBodyBytes = 0;
        same("/v1/purchase-orders/" + PO_A1_1, bearer(TOKEN_A1), true);
    }

    @Test
    void whatTheLogTurnsAwayAtTheStartIsNeitherCapturedNorRecordedOnEitherPath() throws Exception {
        String uri = "/v1/purchase-orders/" + PO_A1_1;
        // under pressure: entries without bodies, marked so
        requestLogs.take = RequestLogService.Take.WITHOUT_BODIES;
        requestLogs.entries.clear();
        requestLogs.bodiesDropped.clear();
        assertThat(fast("GET", uri, null, bearer(TOKEN_A1)).served()).isTrue();
        Call call = get(uri);
        bearer(TOKEN_A1).forEach(call::header);
        assertThat(call.send().status()).isEqualTo(200);
        assertThat(requestLogs.entries)
                .hasSize(2)
                .allMatch(e -> e.requestBody() == null && e.responseBody() == null)
                .allMatch(e -> e.status() == 200 && e.path().equals(uri));
        assertThat(requestLogs.bodiesDropped).containsExactly(true, true);
        // full: nothing is recorded, the requests are served all the same
        requestLogs.take = RequestLogService.Take.NOTHING;
        requestLogs.entries.clear();
        requestLogs.bodiesDropped.clear();
        stats.recorded.clear();
        assertThat(fast("GET", uri, null, bearer(TOKEN_A1)).served()).isTrue();
        Call again = get(uri);
        bearer(TOKEN_A1).forEach(again::header);
        assertThat(again.send().status()).isEqualTo(200);
        assertThat(requestLogs.entries).isEmpty();
        assertThat(stats.recorded).hasSize(2);
    }

    @Test
    void withTheRequestLogOffNothingIsLogged() throws Exception {
        requestLogs.enabled = false;
        requestLogs.entries.clear();
        assertThat(fast("GET", "/v1/purchase-orders/" + PO_A1_1, null, bearer(TOKEN_A1)).served())
                .isTrue();
        assertThat(requestLogs.entries).isEmpty();
        assertThat(stats.recorded).hasSize(1);
    }

    @Test
    void leavesEverythingElseToJersey() throws Exception {
        String po = "/v1/purchase-orders/" + PO_A1_1;
        same(po, Map.of(), false); // no token
        same(po, Map.of("Authorization", "Basic abc"), false);
        same(po, bearer(KEY_A), false); // admin key
        same(po, bearer(SESSION_TOKEN), false);
        same(po, bearer(TOKEN_UNKNOWN), false);
        same(po, bearer(TOKEN_REVOKED), false);
        same(po, bearer(TOKEN_A3), false); // its connector is not installed
        same(po, Map.of("Authorization", "Bearer " + TOKEN_A1, "Accept", "text/html"), false);
        same("/v1/purchase-orders/" + PO_A2_1, bearer(TOKEN_A1), false); // another connection's
        same("/v1/purchase-orders/po_nothing", bearer(TOKEN_A1), false);
        same("/v1/work-orders/wo_123", bearer(TOKEN_A1), false); // not supported
        same("/v1/work-orders/wo_123", bearer(TOKEN_B2), false); // not found
        same("/v1/nonsense/x", bearer(TOKEN_A1), false);
        same("/v1/schemas/purchase-orders", bearer(TOKEN_A1), false);
        same("/v1/admin/connections", bearer(KEY_A), false);
        same(po + "/", bearer(TOKEN_A1), false);
        same("/v1/purchase-orders/po_a1%6Fne", bearer(TOKEN_A1), false);
        assertThat(fast("GET", po, "include_remote_data=true", bearer(TOKEN_A1)).served())
                .isFalse();
        assertThat(fast("HEAD", po, null, bearer(TOKEN_A1)).served()).isFalse();
        assertThat(fast("DELETE", po, null, bearer(TOKEN_A1)).served()).isFalse();
    }

    @Test
    void aConnectionThatNeedsReauthorizationIsLeftToJersey() throws Exception {
        connections.setStatus(CONN_A1, "reauthorization_required", "password changed");
        same("/v1/purchase-orders/" + PO_A1_1, bearer(TOKEN_A1), false);
    }

    @Test
    void withoutItsServicesItLeavesTheRequestToJersey() throws Exception {
        services.records = null;
        same("/v1/purchase-orders/" + PO_A1_1, bearer(TOKEN_A1), false);
    }
}
