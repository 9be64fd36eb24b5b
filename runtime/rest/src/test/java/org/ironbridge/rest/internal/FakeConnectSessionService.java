package org.ironbridge.rest.internal;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.ironbridge.api.connector.FieldError;
import org.ironbridge.engine.ConnectResult;
import org.ironbridge.engine.ConnectSessionService;
import org.ironbridge.engine.ConnectSessionView;
import org.ironbridge.engine.CreatedConnectSession;
import org.ironbridge.engine.CreatedConnection;
import org.ironbridge.engine.EngineException;
import org.ironbridge.engine.EngineException.Code;
import org.ironbridge.engine.InstalledConnector;
import org.ironbridge.engine.NewConnectSession;
import org.ironbridge.engine.NewConnection;
import org.ironbridge.engine.Tokens;

/**
 * An in-memory {@link ConnectSessionService} that behaves like the engine's: sessions scoped by
 * organization, spent by their first connection, one-time codes exchanged once. Connections are
 * created through the {@link Fakes.FakeConnectionService}, so its failures ({@code password}
 * "wrong", "down"; customer "no-credits") apply. Seeded with open sessions of both organizations
 * and an expired one.
 */
final class FakeConnectSessionService implements ConnectSessionService {
    /** Org A, offers acme-erp only, redirects to {@link #REDIRECT}. */
    static final String SESSION_A = Fakes.SESSION_TOKEN;

    /** Org A, every installed system, no redirect URL. */
    static final String SESSION_A_ALL = "ibs_connectSessionAll0000000000000";

    /** Org A, expired. */
    static final String SESSION_EXPIRED = "ibs_expiredSession0000000000000000";

    /** Org B, open. */
    static final String SESSION_B = "ibs_orgBconnectSession00000000000";

    static final String REDIRECT = "https://app.example.com/connected?tenant=7";

    /** A session and what happened in it. */
    static final class Session {
        ConnectSessionView view;
        String code;
        boolean codeUsed;
        Instant codeExpiresAt;
    }

    final Map<String, Session> byToken = new HashMap<>();
    final Fakes.FakeConnectionService connections;
    final Fakes.FakeConnectorRegistry registry;
    private int next = 1;

    FakeConnectSessionService(
            Fakes.FakeConnectionService connections, Fakes.FakeConnectorRegistry registry) {
        this.connections = connections;
        this.registry = registry;
        Instant now = Instant.now();
        put(SESSION_A, Fakes.ORG_A, "cust-9", List.of(Fakes.ERP), REDIRECT, now.plusSeconds(1800));
        put(SESSION_A_ALL, Fakes.ORG_A, "cust-10", List.of(), null, now.plusSeconds(1800));
        put(SESSION_EXPIRED, Fakes.ORG_A, "cust-11", List.of(), null, now.minusSeconds(1));
        put(SESSION_B, Fakes.ORG_B, "cust-b", List.of(), null, now.plusSeconds(1800));
    }

    private Session put(
            String token,
            String org,
            String customer,
            List<String> systems,
            String redirect,
            Instant expires) {
        Session s = new Session();
        s.view =
                new ConnectSessionView(
                        "cs_" + next++,
                        org,
                        customer,
                        systems,
                        redirect,
                        expires.minusSeconds(1800),
                        expires,
                        ConnectSessionView.OPEN,
                        null);
        byToken.put(token, s);
        return s;
    }

    private static ConnectSessionView withState(ConnectSessionView v, String status, String conn) {
        return new ConnectSessionView(
                v.id(),
                v.organizationId(),
                v.customerId(),
                v.systems(),
                v.redirectUrl(),
                v.createdAt(),
                v.expiresAt(),
                status,
                conn);
    }

