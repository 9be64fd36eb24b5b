package org.ironbridge.connector.requesttracker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.ironbridge.api.connector.ConnectorException;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.api.connector.SourceHttpClient;

/**
 * Request Tracker's REST2 API over the runtime's HTTP client: authentication, JSON, and the mapping
 * of RT's failures to {@link ConnectorException} kinds.
 *
 * <p><b>Authentication.</b> With an auth token every call sends {@code Authorization: token …}.
 * With a user name and password, RT checks the password (bcrypt, cost 12 by default) on
 * <em>every</em> Basic-authenticated call, about half a second of server CPU each. So the client
 * logs in once through RT's login form ({@code NoAuth/Login.html}) and sends the RT session cookie
 * it gets, which REST2 accepts as well (about 0.05 s a call); when the session ends (RT answers 302
 * or 401 to the cookie) it logs in again once. When the login form does not give a working session
 * (external authentication, a changed password), it falls back to Basic authentication, whose 401
 * is the authoritative "credentials rejected".
 *
 * <p>RT (5.0.3 with Debian's security fixes, 5.0.8 upstream) refuses a cookie-authenticated REST2
 * {@code POST}, {@code PUT} or {@code DELETE} whose {@code Origin} is not RT's own configured web
 * address ("Cross-site request forgery protection refused this request"). So unsafe calls on the
 * session cookie send RT's origin as {@code Origin}; when RT still refuses (its {@code WebBaseURL}
 * differs from the address we were given, say behind a proxy), the call is sent again with Basic
 * authentication, which RT never checks for CSRF, and later unsafe calls go with Basic at once.
 *
 * <p>The client never sends a {@code User-Agent} that looks like a browser: RT answers those with a
 * redirect to its login page instead of 401.
 */
final class RtClient {
    /** When RT (or a proxy in front of it) answers 429/503 without a usable Retry-After. */
    static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(30);

    static final ObjectMapper MAPPER = new ObjectMapper();

    private final SourceHttpClient http;
    private final Clock clock;
    private final URI base;
    private final URI api;
    private final String username;
    private final String password;
    private final String token;
    private volatile String cookie;
    private volatile boolean formLoginUnusable;

    /** Set once RT refused an unsafe call on the session cookie as a possible CSRF. */
    private volatile boolean unsafeNeedsBasic;

    /** A decoded REST2 answer: the status, the JSON body (or null) and the raw text. */
    record Answer(int status, JsonNode json, String text) {}

    /**
     * @param base RT's web root, ending with {@code /} (REST2 is at {@code base + "REST/2.0/"})
     * @param token an RT auth token, or null to authenticate with the user name and password
     */
    RtClient(
            SourceHttpClient http,
            Clock clock,
            URI base,
            String username,
            String password,
            String token) {
        this.http = http;
        this.clock = clock;
        this.base = base;
        this.api = base.resolve("REST/2.0/");
        this.username = username;
        this.password = password;
        this.token = token;
    }

    /** The REST2 root this client talks to. */
    URI api() {
        return api;
    }

    /**
     * Proves the credentials with {@code GET /rt}: a 401 is {@code CREDENTIALS_REJECTED}, a 404 (no
     * RT at that address) is {@code VALIDATION_FAILED} on the url.
     */
    JsonNode verify() throws ConnectorException {
        Answer a = exchange("GET", "rt", null);
        if (a.status() == 404) {
            throw ConnectorException.validationFailed(
                    "There is no Request Tracker REST2 API at " + api,
                    List.of(
                            new FieldError(
                                    "credentials.url",
                                    "no RT REST2 API at " + api + " (HTTP 404)")));
        }
        return check("GET", "rt", a, true);
    }

    /** GET a path relative to the REST2 root (query included); fails unless 2xx. */
    JsonNode get(String path) throws ConnectorException {
        return check("GET", path, exchange("GET", path, null), false);
    }

    /** A GET whose 404 is an answer rather than a failure: empty when RT says Not Found. */
    Optional<JsonNode> find(String path) throws ConnectorException {
        Answer a = exchange("GET", path, null);
        if (a.status() == 404) {
            return Optional.empty();
        }
        return Optional.of(check("GET", path, a, false));
    }

