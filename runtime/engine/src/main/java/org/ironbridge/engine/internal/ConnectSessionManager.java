package org.ironbridge.engine.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import javax.sql.DataSource;
import org.ironbridge.api.connector.Deployment;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.ConnectResult;
import org.ironbridge.engine.ConnectSessionService;
import org.ironbridge.engine.ConnectSessionView;
import org.ironbridge.engine.ConnectionView;
import org.ironbridge.engine.ConnectorRegistry;
import org.ironbridge.engine.CreatedConnectSession;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.InstalledConnector;
import org.ironbridge.engine.NewConnectSession;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.Tokens;
import org.ironbridge.store.ConnectSessionRepository;
import org.ironbridge.store.ConnectSessionRepository.Row;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link ConnectSessionService}: plain class, constructed by {@link Engine}. Connections are
 * created through {@link ConnectionManager#create}, so the connect flow has exactly the checks and
 * failures of the admin API.
 *
 * <p>The token that {@code create} issues for the new connection is dropped: the exchange of the
 * one-time code gives the connection a fresh token in the same transaction that spends the code, so
 * a connection token of the connect flow exists only in the answer to that exchange.
 */
final class ConnectSessionManager implements ConnectSessionService {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectSessionManager.class);

    /**
     * How long one attempt to connect holds its session: longer than any credential check takes,
     * short enough that a node that died mid-attempt does not block the customer for long.
     */
    static final Duration CLAIM = Duration.ofMinutes(2);

    /** Sessions are deleted this long after they expired (their codes expired as well). */
    static final Duration KEEP_EXPIRED = Duration.ofDays(7);

    static final int MAX_URL_LENGTH = 2000;
    private static final int MAX_SYSTEMS_CHARS = 1000;

    private final ConnectSessionRepository sessions;
    private final ConnectionManager connections;
    private final ConnectorRegistry registry;
    private final Clock clock;
    private volatile Duration sessionTtl = DEFAULT_SESSION_TTL;

    ConnectSessionManager(
            DataSource ds, ConnectionManager connections, ConnectorRegistry registry, Clock clock) {
        this.sessions = new ConnectSessionRepository(ds);
        this.connections = connections;
        this.registry = registry;
        this.clock = clock;
    }

    /** Sets how long new sessions last (default {@link #DEFAULT_SESSION_TTL}). */
    void sessionTtl(Duration ttl) {
        if (ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("a session must last some time: " + ttl);
        }
        this.sessionTtl = ttl;
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    // ---------------------------------------------------------------- create

    @Override
    public CreatedConnectSession create(String organizationId, NewConnectSession request)
            throws EngineException {
        List<FieldError> errors = new ArrayList<>();
        String customerId = request == null ? null : trim(request.customerId());
        if (customerId == null) {
            errors.add(new FieldError("customer_id", "is required"));
        } else if (customerId.length() > 200) {
            errors.add(new FieldError("customer_id", "must be at most 200 characters long"));
        }
        List<String> systems = List.of();
        if (request != null && request.systems() != null) {
            systems = systems(request.systems(), errors);
        }
        String redirectUrl = request == null ? null : trim(request.redirectUrl());
        if (redirectUrl != null) {
            String problem = redirectProblem(redirectUrl);
            if (problem != null) {
                errors.add(new FieldError("redirect_url", problem));
            }
        }
        if (!errors.isEmpty()) {
            throw EngineException.invalid("The connect session request is invalid", errors);
        }
        String token = Tokens.newToken(Tokens.CONNECT_SESSION);
        Instant now = now();
        Row row =
                new Row(
                        Tokens.newId("cs"),
                        organizationId,
                        Tokens.hash(token),
                        Tokens.hint(token),
                        customerId,
                        systems,
                        redirectUrl,
                        now,
                        // whole seconds: clients see 2026-11-22T10:45:30Z, not its microseconds
                        now.plus(sessionTtl).truncatedTo(ChronoUnit.SECONDS),
                        null,
                        null,
                        null,
                        null,
                        null,
                        null);
        sessions.insert(row);
        LOG.info("Connect session {} opened for customer {}", row.id(), customerId);
        return new CreatedConnectSession(view(row, now), token);
    }

    /** The offered systems: installed, connectable as cloud connections, without duplicates. */
    private List<String> systems(List<String> given, List<FieldError> errors) {
        if (given.isEmpty()) {
            errors.add(
                    new FieldError(
                            "systems",
                            "must name at least one system; leave it out to offer every"
                                    + " installed connector"));
            return List.of();
        }
        Set<String> out = new LinkedHashSet<>();
        for (int i = 0; i < given.size(); i++) {
            String field = "systems[" + i + "]";
            String s = trim(given.get(i));
            if (s == null) {
                errors.add(new FieldError(field, "must be a system id"));
                continue;
            }
            Optional<InstalledConnector> c = registry.find(s);
            if (c.isEmpty()) {
                errors.add(new FieldError(field, "is not an installed connector: " + s));
            } else if (!connectable(c.get())) {
                errors.add(new FieldError(field, s + " can only be connected on-premises (agent)"));
            } else {
                out.add(s);
            }
        }
        if (String.join(",", out).length() > MAX_SYSTEMS_CHARS) {
            errors.add(new FieldError("systems", "names too many systems"));
        }
        return List.copyOf(out);
    }

    private static boolean connectable(InstalledConnector c) {
        return c.descriptor().deployments().contains(Deployment.CLOUD);
    }

    /** Why a redirect URL is not acceptable, or null if it is. */
    static String redirectProblem(String url) {
        if (url.length() > MAX_URL_LENGTH) {
            return "must be at most " + MAX_URL_LENGTH + " characters long";
        }
        try {
            URI u = new URI(url);
            String scheme = u.getScheme();
            if (!u.isAbsolute()
                    || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))
                    || u.getHost() == null) {
                return "must be an absolute http or https URL such as"
                        + " https://app.example.com/connected";
            }
            if (u.getRawUserInfo() != null) {
                return "must not contain a user name or password";
            }
            return null;
        } catch (URISyntaxException e) {
            return "is not a valid URL";
        }
    }

    // ---------------------------------------------------------------- the page's API

    @Override
    public Optional<ConnectSessionView> find(String token) {
        if (!Tokens.looksLike(token, Tokens.CONNECT_SESSION)) {
            return Optional.empty();
        }
        Instant now = now();
        return sessions.findByTokenHash(Tokens.hash(token)).map(r -> view(r, now));
    }

    @Override
    public ConnectSessionView authenticate(String token) throws EngineException {
        ConnectSessionView s =
                find(token)
                        .orElseThrow(
                                () ->
                                        new EngineException(
                                                Code.TOKEN_INVALID,
                                                "The connect session token is unknown"));
        return switch (s.status()) {
            case ConnectSessionView.OPEN -> s;
            case ConnectSessionView.COMPLETED ->
                    throw new EngineException(
                            Code.TOKEN_INVALID,
                            "This connect session was already used to connect a system");
            default ->
                    throw new EngineException(
                            Code.TOKEN_INVALID, "This connect session has expired");
        };
    }

    @Override
    public List<InstalledConnector> systems(ConnectSessionView session) {
        List<InstalledConnector> out = new ArrayList<>();
        for (InstalledConnector c : registry.installed()) {
            if ((session.systems().isEmpty() || session.systems().contains(c.system()))
                    && connectable(c)) {
                out.add(c);
            }
        }
        return out;
    }

    @Override
    public ConnectResult connect(String token, String system, Map<String, String> credentials)
            throws EngineException {
        ConnectSessionView s = authenticate(token);
        String wanted = trim(system);
        if (wanted == null) {
            throw EngineException.invalid(
                    "Choose a system", List.of(new FieldError("system", "is required")));
        }
        if (!s.systems().isEmpty() && !s.systems().contains(wanted)) {
            throw EngineException.invalid(
                    "This session does not offer " + wanted,
                    List.of(new FieldError("system", "is not offered in this session")));
        }
        Instant now = now();
        Instant claimedUntil = now.plus(CLAIM);
        if (!sessions.claim(s.id(), now, claimedUntil)) {
            // spent or expired meanwhile (401), or another attempt holds it
            authenticate(token);
            throw new EngineException(
                    Code.CONFLICT,
                    "Another attempt to connect is in progress in this session; try again in a"
                            + " moment");
        }
        CreatedConnection created;
        try {
            created =
                    connections.create(
                            s.organizationId(),
                            new NewConnection(
                                    wanted,
                                    s.customerId(),
                                    null,
                                    Deployment.CLOUD.wireName(),
                                    credentials,
                                    null));
        } catch (EngineException | RuntimeException e) {
            sessions.release(s.id(), claimedUntil);
            throw e;
        }
        String connectionId = created.connection().id();
        String code = Tokens.random(32);
        Instant codeExpires = now().plus(CODE_TTL).truncatedTo(ChronoUnit.SECONDS);
        if (!sessions.complete(s.id(), connectionId, Tokens.hash(code), codeExpires, now())) {
            // our claim lapsed during a very slow check and another attempt completed the
            // session: one session, one connection
            LOG.warn(
                    "Connect session {} was completed by another attempt; disconnecting {}",
                    s.id(),
                    connectionId);
            connections.disconnect(s.organizationId(), connectionId);
            throw new EngineException(
                    Code.TOKEN_INVALID,
                    "This connect session was already used to connect a system");
        }
        LOG.info("Connect session {} created connection {} to {}", s.id(), connectionId, wanted);
        return new ConnectResult(
                connectionId,
                wanted,
                code,
                codeExpires,
                s.redirectUrl() == null ? null : redirect(s.redirectUrl(), connectionId, code));
    }

    /** The redirect URL with {@code connection_id} and {@code code} added to its query. */
    static String redirect(String base, String connectionId, String code) {
        URI u = URI.create(base);
        String added = "connection_id=" + encode(connectionId) + "&code=" + encode(code);
        String query = u.getRawQuery();
        StringBuilder out = new StringBuilder();
        out.append(u.getScheme()).append("://").append(u.getRawAuthority());
        out.append(u.getRawPath() == null ? "" : u.getRawPath());
        out.append('?').append(query == null || query.isEmpty() ? added : query + "&" + added);
        if (u.getRawFragment() != null) {
            out.append('#').append(u.getRawFragment());
        }
        return out.toString();
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- exchange

    @Override
    public CreatedConnection exchange(String organizationId, String sessionToken, String code)
            throws EngineException {
        Row row =
                (Tokens.looksLike(sessionToken, Tokens.CONNECT_SESSION)
                                ? sessions.findByTokenHash(Tokens.hash(sessionToken))
                                : Optional.<Row>empty())
                        .filter(r -> r.organizationId().equals(organizationId))
                        .orElseThrow(
                                () ->
                                        EngineException.notFound(
                                                "There is no connect session with this token"));
        String given = code == null ? null : code.trim();
        if (given == null || given.isEmpty()) {
            throw invalidCode("is required");
        }
        if (row.connectionId() == null) {
            throw invalidCode("does not exist yet: no system was connected in this session");
        }
        if (!MessageDigest.isEqual(
                Tokens.hash(given).getBytes(StandardCharsets.US_ASCII),
                row.codeHash().getBytes(StandardCharsets.US_ASCII))) {
            throw invalidCode("is not the code of this session");
        }
        if (row.codeUsedAt() != null) {
            throw invalidCode("was already exchanged");
        }
        Instant now = now();
        if (!now.isBefore(row.codeExpiresAt())) {
            throw invalidCode(
                    "has expired (codes can be exchanged for "
                            + CODE_TTL.toMinutes()
                            + " minutes)");
        }
        String token = Tokens.newToken(Tokens.CONNECTION_TOKEN);
        if (!sessions.exchange(row.id(), now, Tokens.hash(token), Tokens.hint(token))) {
            throw invalidCode("was already exchanged");
        }
        ConnectionView connection =
                connections
                        .find(organizationId, row.connectionId())
                        .orElseThrow(() -> EngineException.notFound("No such connection"));
        LOG.info(
                "Connect session {}: code exchanged for the token of {}",
                row.id(),
                row.connectionId());
        return new CreatedConnection(connection, token);
    }

    private static EngineException invalidCode(String message) {
        return EngineException.invalid(
                "The code " + message, List.of(new FieldError("code", message)));
    }

    // ---------------------------------------------------------------- housekeeping

    /** Deletes sessions that expired more than {@link #KEEP_EXPIRED} ago. */
    int purgeExpired() {
        return sessions.purgeExpiredBefore(now().minus(KEEP_EXPIRED));
    }

    private static ConnectSessionView view(Row r, Instant now) {
        String status =
                r.connectionId() != null
                        ? ConnectSessionView.COMPLETED
                        : now.isBefore(r.expiresAt())
                                ? ConnectSessionView.OPEN
                                : ConnectSessionView.EXPIRED;
        return new ConnectSessionView(
                r.id(),
                r.organizationId(),
                r.customerId(),
                r.systems(),
                r.redirectUrl(),
                r.createdAt(),
                r.expiresAt(),
                status,
                r.connectionId());
    }

    private static String trim(String s) {
        if (s == null) {
            return null;
        }
        String t = s.trim();
        return t.isEmpty() ? null : t;
    }
}