    @Override
    public CreatedConnectSession create(String organizationId, NewConnectSession request)
            throws EngineException {
        List<FieldError> errors = new ArrayList<>();
        if (request.customerId() == null || request.customerId().isBlank()) {
            errors.add(new FieldError("customer_id", "is required"));
        }
        if (request.systems() != null) {
            for (int i = 0; i < request.systems().size(); i++) {
                if (registry.find(String.valueOf(request.systems().get(i))).isEmpty()) {
                    errors.add(
                            new FieldError("systems[" + i + "]", "is not an installed connector"));
                }
            }
        }
        String r = request.redirectUrl();
        if (r != null && !r.matches("https?://[^/@\\s]+(/.*)?")) {
            errors.add(new FieldError("redirect_url", "must be an absolute http or https URL"));
        }
        if (!errors.isEmpty()) {
            throw EngineException.invalid("The connect session request is invalid", errors);
        }
        String token = Tokens.newToken(Tokens.CONNECT_SESSION);
        Session s =
                put(
                        token,
                        organizationId,
                        request.customerId(),
                        request.systems(),
                        r,
                        Instant.now().plusSeconds(1800).truncatedTo(ChronoUnit.SECONDS));
        return new CreatedConnectSession(s.view, token);
    }

    @Override
    public Optional<ConnectSessionView> find(String token) {
        Session s = byToken.get(token);
        if (s == null) {
            return Optional.empty();
        }
        if (s.view.connectionId() == null && s.view.expiresAt().isBefore(Instant.now())) {
            return Optional.of(withState(s.view, ConnectSessionView.EXPIRED, null));
        }
        return Optional.of(s.view);
    }

    @Override
    public ConnectSessionView authenticate(String token) throws EngineException {
        ConnectSessionView v =
                find(token)
                        .orElseThrow(
                                () ->
                                        new EngineException(
                                                Code.TOKEN_INVALID,
                                                "The connect session token is unknown"));
        return switch (v.status()) {
            case ConnectSessionView.OPEN -> v;
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
        return registry.installed().stream()
                .filter(c -> session.systems().isEmpty() || session.systems().contains(c.system()))
                .toList();
    }

    @Override
    public ConnectResult connect(String token, String system, Map<String, String> credentials)
            throws EngineException {
        ConnectSessionView v = authenticate(token);
        if (!v.systems().isEmpty() && !v.systems().contains(system)) {
            throw EngineException.invalid(
                    "This session does not offer " + system,
                    List.of(new FieldError("system", "is not offered in this session")));
        }
        CreatedConnection c =
                connections.create(
                        v.organizationId(),
                        new NewConnection(
                                system, v.customerId(), null, "cloud", credentials, null));
        Session s = byToken.get(token);
        s.view = withState(v, ConnectSessionView.COMPLETED, c.connection().id());
        s.code = "code" + Tokens.random(28);
        s.codeExpiresAt = Instant.now().plusSeconds(600).truncatedTo(ChronoUnit.SECONDS);
        return new ConnectResult(
                c.connection().id(),
                system,
                s.code,
                s.codeExpiresAt,
                v.redirectUrl() == null
                        ? null
                        : v.redirectUrl()
                                + (v.redirectUrl().contains("?") ? "&" : "?")
                                + "connection_id="
                                + c.connection().id()
                                + "&code="
                                + s.code);
    }

    @Override
    public CreatedConnection exchange(String organizationId, String sessionToken, String code)
            throws EngineException {
        Session s = byToken.get(sessionToken);
        if (s == null || !s.view.organizationId().equals(organizationId)) {
            throw EngineException.notFound("There is no connect session with this token");
        }
        if (code == null || code.isBlank()) {
            throw invalidCode("is required");
        }
        if (s.code == null || !s.code.equals(code)) {
            throw invalidCode("is not the code of this session");
        }
        if (s.codeUsed) {
            throw invalidCode("was already exchanged");
        }
        s.codeUsed = true;
        String token = "ibt_" + Tokens.random(32);
        connections.tokens.put(token, s.view.connectionId());
        return new CreatedConnection(connections.byId.get(s.view.connectionId()), token);
    }

    private static EngineException invalidCode(String message) {
        return EngineException.invalid(
                "The code " + message, List.of(new FieldError("code", message)));
    }
}