    /** POST a JSON body; fails unless 2xx. */
    JsonNode post(String path, JsonNode body) throws ConnectorException {
        return check("POST", path, exchange("POST", path, body), false);
    }

    /**
     * PUT a JSON body. RT answers 200 with an array of messages even when it refused part of the
     * change ("Status 'x' isn't a valid status"), so callers read the record back.
     */
    JsonNode put(String path, JsonNode body) throws ConnectorException {
        return check("PUT", path, exchange("PUT", path, body), false);
    }

    /** DELETE a record (RT marks it deleted). */
    JsonNode delete(String path) throws ConnectorException {
        return check("DELETE", path, exchange("DELETE", path, null), false);
    }

    /** Builds a path with URL-encoded query parameters; repeated keys are allowed. */
    static String path(String path, List<Map.Entry<String, String>> params) {
        if (params.isEmpty()) {
            return path;
        }
        return path
                + "?"
                + params.stream()
                        .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
                        .collect(Collectors.joining("&"));
    }

    /** Encodes one path segment or query value. */
    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    // ---- transport and authentication
    // -------------------------------------------------------------

    private Answer exchange(String method, String path, JsonNode body) throws ConnectorException {
        if (token != null) {
            return send(method, path, body, "token " + token, null);
        }
        boolean unsafe = !method.equals("GET") && !method.equals("HEAD");
        String c = formLoginUnusable || (unsafe && unsafeNeedsBasic) ? null : session();
        if (c != null) {
            Answer a = send(method, path, body, null, c);
            if (unsafe && refusedAsCsrf(a)) {
                unsafeNeedsBasic = true;
                return send(method, path, body, basic(), null);
            }
            if (a.status() != 302 && a.status() != 401) {
                return a;
            }
            // The RT session ended (expired, logged out, server restarted without its sessions).
            cookie = null;
            c = session();
            if (c != null) {
                a = send(method, path, body, null, c);
                if (unsafe && refusedAsCsrf(a)) {
                    unsafeNeedsBasic = true;
                } else if (a.status() != 302 && a.status() != 401) {
                    return a;
                }
                cookie = null;
            }
        }
        return send(method, path, body, basic(), null);
    }

    /** The RT session cookie, logging in through the login form when there is none yet. */
    private synchronized String session() throws ConnectorException {
        if (cookie != null || formLoginUnusable) {
            return cookie;
        }
        String form = "user=" + encode(username) + "&pass=" + encode(password);
        HttpRequest request =
                HttpRequest.newBuilder(base.resolve("NoAuth/Login.html"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form))
                        .build();
        HttpResponse<byte[]> resp = http.send(request);
        String found = null;
        for (String header : resp.headers().allValues("Set-Cookie")) {
            String pair = header.split(";", 2)[0].trim();
            if (pair.startsWith("RT_SID_") && pair.contains("=")) {
                found = pair;
            }
        }
        if (found != null) {
            // RT sets a cookie for an anonymous session too: only a REST2 answer proves the login.
            Answer probe = send("GET", "rt", null, null, found);
            if (probe.status() == 200) {
                cookie = found;
                return cookie;
            }
        }
        formLoginUnusable = true;
        return null;
    }

    /** RT's origin as the browser would send it: {@code scheme://host[:port]} of the base URL. */
    private String origin() {
        return base.getScheme() + "://" + base.getRawAuthority();
    }

    /** RT's answer to an unsafe call whose origin it does not trust (REST2's CSRF check). */
    private static boolean refusedAsCsrf(Answer a) {
        return a.status() == 403 && a.text().contains("Cross-site request forgery");
    }

    private String basic() {
        return "Basic "
                + Base64.getEncoder()
                        .encodeToString(
                                (username + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private Answer send(String method, String path, JsonNode body, String auth, String session)
            throws ConnectorException {
        HttpRequest.Builder rb =
                HttpRequest.newBuilder(api.resolve(path)).header("Accept", "application/json");
        if (body != null) {
            rb.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(bytes(body)));
        } else {
            rb.method(method, HttpRequest.BodyPublishers.noBody());
        }
        if (auth != null) {
            rb.header("Authorization", auth);
        }
        if (session != null) {
            rb.header("Cookie", session);
            if (!method.equals("GET") && !method.equals("HEAD")) {
                rb.header("Origin", origin());
            }
        }
        HttpResponse<byte[]> resp = http.send(rb.build());
        int status = resp.statusCode();
        if (status == 429 || status == 503) {
            Optional<Duration> retry =
                    resp.headers().firstValue("Retry-After").flatMap(v -> retryAfter(v, clock));
            if (status == 429 || retry.isPresent()) {
                throw ConnectorException.rateLimited(
                        "Request Tracker is throttling requests (HTTP " + status + ")",
                        retry.orElse(DEFAULT_RETRY_AFTER));
            }
        }
        String text = new String(resp.body(), StandardCharsets.UTF_8);
        JsonNode json = null;
        if (!text.isBlank()) {
            try {
                json = MAPPER.readTree(text);
            } catch (IOException e) {
                json = null; // HTML or plain text (a proxy, RT's "Authorization required")
            }
        }
        return new Answer(status, json, text);
    }

    /** Maps a non-2xx answer to the failure kind; returns the JSON of a 2xx answer. */
    private JsonNode check(String method, String path, Answer a, boolean verifying)
            throws ConnectorException {
        int status = a.status();
        if (status >= 200 && status < 300) {
            if (a.json() == null) {
                throw ConnectorException.sourceError(
                        "Request Tracker answered " + method + " " + what(path) + " with non-JSON");
            }
            return a.json();
        }
        String message = message(a);
        if (status == 401 || status == 302) {
            String who =
                    token != null ? "the auth token" : "the user name or password of " + username;
            if (verifying) {
                throw ConnectorException.credentialsRejected("Request Tracker rejected " + who);
            }
            throw ConnectorException.reauthorizationRequired(
                    "Request Tracker no longer accepts " + who);
        }
        if (status == 403) {
            throw ConnectorException.permissionDenied(
                    "Request Tracker refused " + method + " " + what(path) + ": " + message);
        }
        if (status == 404) {
            throw ConnectorException.notFound(
                    "Request Tracker has no " + what(path) + " (" + message + ")");
        }
        if (status == 400 || status == 409 || status == 422) {
            throw ConnectorException.validationFailed(
                    "Request Tracker rejected the input: " + message, List.of());
        }
        if (status >= 500) {
            throw ConnectorException.sourceUnavailable(
                    "HTTP " + status + " from Request Tracker for " + method + " " + what(path),
                    null);
        }
        throw ConnectorException.sourceError(
                "HTTP "
                        + status
                        + " from Request Tracker for "
                        + method
                        + " "
                        + what(path)
                        + ": "
                        + message);
    }

    /** RT's own message: {@code {"message": "..."}}, an array of messages, or the text. */
    static String message(Answer a) {
        JsonNode j = a.json();
        if (j != null && j.hasNonNull("message")) {
            return j.get("message").asText();
        }
        if (j != null && j.isArray()) {
            StringBuilder sb = new StringBuilder();
            j.forEach(m -> sb.append(sb.length() == 0 ? "" : "; ").append(m.asText()));
            return sb.toString();
        }
        String t = a.text() == null ? "" : a.text().strip();
        return t.length() > 200 ? t.substring(0, 200) + "…" : t.isEmpty() ? "no message" : t;
    }

    /** The path without its query, for messages (queries can be long). */
    private static String what(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    /** Retry-After in seconds or as an HTTP date. */
    static Optional<Duration> retryAfter(String v, Clock clock) {
        String s = v.trim();
        try {
            return Optional.of(Duration.ofSeconds(Math.max(0, Long.parseLong(s))));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime when = ZonedDateTime.parse(s, DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(clock), when);
                return Optional.of(d.isNegative() ? Duration.ZERO : d);
            } catch (DateTimeParseException e2) {
                return Optional.empty();
            }
        }
    }

    private static byte[] bytes(JsonNode n) {
        try {
            return MAPPER.writeValueAsBytes(n);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
